package org.parley.server.conversations;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Conversation id → its members' account ids, cached: every send checks membership and every fan-out needs the
 * member list, and neither should query storage. Membership changes go through {@link ConversationService},
 * which invalidates the entry.
 */
public final class MembershipCache {

    private final ConversationStore store;
    private final Map<Long, Set<Long>> members = new ConcurrentHashMap<>();

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

    public boolean isMember(long conversationId, long accountId) {
        return members(conversationId).contains(accountId);
    }

    public void invalidate(long conversationId) {
        members.remove(conversationId);
    }
}
