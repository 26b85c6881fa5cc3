package org.parley.client.core;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.parley.protocol.message.Contacts;

/**
 * The display names this client has met ("Alice Archer" for alice): the signed-in user's own (LoggedIn), the
 * contacts and requests (the contact list and its pushes) and the users a search found. A user met nowhere, such
 * as a group member who is not a contact, is shown by the user name. Read from any thread.
 */
public final class DisplayNames {

    private final Map<String, String> names = new ConcurrentHashMap<>();

    /** Remembers a user's display name (a blank one is not a name). */
    void put(String user, String displayName) {
        if (user != null && displayName != null && !displayName.isBlank()) {
            names.put(user, displayName.strip());
        }
    }

    void putAll(Collection<Contacts.UserInfo> users) {
        for (Contacts.UserInfo u : users) {
            put(u.user(), u.displayName());
        }
    }

    /** The display name of {@code user}, or the user name when none is known. */
    public String of(String user) {
        return user == null ? "" : names.getOrDefault(user, user);
    }

    /** Whether a display name of {@code user} is known. */
    public boolean knows(String user) {
        return names.containsKey(user);
    }

    /**
     * How to name {@code user} among {@code others} (a group's members, say): the display name, followed by the
     * user name in parentheses when another of them has the same display name ("Alice Archer (alice2)"), or when
     * the display name is someone else's user name.
     */
    public String among(String user, Collection<String> others) {
        String name = of(user);
        if (name.equals(user)) {
            return name;
        }
        for (String o : others) {
            if (!o.equals(user) && (of(o).equalsIgnoreCase(name) || o.equalsIgnoreCase(name))) {
                return name + " (" + user + ")";
            }
        }
        return name;
    }
}
