package org.parley.server.conversations;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.parley.protocol.message.Chat;
import org.parley.server.accounts.NameCache;
import org.parley.server.presence.OnlineUsers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivered and read marks, kept in memory and written behind: each flush (every {@code intervalMs}) stores all
 * marks that moved in one batch and pushes one ReceiptChanged per moved mark to the conversation's online
 * members. A client marking every message therefore costs one row update and one push per interval, not per
 * message. Marks only move forward.
 */
public final class Receipts {

    private record Key(long conversationId, long accountId) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(Receipts.class);

    private final ConversationStore store;
    private final MembershipCache membership;
    private final OnlineUsers online;
    private final NameCache names;
    private final Map<Key, Member> pending = new ConcurrentHashMap<>();

    public Receipts(ConversationStore store, MembershipCache membership, OnlineUsers online, NameCache names,
            ScheduledExecutorService timer, long intervalMs) {
        this.store = store;
        this.membership = membership;
        this.online = online;
        this.names = names;
        timer.scheduleWithFixedDelay(this::flushQuietly, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    public void mark(long conversationId, long accountId, long deliveredUpTo, long readUpTo) {
        pending.merge(new Key(conversationId, accountId), new Member(conversationId, accountId, deliveredUpTo,
                readUpTo), (a, b) -> new Member(conversationId, accountId, Math.max(a.deliveredUpTo(),
                        b.deliveredUpTo()), Math.max(a.readUpTo(), b.readUpTo())));
    }

    /** A stored member row with any marks not yet written merged in. */
    public Member overlay(Member stored) {
        Member p = pending.get(new Key(stored.conversationId(), stored.accountId()));
        if (p == null) {
            return stored;
        }
        return new Member(stored.conversationId(), stored.accountId(),
                Math.max(stored.deliveredUpTo(), p.deliveredUpTo()), Math.max(stored.readUpTo(), p.readUpTo()));
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.atWarn().setCause(e).log("writing receipts failed; will retry");
        }
    }

    /** Stores and announces the marks that moved. Also called on shutdown. */
    public synchronized void flush() {
        if (pending.isEmpty()) {
            return;
        }
        Map<Key, Member> batch = new HashMap<>();
        for (Key k : new ArrayList<>(pending.keySet())) {
            Member m = pending.remove(k);
            if (m != null) {
                batch.put(k, m);
            }
        }
        try {
            store.updateMarks(batch.values());
        } catch (RuntimeException e) {
            batch.values().forEach(m -> mark(m.conversationId(), m.accountId(), m.deliveredUpTo(), m.readUpTo()));
            throw e;
        }
        Map<Long, List<Member>> stored = store.members(
                batch.values().stream().map(Member::conversationId).distinct().toList());
        for (Member moved : batch.values()) {
            Member now = stored.getOrDefault(moved.conversationId(), List.of()).stream()
                    .filter(m -> m.accountId() == moved.accountId()).findFirst().orElse(moved);
            var change = new Chat.ReceiptChanged(now.conversationId(), names.name(now.accountId()),
                    now.deliveredUpTo(), now.readUpTo());
            for (long member : membership.members(now.conversationId())) {
                online.push(member, change, null);
            }
        }
    }
}
