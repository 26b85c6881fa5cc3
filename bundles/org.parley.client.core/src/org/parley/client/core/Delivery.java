package org.parley.client.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.parley.client.core.internal.EventLoop;
import org.parley.client.core.internal.Link;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Contacts;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Message;
import org.parley.protocol.message.Reactions;
import org.parley.protocol.message.Session;

/**
 * A client's delivery job: the outbox of messages not yet acknowledged (resent after every reconnect, with the
 * same ids), the per-conversation cursors that hand messages to listeners once each and in order (catching up
 * with FetchAfter on a gap and after a reconnect), reactions' catch-up, delivered marks, receipts and typing, and
 * the pushes told to listeners. Everything here runs on the client's event thread.
 */
final class Delivery {

    private record PendingSend(Chat.Send request, CompletableFuture<Chat.Sent> result) {
    }

    /** Per conversation: the newest seq handed to listeners, the newest seq known to exist, a fetch under way. */
    private static final class Cursor {
        long delivered;
        long highestSeen;
        boolean fetching;
        /** The conversation's reaction revision this client has caught up with (-1: not known yet). */
        long reactionRevision = -1;
        boolean fetchingReactions;
    }

    private static final int PAGE = 200;
    private static final Set<ErrorCode> RETRYABLE = Set.of(ErrorCode.RATE_LIMITED, ErrorCode.UNAVAILABLE,
            ErrorCode.INTERNAL_ERROR);

    private final Connection connection;
    private final EventLoop events;
    private final Listeners listeners;
    private final DisplayNames names;
    private final ScheduledFuture<?> deliveredTimer;

    // Everything below is touched on the event thread only.
    private final Map<Long, Cursor> cursors = new HashMap<>();
    private final Map<String, PendingSend> outbox = new LinkedHashMap<>();
    private final RecentIds ownSent = new RecentIds(10_000); // recognises own messages met again in a catch-up
    /** Edit and delete entries handed to listeners ("conversation:seq"), so that each is reported once. */
    private final RecentIds changesReported = new RecentIds(10_000);
    private final Set<Long> deliveredDirty = new HashSet<>();

    Delivery(Connection connection, Listeners listeners, DisplayNames names) {
        this.connection = connection;
        this.events = connection.events();
        this.listeners = listeners;
        this.names = names;
        this.deliveredTimer = events.scheduleWithFixedDelay(this::flushDelivered, 500, 500, TimeUnit.MILLISECONDS);
    }

    private Link link() {
        return connection.link();
    }

    private String user() {
        return connection.user();
    }

    private void emit(Consumer<ClientListener> event) {
        listeners.emit(event);
    }

    /** Stops the delivered marks' timer (the client is closing). */
    void close() {
        deliveredTimer.cancel(false);
    }

    /**
     * On the event thread, after each (re)login: catch up on every conversation and resend the outbox.
     * {@code firstPage}: the answer to the {@code ListConversations} sent with the login (the resync's first page).
     */
    void online(CompletableFuture<Message> firstPage) {
        resync(link(), firstPage);
        outbox.values().forEach(this::transmit);
    }

    // ---------------------------------------------------------------- sending

    CompletableFuture<Chat.Sent> send(long conversationId, String clientMessageId, String text, long replyTo) {
        CompletableFuture<Chat.Sent> result = new CompletableFuture<>();
        events.execute(() -> {
            Session.Welcome w = connection.welcome();
            if (w != null && text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > w.maxMessageBytes()) {
                result.completeExceptionally(new ParleyClientException(ErrorCode.TOO_LARGE,
                        "the message is larger than the server's limit of " + w.maxMessageBytes() + " bytes"));
                return;
            }
            PendingSend p = new PendingSend(new Chat.Send(conversationId, clientMessageId, Chat.Kind.TEXT, text,
                    List.of(), replyTo), result);
            outbox.put(clientMessageId, p);
            if (link() != null && connection.state() == ConnectionState.ONLINE) {
                transmit(p);
            }
        });
        return result;
    }

    CompletableFuture<Integer> pendingCount() {
        return connection.onEvents(outbox::size);
    }

