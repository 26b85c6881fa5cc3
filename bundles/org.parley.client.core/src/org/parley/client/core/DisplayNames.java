package org.parley.client.core;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.parley.protocol.message.Contacts;

/**
 * The display names this client has met ("Alice Archer" for alice): the signed-in user's own (LoggedIn), the
 * contacts and requests (the contact list and its pushes) and the users a search found. A user met nowhere, such
 * as a group member who is not a contact, is shown by the user name until a search finds it
 * ({@link ParleyClient#searchUsers}). Read from any thread; listeners hear of a name learnt or changed (a rename
 * read from a later contact list), on the thread that learnt it.
 */
public final class DisplayNames {

    /** Hears that the display name of a user is new or changed. */
    @FunctionalInterface
    public interface Listener {
        void changed(String user, String displayName);
    }

    private final Map<String, String> names = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    /** Remembers a user's display name (a blank one is not a name). */
    void put(String user, String displayName) {
        if (user != null && displayName != null && !displayName.isBlank()) {
            String name = displayName.strip();
            if (!name.equals(names.put(user, name))) {
                for (Listener l : listeners) {
                    l.changed(user, name);
                }
            }
        }
    }

    public void addListener(Listener l) {
        listeners.add(l);
    }

    public void removeListener(Listener l) {
        listeners.remove(l);
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
