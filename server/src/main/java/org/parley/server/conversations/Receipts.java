package org.parley.server.conversations;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.parley.protocol.EncodedFrame;
import org.parley.protocol.Frame;
import org.parley.protocol.Protocol;
import org.parley.protocol.message.Chat;
import org.parley.server.accounts.NameCache;
import org.parley.server.common.OnlineUsers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivered and read marks, kept in memory and written behind: each flush (every {@code intervalMs}) stores all
 * marks that moved in one batch, then announces each moved mark with a ReceiptChanged. A client marking every
 * message therefore costs one row update per interval, not per message. Marks only move forward.
 * <p>
 * Who is told: the mark's owner (all their devices: unread counts follow across devices) and, in a small
 * conversation, every member. In a larger group only the senders of the messages the move covers are told: a
 * client shows marks only against its own messages, and telling every member of an n-member group about every
 * member's moves costs n² pushes per interval (two million a second in a busy 1,000-member group).
 */
public final class Receipts {

    /** Up to this many members, every member hears of every move: cheaper than looking up who wrote what. */
    public static final int TELL_EVERYONE_UP_TO = 10;

    /** Moves spanning more messages than this (a member catching up on a long backlog) are told to everyone. */
    static final long MAX_LOOKED_UP = 10_000;

    private record Key(long conversationId, long accountId) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(Receipts.class);

    private final ConversationStore store;
    private final MessageAuthors messages;
    private final MembershipCache membership;
    private final OnlineUsers online;
    private final NameCache names;
    private final Map<Key, Member> pending = new ConcurrentHashMap<>();
    /** Marks taken from {@link #pending} by the flush under way and not yet committed: still to be overlaid. */
    private final Map<Key, Member> writing = new ConcurrentHashMap<>();

    public Receipts(ConversationStore store, MessageAuthors messages, MembershipCache membership, OnlineUsers online,
            NameCache names, ScheduledExecutorService timer, long intervalMs) {
        this.store = store;
        this.messages = messages;
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
        Key key = new Key(stored.conversationId(), stored.accountId());
        Member w = writing.get(key);
        Member p = pending.get(key);
        Member m = w == null ? stored : ahead(stored, w);
        return p == null ? m : ahead(m, p);
    }

    /**
     * Unread counts of a conversation whose last seq is {@code lastSeq}, for read marks of at least {@code fromRead}:
     * the edits, deletions and SYSTEM lines among the entries are not counted.
     */
    UnreadCounts unread(long conversationId, long lastSeq, long fromRead) {
        return UnreadCounts.of(messages, conversationId, lastSeq, fromRead);
    }

    private static Member ahead(Member a, Member b) {
        return new Member(a.conversationId(), a.accountId(), Math.max(a.deliveredUpTo(), b.deliveredUpTo()),
                Math.max(a.readUpTo(), b.readUpTo()), a.role());
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
        Map<Long, List<Member>> batch = new HashMap<>();
        for (Key k : new ArrayList<>(pending.keySet())) {
            Member m = pending.get(k);
            if (m != null) {
                // Overlaid from "writing" until committed, so that a reader never sees the mark go back meanwhile;
                // a mark merged in after the get stays pending for the next flush (marks only move ahead).
                writing.put(k, m);
                pending.remove(k, m);
                batch.computeIfAbsent(k.conversationId(), c -> new ArrayList<>()).add(m);
            }
        }
        Map<Long, List<Member>> before; // where the marks were: a move tells those whose messages it passes
        try {
            before = store.members(batch.keySet());
            store.updateMarks(batch.values().stream().flatMap(List::stream).toList());
        } catch (RuntimeException e) {
            batch.values().forEach(ms -> ms.forEach(m -> mark(m.conversationId(), m.accountId(), m.deliveredUpTo(),
                    m.readUpTo())));
            throw e;
        } finally {
            writing.clear();
        }
        batch.forEach((conversationId, moved) -> {
            try {
                announce(conversationId, moved, before.getOrDefault(conversationId, List.of()));
            } catch (RuntimeException e) { // stored already: a lost announcement only delays a tick
                LOG.atWarn().setCause(e).log("announcing receipts of conversation {} failed", conversationId);
            }
        });
    }

    private void announce(long conversationId, List<Member> moved, List<Member> storedBefore) {
        Set<Long> members = membership.members(conversationId);
        Map<Long, Member> was = new HashMap<>();
        storedBefore.forEach(m -> was.put(m.accountId(), m));
        List<Member[]> moves = new ArrayList<>(moved.size()); // {before, after}; a former member has no row
        for (Member m : moved) {
            Member old = was.get(m.accountId());
            Member now = old == null ? null : ahead(old, m);
            if (now != null && !now.equals(old)) { // e.g. marking what one's own send already marked
                moves.add(new Member[] {old, now});
            }
        }
        if (members.size() <= TELL_EVERYONE_UP_TO) {
            for (Member[] move : moves) {
                tell(members, move[1]);
            }
            return;
        }
        // One look-up of who wrote what for all moves of this conversation in this flush: they mostly pass the
        // same few newest messages. A read mark never passes the delivered mark, so a move passes the messages in
        // (old read mark, new delivered mark].
        long upTo = moves.stream().mapToLong(m -> m[1].deliveredUpTo()).max().orElse(0);
        long from = Math.max(upTo - MAX_LOOKED_UP, moves.stream().mapToLong(m -> m[0].readUpTo()).min().orElse(0));
        List<MessageAuthors.Authorship> authors = moves.isEmpty() ? List.of()
                : messages.authors(conversationId, from, upTo);
        // The messages' seqs by sender, members only: a busy group has few senders, so each move checks each of
        // them with one search, instead of walking every message it passes (moves x messages, a fifth of the
        // server's time in a 1,000-member group's fan-out before, issue 17).
        Map<Long, long[]> bySender = new HashMap<>();
        Map<Long, Integer> counts = new HashMap<>();
        for (MessageAuthors.Authorship a : authors) {
            counts.merge(a.senderId(), 1, Integer::sum);
        }
        counts.forEach((sender, n) -> {
            if (members.contains(sender)) {
                bySender.put(sender, new long[n]);
            }
        });
        Map<Long, Integer> filled = new HashMap<>();
        for (MessageAuthors.Authorship a : authors) { // oldest first: each sender's seqs come out sorted
            long[] seqs = bySender.get(a.senderId());
            if (seqs != null) {
                seqs[filled.merge(a.senderId(), 1, Integer::sum) - 1] = a.seq();
            }
        }
        for (Member[] move : moves) {
            long after = move[0].readUpTo();
            if (after < from) {
                tell(members, move[1]);
                continue;
            }
            Set<Long> told = new HashSet<>();
            told.add(move[1].accountId());
            long upToSeq = move[1].deliveredUpTo();
            bySender.forEach((sender, seqs) -> {
                int i = Arrays.binarySearch(seqs, after + 1);
                i = i < 0 ? -i - 1 : i;
                if (i < seqs.length && seqs[i] <= upToSeq) {
                    told.add(sender);
                }
            });
            tell(told, move[1]);
        }
    }

    private void tell(Set<Long> accounts, Member now) {
        var change = EncodedFrame.of(Frame.push(new Chat.ReceiptChanged(now.conversationId(),
                names.name(now.accountId()), now.deliveredUpTo(), now.readUpTo())), Protocol.ABSOLUTE_MAX_FRAME_BYTES);
        for (long account : accounts) {
            online.push(account, change, null);
        }
    }
}