    CompletableFuture<List<Chat.Send>> pending(long conversationId) {
        return connection.onEvents(() -> outbox.values().stream().map(PendingSend::request)
                .filter(r -> r.conversationId() == conversationId).toList());
    }

    private void transmit(PendingSend p) {
        Link l = link();
        l.request(p.request()).whenComplete((reply, error) -> events.execute(() -> {
            if (outbox.get(p.request().clientMessageId()) != p) {
                return; // already settled by an earlier transmission
            }
            if (error == null) {
                outbox.remove(p.request().clientMessageId());
                acknowledged(p.request(), (Chat.Sent) reply);
                p.result().complete((Chat.Sent) reply);
                return;
            }
            ParleyClientException e = connection.explain(error);
            if (e.code() != null && !RETRYABLE.contains(e.code())) {
                outbox.remove(p.request().clientMessageId());
                p.result().completeExceptionally(e);
                emit(x -> x.messageFailed(p.request().clientMessageId(), e));
            } else if (e.code() != null && link() == l) {
                events.schedule(() -> {
                    if (outbox.get(p.request().clientMessageId()) == p && link() != null) {
                        transmit(p);
                    }
                }, 1, TimeUnit.SECONDS);
            }
            // no code: the connection is gone; the message is resent after the reconnect
        }));
    }

    private void acknowledged(Chat.Send request, Chat.Sent sent) {
        acknowledged(new Chat.ChatMessage(sent.conversationId(), sent.seq(), sent.timestamp(), user(),
                sent.clientMessageId(), Chat.Kind.TEXT, request.text(), List.of(), request.replyTo()));
    }

    /** A message from this client is stored (from any thread): told as {@code messageSent}, the cursor moves. */
    void posted(Chat.ChatMessage message) {
        events.execute(() -> acknowledged(message));
    }

    private void acknowledged(Chat.ChatMessage mine) {
        ownSent.add(mine.clientMessageId());
        boolean fresh = !mine.isChange() || changesReported.add(mine.conversationId() + ":" + mine.seq());
        Cursor c = cursor(mine.conversationId());
        c.highestSeen = Math.max(c.highestSeen, mine.seq());
        if (mine.seq() == c.delivered + 1) {
            c.delivered = mine.seq();
        }
        if (mine.kind() == Chat.Kind.EDIT) {
            if (fresh) {
                emit(l -> l.messageEdited(mine));
            }
        } else if (mine.kind() == Chat.Kind.DELETE) {
            if (fresh) {
                emit(l -> l.messageDeleted(mine));
            }
        } else {
            emit(l -> l.messageSent(mine));
        }
        if (c.highestSeen > c.delivered) {
            catchUp(mine.conversationId());
        }
    }

    // ---------------------------------------------------------------- receiving and catching up

    private Cursor cursor(long conversationId) {
        return cursors.computeIfAbsent(conversationId, id -> new Cursor());
    }

    void onPush(Message m) {
        switch (m) {
            case Chat.NewMessage n -> received(n.message());
            case Contacts.PresenceChanged p -> emit(l -> l.presenceChanged(p));
            case Contacts.ContactRequested r -> {
                names.put(r.from().user(), r.from().displayName());
                emit(l -> l.contactRequested(r.from()));
            }
            case Contacts.ContactAdded a -> {
                names.put(a.contact().user(), a.contact().displayName());
                emit(l -> l.contactAdded(a.contact()));
            }
            case Contacts.DisplayNameChanged d -> names.put(d.user(), d.displayName()); // its listeners hear it
            case Contacts.ContactDeclined d -> emit(l -> l.contactDeclined(d.user()));
            case Contacts.ContactRemoved r -> emit(l -> l.contactRemoved(r.user()));
            case Conversations.ConversationUpdated u -> {
                Cursor c = cursors.computeIfAbsent(u.conversation().id(), id -> new Cursor());
                if (c.reactionRevision < 0) {
                    c.reactionRevision = u.conversation().reactionRevision();
                }
                emit(l -> l.conversationUpdated(u.conversation()));
            }
            case Conversations.ConversationRemoved r -> {
                cursors.remove(r.conversationId());
                emit(l -> l.conversationRemoved(r.conversationId()));
            }
            case Chat.ReceiptChanged r -> emit(l -> l.receiptChanged(r));
            case Chat.TypingChanged t -> emit(l -> l.typingChanged(t));
            case Reactions.ReactionChanged r -> reactionChanged(r);
            case Session.ErrorReply e -> {
                ParleyClientException p = new ParleyClientException(e.code(), e.message());
                if (e.code() == ErrorCode.ACCOUNT_DISABLED) {
                    connection.stopWanting();
                }
                emit(l -> l.problem(p));
            }
            default -> {
            }
        }
    }

