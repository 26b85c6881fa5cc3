package org.parley.server.reactions;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.parley.protocol.Emoji;
import org.parley.protocol.EncodedFrame;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.Frame;
import org.parley.protocol.message.Reactions;
import org.parley.server.accounts.NameCache;
import org.parley.server.common.Caller;
import org.parley.server.common.Handlers;
import org.parley.server.common.ParleyException;
import org.parley.server.conversations.ConversationService;
import org.parley.server.conversations.MembershipCache;
import org.parley.server.messages.MessageService;
import org.parley.server.common.ClientLink;
import org.parley.server.common.OnlineUsers;
import org.parley.server.reactions.ReactionStore.Change;

/**
 * Emoji reactions: {@code AddReaction} and {@code RemoveReaction} from members (validated, limited, durable before
 * the answer), pushed as {@code ReactionChanged} to the members' other connections that speak protocol version 2,
 * {@code FetchReactions} for a client catching up after a reconnect, and the summaries that ride in every
 * {@code ChatMessage} the server sends.
 */
public final class ReactionService {

    /** Most changed messages in one {@code ReactionUpdates} page. */
    public static final int MAX_PAGE = 500;
    private static final int STRIPES = 64;

    private final ReactionStore store;
    private final ConversationService conversations;
    private final MembershipCache membership;
    private final OnlineUsers online;
    private final NameCache names;
    private final ReactionLimits limits;
    private final int maxFrameBytes;
    /** Changes of one conversation are stored and pushed one at a time, so pushes leave in revision order. */
    private final Object[] stripes = new Object[STRIPES];
    private final Map<Long, Budget> budgets = new ConcurrentHashMap<>();

