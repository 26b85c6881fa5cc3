package org.parley.ui;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.parley.client.core.ParleyClient;

/**
 * Learns the display names of people the client has met only by user name (someone who is not a contact writes
 * first, a group member): the client knows the names of contacts and requests from the contact list, and of the
 * users a search found, so this asks the server's user search for each unknown user name (the server finds the
 * people who share a conversation with the caller also under {@code directory=contacts}). Each user is asked once
 * per signed-in client; what is learnt reaches {@link org.parley.client.core.DisplayNames}'s listeners.
 */
public final class NameLookup {

    /** The most users asked at once (each search costs one of the account's costly requests). */
    public static final int MAX_AT_ONCE = 20;

    /** A search finds at most this many: enough for the user name itself to be among them. */
    private static final int SEARCH_LIMIT = 50;

    /** Per signed-in client: whom it asked, and whom to ask again although a name is known (after a reconnect). */
    private record Asked(Set<String> users, Set<String> again) {
        Asked() {
            this(ConcurrentHashMap.newKeySet(), ConcurrentHashMap.newKeySet());
        }
    }

    private static final Map<ParleyClient, Asked> ASKED = Collections.synchronizedMap(new WeakHashMap<>());

    private NameLookup() {
    }

    /**
     * Back after a reconnect: a display name may have changed meanwhile, so the next {@link #learn} asks again for
     * everyone asked before (a contact's comes with the contact list anyway).
     */
    public static void forget(ParleyClient client) {
        Asked a = ASKED.computeIfAbsent(client, c -> new Asked());
        a.again().addAll(a.users());
        a.users().clear();
    }

    /**
     * Asks for the display names of {@code users} the client does not know yet, or asked before a reconnect (not the
     * user itself, nobody asked since, at most {@value #MAX_AT_ONCE}); a failed search (offline, say) lets the next
     * call ask again. Completes when the answers are in (a failed search completes too).
     */
    public static CompletableFuture<Void> learn(ParleyClient client, Collection<String> users) {
        Asked asked = ASKED.computeIfAbsent(client, c -> new Asked());
        CompletableFuture<?>[] searches = users.stream()
                .filter(u -> u != null && !u.equals(client.user())
                        && (!client.names().knows(u) || asked.again().contains(u)))
                .filter(asked.users()::add).limit(MAX_AT_ONCE)
                .map(u -> {
                    asked.again().remove(u);
                    return client.searchUsers(u, SEARCH_LIMIT).handle((found, error) -> {
                        if (error != null) {
                            asked.users().remove(u); // offline, say: asked again next time
                        }
                        return null;
                    });
                })
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(searches);
    }
}