    private void received(Chat.ChatMessage m) {
        Cursor c = cursor(m.conversationId());
        c.highestSeen = Math.max(c.highestSeen, m.seq());
        if (m.seq() <= c.delivered) {
            return; // already handed over
        }
        if (m.seq() == c.delivered + 1 && !c.fetching) {
            deliver(c, m);
        } else {
            catchUp(m.conversationId()); // a gap: fetch what is missing, in order
        }
    }

    private void deliver(Cursor c, Chat.ChatMessage m) {
        c.delivered = m.seq();
        deliveredDirty.add(m.conversationId());
        boolean fromThisClient = m.sender().equals(user())
                && (ownSent.contains(m.clientMessageId()) || outbox.containsKey(m.clientMessageId()));
        if (m.isChange()) {
            // An edit or deletion is reported once: met here first (even this client's own, caught up before its
            // answer arrived) or when this client's request is answered.
            if (!changesReported.add(m.conversationId() + ":" + m.seq())) {
                return;
            }
        } else if (fromThisClient) {
            return; // this client's own sends are reported through messageSent
        }
        switch (m.kind()) {
            case EDIT -> emit(l -> l.messageEdited(m));
            case DELETE -> emit(l -> l.messageDeleted(m));
            default -> emit(l -> l.message(m));
        }
    }

    /** Fetches everything after the delivered cursor of one conversation, page by page, then checks again. */
    private void catchUp(long conversationId) {
        Cursor c = cursor(conversationId);
        if (c.fetching || link() == null) {
            return;
        }
        c.fetching = true;
        link().request(new Chat.FetchAfter(conversationId, c.delivered, PAGE)).whenComplete((r, e) ->
                events.execute(() -> {
                    c.fetching = false;
                    if (e != null) {
                        return; // the connection dropped or the conversation is gone: resync will come
                    }
                    Chat.MessagePage page = (Chat.MessagePage) r;
                    for (Chat.ChatMessage m : page.messages()) {
                        c.highestSeen = Math.max(c.highestSeen, m.seq());
                        if (m.seq() == c.delivered + 1) {
                            deliver(c, m);
                        }
                    }
                    if (page.more() || c.highestSeen > c.delivered) {
                        catchUp(conversationId);
                    }
                }));
    }

    /**
     * After (re)login: goes through every conversation, page by page from the first ({@code page}, asked for with the
     * login), and catches up on each one that has messages past what this client has handed over. A conversation
     * this client has never seen starts at the user's delivered mark, so a new device shows what was missed but does
     * not replay the whole history as new.
     */
    private void resync(Link on, CompletableFuture<Message> page) {
        page.whenComplete((r, e) -> events.execute(() -> {
            if (e != null) {
                return;
            }
            Conversations.ConversationList list = (Conversations.ConversationList) r;
            if (list.more() && !list.conversations().isEmpty() && link() == on) {
                resync(on, on.request(new Conversations.ListConversations(list.conversations().getLast().id(), 0)));
            }
            for (Conversations.ConversationInfo info : list.conversations()) {
                Cursor c = cursors.get(info.id());
                boolean known = c != null;
                if (c == null) {
                    c = cursor(info.id());
                    long mine = info.members().stream().filter(m -> m.user().equals(user())).mapToLong(
                            Conversations.Member::deliveredUpTo).findFirst().orElse(0);
                    c.delivered = mine;
                }
                c.highestSeen = Math.max(c.highestSeen, info.lastSeq());
                if (c.reactionRevision < 0 && known && c.delivered > 0) {
                    // Messages came before any revision did (a conversation met through a push): catch up on all.
                    c.reactionRevision = 0;
                }
                if (c.reactionRevision < 0) {
                    // New to this client: the messages it fetches bring their reactions along.
                    c.reactionRevision = info.reactionRevision();
                } else if (info.reactionRevision() > c.reactionRevision) {
                    catchUpReactions(info.id());
                }
                Conversations.ConversationInfo shown = info;
                emit(l -> l.conversationUpdated(shown));
                if (c.highestSeen > c.delivered) {
                    catchUp(info.id());
                }
            }
        }));
    }

