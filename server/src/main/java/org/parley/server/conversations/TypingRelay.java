package org.parley.server.conversations;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Session;
import org.parley.server.common.Caller;
import org.parley.server.common.Handlers;
import org.parley.server.common.OnlineUsers;

/**
 * Forwards {@code Typing} to a conversation's other members as {@code TypingChanged}, only as far as it changes what
 * they show (docs/protocol.md, "Typing"): at most one "typing" per sender and conversation every
 * {@code typing-interval-ms} while the others show the sender typing, at most {@link #STARTS_PER_INTERVAL} in any
 * interval (a client flipping typing on and off is not forwarded beyond that), and a "stopped" only after a
 * forwarded "typing", then always. Each push goes to every member online, so this bounds what one typing client
 * costs a large group.
 */
public final class TypingRelay {

    /** The setting's range: clients repeat "typing" at least every 3 s and show it for 6 s (docs/protocol.md). */
    public static final long MIN_INTERVAL_MS = 200;
    public static final long MAX_INTERVAL_MS = 3000;
    /** Most "typing" pushes per sender and conversation in one interval (each may be followed by a "stopped"). */
    static final int STARTS_PER_INTERVAL = 4;
    /** A sender still shown typing after this long without a "typing" has vanished: its state is forgotten. */
    private static final long FORGET_SHOWN_MS = 60_000;

    /**
     * Whether the others were told the sender is typing, when a "typing" was last pushed, and the pushes in the
     * current interval's window (a client flipping typing on and off is bounded by it).
     */
    private record State(boolean shown, long lastStart, long windowStart, int pushes) {
    }

    /** The setting's name, default and help, for ServerConfig's table. */
    public static void addSettings(Map<String, String[]> settings) {
        settings.put("typing-interval-ms", new String[] {"2000", "a sender's \"typing\" in a conversation is "
            + "forwarded to the others at most once this often while they show it (200 to 3000: clients repeat "
            + "\"typing\" every 3 s and stop showing it after 6 s without one)"});
    }

    private final ConversationService conversations;
    private final MembershipCache membership;
    private final OnlineUsers online;
    private final long intervalMillis;
    /** Per sender and conversation ("account:conversation"), what the other members were last told. */
    private final Map<String, State> states = new ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();

    public TypingRelay(ConversationService conversations, MembershipCache membership, OnlineUsers online,
            long intervalMillis) {
        if (intervalMillis < MIN_INTERVAL_MS || intervalMillis > MAX_INTERVAL_MS) {
            throw new IllegalArgumentException("typing interval " + intervalMillis + " ms is outside "
                    + MIN_INTERVAL_MS + " to " + MAX_INTERVAL_MS);
        }
        this.conversations = conversations;
        this.membership = membership;
        this.online = online;
        this.intervalMillis = intervalMillis;
    }

    public void register(Handlers h) {
        h.on(Chat.Typing.class, (c, r) -> CompletableFuture.completedFuture(typing(c, r.conversationId(),
                r.typing())));
    }

    private Session.Ok typing(Caller caller, long id, boolean typing) {
        conversations.requireMember(caller, id);
        String key = caller.accountId() + ":" + id;
        long now = System.currentTimeMillis();
        boolean[] push = {false};
        states.compute(key, (k, state) -> {
            State st = state != null ? state : new State(false, 0, now, 0);
            long windowStart = st.windowStart();
            int pushes = st.pushes();
            if (now - windowStart >= intervalMillis) {
                windowStart = now;
                pushes = 0;
            }
            if (typing) {
                if (st.shown() && now - st.lastStart() < intervalMillis) {
                    return st; // coalesced: the others already know
                }
                if (pushes >= STARTS_PER_INTERVAL) {
                    return st; // flipping on and off: the rest of this interval's starts are not forwarded
                }
                push[0] = true;
                return new State(true, now, windowStart, pushes + 1);
            }
            if (!st.shown()) {
                return state; // nobody was told this sender is typing: nothing to take back
            }
            push[0] = true; // a "stopped" always goes out, so that no indicator stays on
            return new State(false, st.lastStart(), windowStart, pushes);
        });
        if ((calls.incrementAndGet() & 4095) == 0) {
            // forget senders that stopped (once their window is over) or that vanished while typing a while ago
            states.values().removeIf(st -> st.shown() ? now - st.lastStart() > FORGET_SHOWN_MS
                    : now - st.windowStart() >= intervalMillis);
        }
        if (!push[0]) {
            return new Session.Ok();
        }
        var change = new Chat.TypingChanged(id, caller.userName(), typing);
        for (long member : membership.members(id)) {
            if (member != caller.accountId()) {
                online.push(member, change, null);
            }
        }
        return new Session.Ok();
    }
}
