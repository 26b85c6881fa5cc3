package org.parley.server.messages;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Chat.Kind;
import org.parley.server.accounts.NameCache;
import org.parley.server.common.Caller;
import org.parley.server.common.Handlers;
import org.parley.server.common.ParleyException;
import org.parley.server.conversations.ConversationService;
import org.parley.server.conversations.MembershipCache;
import org.parley.server.conversations.SystemMessages;
import org.parley.server.messages.MessageStore.Draft;
import org.parley.server.presence.ClientLink;
import org.parley.server.presence.OnlineUsers;

/**
 * Sending and history. A send is validated here (on the connection's worker), written by the {@link MessageWriter}
 * and answered with {@code Sent} once durable; the writer then pushes it to every online connection of every
 * member, except the connection it came from.
 */
public final class MessageService implements SystemMessages, AutoCloseable {

    public static final int MAX_PAGE = 500;
    private static final int MAX_CLIENT_ID = 64;

    private final MessageStore store;
    private final MembershipCache membership;
    private final OnlineUsers online;
    private final NameCache names;
    private final int maxMessageBytes;
    private final MessageWriter writer;
    private ConversationService conversations;

    public MessageService(MessageStore store, MembershipCache membership, OnlineUsers online, NameCache names,
            int maxMessageBytes) {
        this.store = store;
        this.membership = membership;
        this.online = online;
        this.names = names;
        this.maxMessageBytes = maxMessageBytes;
        this.writer = new MessageWriter(store, this::fanOut, 65_536, 1024);
    }

    /** Set once at start-up (the two services refer to each other). */
    public void setConversations(ConversationService conversations) {
        this.conversations = conversations;
    }

    public void register(Handlers h) {
        h.on(Chat.Send.class, this::send);
        h.on(Chat.FetchAfter.class, (c, r) -> CompletableFuture.completedFuture(
                fetch(c, r.conversationId(), r.limit(), true, r.afterSeq())));
        h.on(Chat.FetchBefore.class, (c, r) -> CompletableFuture.completedFuture(
                fetch(c, r.conversationId(), r.limit(), false, r.beforeSeq())));
    }

    private CompletableFuture<Chat.Sent> send(Caller caller, Chat.Send r) {
        if (r.kind() == Kind.SYSTEM) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "SYSTEM messages are written by the server");
        }
        if (r.kind() != Kind.TEXT || !r.attachments().isEmpty()) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "file transfer is not supported by this server yet");
        }
        String id = r.clientMessageId();
        if (id.isEmpty() || id.length() > MAX_CLIENT_ID) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "a message needs a client message id of 1 to "
                    + MAX_CLIENT_ID + " characters");
        }
        if (r.text().isBlank()) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "a message needs text");
        }
        int bytes = r.text().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxMessageBytes) {
            throw new ParleyException(ErrorCode.TOO_LARGE, "the message has " + bytes + " bytes; the limit is "
                    + maxMessageBytes);
        }
        conversations.requireMember(caller, r.conversationId());
        Draft draft = new Draft(r.conversationId(), caller.accountId(), id, Kind.TEXT, System.currentTimeMillis(),
                r.text(), new byte[0]);
        return writer.submit(draft, caller.link()).thenApply(result -> new Chat.Sent(r.conversationId(), id,
                result.message().seq(), result.message().timestamp(), result.duplicate()));
    }

    @Override
    public CompletableFuture<?> post(long conversationId, long actorId, String text) {
        return writer.submit(new Draft(conversationId, actorId, "", Kind.SYSTEM, System.currentTimeMillis(), text,
                new byte[0]), null);
    }

    private void fanOut(StoredMessage m, ClientLink origin) {
        var push = new Chat.NewMessage(toWire(m, names.name(m.senderId())));
        for (long member : membership.members(m.conversationId())) {
            online.push(member, push, origin);
        }
    }

    private Chat.MessagePage fetch(Caller caller, long conversationId, int limit, boolean after, long seq) {
        conversations.requireMember(caller, conversationId);
        int n = Math.max(1, Math.min(MAX_PAGE, limit));
        List<StoredMessage> rows = after ? store.after(conversationId, seq, n + 1) : store.before(conversationId,
                seq, n + 1);
        boolean more = rows.size() > n;
        if (more) {
            rows = after ? rows.subList(0, n) : rows.subList(1, rows.size());
        }
        Map<Long, String> n2 = names.names(rows.stream().map(StoredMessage::senderId).distinct().toList());
        List<Chat.ChatMessage> out = new ArrayList<>(rows.size());
        for (StoredMessage m : rows) {
            out.add(toWire(m, n2.getOrDefault(m.senderId(), "?")));
        }
        return new Chat.MessagePage(conversationId, out, more);
    }

    static Chat.ChatMessage toWire(StoredMessage m, String sender) {
        return new Chat.ChatMessage(m.conversationId(), m.seq(), m.timestamp(), sender, m.clientMessageId(),
                m.kind(), m.text(), List.of());
    }

    @Override
    public void close() {
        writer.close();
    }
}