    /** Tells the server, at most twice a second per conversation, how far messages have reached this user. */
    private void flushDelivered() {
        if (link() == null || deliveredDirty.isEmpty()) {
            return;
        }
        List<Long> dirty = new ArrayList<>(deliveredDirty);
        deliveredDirty.clear();
        for (long id : dirty) {
            Cursor c = cursors.get(id);
            if (c != null && c.delivered > 0) {
                link().tell(new Chat.MarkDelivered(id, c.delivered));
            }
        }
    }

    CompletableFuture<Long> deliveredUpTo(long conversationId) {
        return connection.onEvents(() -> {
            Cursor c = cursors.get(conversationId);
            return c == null ? 0L : c.delivered;
        });
    }

    /** A conversation this client learnt of from a reply (the server pushes it only to the other members). */
    Conversations.ConversationInfo known(Conversations.ConversationInfo info) {
        events.execute(() -> {
            Cursor c = cursors.get(info.id());
            if (c == null) {
                c = cursor(info.id());
                c.delivered = info.lastSeq(); // what exists already is history, not news
            }
            if (c.reactionRevision < 0) {
                c.reactionRevision = info.reactionRevision();
            }
            emit(l -> l.conversationUpdated(info));
        });
        return info;
    }

    // ---------------------------------------------------------------- reactions, receipts, typing

    CompletableFuture<Reactions.ReactionChanged> reacted(CompletableFuture<Reactions.ReactionChanged> f) {
        return f.thenApplyAsync(change -> {
            reactionChanged(change);
            return change;
        }, events);
    }

    /** On the event thread: a change (pushed, or this client's answer) moves the revision and is told. */
    private void reactionChanged(Reactions.ReactionChanged change) {
        Cursor c = cursor(change.conversationId());
        c.reactionRevision = Math.max(c.reactionRevision, change.revision());
        emit(l -> l.reactionsChanged(change.conversationId(), change.seq(), change.reactions()));
    }

    /**
     * Asks for the reactions that changed after the revision this client has, page by page, and tells listeners
     * (after a reconnect: changes made while this client was offline, on messages it may already show).
     */
    private void catchUpReactions(long conversationId) {
        Cursor c = cursor(conversationId);
        if (c.fetchingReactions || link() == null || c.reactionRevision < 0) {
            return;
        }
        c.fetchingReactions = true;
        link().request(new Reactions.FetchReactions(conversationId, c.reactionRevision, PAGE)).whenComplete((r, e) ->
                events.execute(() -> {
                    c.fetchingReactions = false;
                    if (e != null) {
                        return; // the connection dropped or the conversation is gone: resync will come
                    }
                    Reactions.ReactionUpdates page = (Reactions.ReactionUpdates) r;
                    for (Reactions.MessageReactions m : page.messages()) {
                        emit(l -> l.reactionsChanged(conversationId, m.seq(), m.reactions()));
                    }
                    c.reactionRevision = Math.max(c.reactionRevision, page.revision());
                    if (page.more()) {
                        catchUpReactions(conversationId);
                    }
                }));
    }

    void markRead(long conversationId, long upToSeq) {
        events.execute(() -> {
            if (link() != null) {
                link().tell(new Chat.MarkRead(conversationId, upToSeq));
            }
        });
    }

    void typing(long conversationId, boolean typing) {
        events.execute(() -> {
            if (link() != null) {
                link().tell(new Chat.Typing(conversationId, typing));
            }
        });
    }
}