    public ReactionService(ReactionStore store, ConversationService conversations, MembershipCache membership,
            OnlineUsers online, NameCache names, ReactionLimits limits, int maxFrameBytes) {
        this.store = store;
        this.conversations = conversations;
        this.membership = membership;
        this.online = online;
        this.names = names;
        this.limits = limits;
        this.maxFrameBytes = maxFrameBytes;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Object();
        }
    }

    public void register(Handlers h) {
        h.on(Reactions.AddReaction.class, (c, r) -> CompletableFuture.completedFuture(
                change(c, r.conversationId(), r.seq(), r.emoji(), true)));
        h.on(Reactions.RemoveReaction.class, (c, r) -> CompletableFuture.completedFuture(
                change(c, r.conversationId(), r.seq(), r.emoji(), false)));
        h.on(Reactions.FetchReactions.class, (c, r) -> CompletableFuture.completedFuture(fetch(c, r)));
    }

    private Reactions.ReactionChanged change(Caller caller, long conversationId, long seq, String emoji,
            boolean add) {
        conversations.requireMember(caller, conversationId);
        if (seq < 1) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "seq must be 1 or more, not " + seq);
        }
        String problem = Emoji.problem(emoji);
        if (problem != null) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, problem);
        }
        if (!budgets.computeIfAbsent(caller.accountId(), id -> new Budget(limits.perMinute())).tryTake()) {
            throw new ParleyException(ErrorCode.RATE_LIMITED, "more than " + limits.perMinute()
                    + " reaction changes a minute; try again in a few seconds");
        }
        synchronized (stripes[(int) Math.floorMod(conversationId, (long) STRIPES)]) {
            Change change = add
                    ? store.add(new StoredReaction(conversationId, seq, caller.accountId(), emoji,
                            System.currentTimeMillis()), limits.maxEmojiPerMessage(), limits.maxPerUser())
                    : store.remove(conversationId, seq, caller.accountId(), emoji);
            switch (change.outcome()) {
                case NO_MESSAGE -> throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "conversation "
                        + conversationId + " has no message " + seq);
                case TOO_MANY_EMOJI -> throw new ParleyException(ErrorCode.CONFLICT, "message " + seq + " has "
                        + limits.maxEmojiPerMessage() + " different reactions already, the most it may have; "
                        + "add one of those instead");
                case TOO_MANY_FOR_USER -> throw new ParleyException(ErrorCode.CONFLICT, "you have "
                        + limits.maxPerUser() + " reactions on message " + seq + " already, the most you may have; "
                        + "remove one first");
                default -> {
                }
            }
            boolean changed = change.outcome() == ReactionStore.Outcome.CHANGED;
            var answer = new Reactions.ReactionChanged(conversationId, seq, caller.userName(), emoji, add, changed,
                    change.revision(), summaries(conversationId, List.of(seq)).getOrDefault(seq, List.of()));
            if (changed) {
                fanOut(answer, caller.link());
            }
            return answer;
        }
    }

    /** To every member's connections but the caller's, on protocol version 2 (version 1 has no reactions). */
    private void fanOut(Reactions.ReactionChanged change, ClientLink origin) {
        EncodedFrame push = EncodedFrame.of(Frame.push(change), maxFrameBytes);
        var members = membership.members(change.conversationId());
        for (long member : members) {
            online.forEachLink(member, origin, link -> {
                if (link.protocolVersion() >= 2) {
                    link.push(push);
                }
            });
        }
        online.pushToPeers(members, push); // members connected to other nodes (several nodes only)
    }

    private Reactions.ReactionUpdates fetch(Caller caller, Reactions.FetchReactions r) {
        conversations.requireMember(caller, r.conversationId());
        if (r.limit() < 0 || r.limit() > MAX_PAGE) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "a page has 0 to " + MAX_PAGE
                    + " messages, not " + r.limit());
        }
        if (r.sinceRevision() < 0) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "sinceRevision cannot be negative");
        }
        // The revision first: a change committed after it is then in a later page, never lost between the two.
        long current = store.revision(r.conversationId());
        if (r.limit() == 0) {
            return new Reactions.ReactionUpdates(r.conversationId(), List.of(), current, false);
        }
        List<ReactionStore.Changed> changed = store.changedSince(r.conversationId(), r.sinceRevision(),
                r.limit() + 1);
        changed = changed.stream().filter(c -> c.revision() <= current).toList();
        boolean more = changed.size() > r.limit();
        if (more) {
            changed = changed.subList(0, r.limit());
        }
        Map<Long, List<Reactions.Reaction>> summaries = summaries(r.conversationId(),
                changed.stream().map(ReactionStore.Changed::seq).toList());
        List<Reactions.MessageReactions> out = new ArrayList<>(changed.size());
        int budget = caller.link().pageBytes(maxFrameBytes) - 64;
        long upTo = more ? changed.get(changed.size() - 1).revision() : current;
        for (ReactionStore.Changed c : changed) {
            var m = new Reactions.MessageReactions(c.seq(), summaries.getOrDefault(c.seq(), List.of()));
            budget -= 12 + MessageService.wireSize(m.reactions());
            if (budget < 0 && !out.isEmpty()) {
                more = true;
                upTo = changedBefore(changed, c);
                break;
            }
            out.add(m);
        }
        return new Reactions.ReactionUpdates(r.conversationId(), out, upTo, more);
    }

    private static long changedBefore(List<ReactionStore.Changed> changed, ReactionStore.Changed c) {
        return changed.get(changed.indexOf(c) - 1).revision();
    }

    /**
     * The reaction summaries of messages of one conversation, by seq (messages without reactions are left out):
     * one entry per emoji in the order of its first reaction, each with its users' names in the order they reacted.
     */
    public Map<Long, List<Reactions.Reaction>> summaries(long conversationId, Collection<Long> seqs) {
        List<StoredReaction> rows = store.of(conversationId, seqs);
        if (rows.isEmpty()) {
            return Map.of();
        }
        Map<Long, String> n = names.names(rows.stream().map(StoredReaction::accountId).distinct().toList());
        Map<Long, Map<String, List<String>>> bySeq = new HashMap<>();
        for (StoredReaction r : rows) {
            bySeq.computeIfAbsent(r.seq(), s -> new LinkedHashMap<>()).computeIfAbsent(r.emoji(),
                    e -> new ArrayList<>()).add(n.getOrDefault(r.accountId(), "?"));
        }
        Map<Long, List<Reactions.Reaction>> out = new HashMap<>();
        bySeq.forEach((seq, byEmoji) -> out.put(seq, byEmoji.entrySet().stream()
                .map(e -> new Reactions.Reaction(e.getKey(), List.copyOf(e.getValue()))).toList()));
        return out;
    }

    /** A user's reaction budget: {@code perMinute} a minute, in bursts of as many. */
    private static final class Budget {
        private final double perNano;
        private final double burst;
        private double tokens;
        private long last = System.nanoTime();

        Budget(int perMinute) {
            this.perNano = perMinute / 60e9;
            this.burst = perMinute;
            this.tokens = perMinute;
        }

        synchronized boolean tryTake() {
            long now = System.nanoTime();
            tokens = Math.min(burst, tokens + (now - last) * perNano);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }
}
