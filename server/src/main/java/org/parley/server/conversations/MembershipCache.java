package org.parley.server.conversations;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;

/**
 * Conversation id → its members' account ids, cached: every send checks membership and every fan-out needs the
 * member list, and neither should query storage. Membership changes go through {@link ConversationService},
 * which invalidates the entry; with several server nodes the other nodes are told too ({@link #onInvalidate}).
 */
public final class MembershipCache {

    private final ConversationStore store;
    private final Map<Long, Set<Long>> members = new ConcurrentHashMap<>();
    private volatile LongConsumer others = id -> { };

    public MembershipCache(ConversationStore store) {
        this.store = store;
    }

    /**
     * The members of a conversation (empty if it does not exist). An empty answer is not kept: the ids a client
     * names are its own choice, and unknown ones must not fill the cache.
     */
    public Set<Long> members(long conversationId) {
        // Loaded inside computeIfAbsent, so that an invalidation waits for a load in progress instead of being
        // overtaken by it; a null result stores nothing.
        Set<Long> known = members.computeIfAbsent(conversationId, id -> {
            Set<Long> loaded = store.members(id).stream().map(Member::accountId)
                    .collect(Collectors.toUnmodifiableSet());
            return loaded.isEmpty() ? null : loaded;
        });
        return known == null ? Set.of() : known;
    }

    /** Whether the members of {@code conversationId} are in memory (asking for them does not query storage). */
    public boolean cached(long conversationId) {
        return members.containsKey(conversationId);
    }

    public boolean isMember(long conversationId, long accountId) {
        return members(conversationId).contains(accountId);
    }

    /** Forgets a conversation's members here and on the other nodes (after a change of membership). */
    public void invalidate(long conversationId) {
        members.remove(conversationId);
        others.accept(conversationId);
    }

    /** Forgets a conversation's members on this node only (another node changed them). */
    public void invalidateHere(long conversationId) {
        members.remove(conversationId);
    }

    /** Where invalidations are passed on to the other nodes (the cluster adapter sets it). */
    public void onInvalidate(LongConsumer others) {
        this.others = others;
    }
}
