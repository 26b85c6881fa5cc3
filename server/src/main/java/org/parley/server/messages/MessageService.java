package org.parley.server.messages;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.parley.protocol.EncodedFrame;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.Frame;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Chat.Kind;
import org.parley.protocol.message.Reactions;
import org.parley.server.accounts.NameCache;
import org.parley.server.common.Caller;
import org.parley.server.common.Handlers;
import org.parley.server.common.ParleyException;
import org.parley.server.conversations.ConversationService;
import org.parley.server.conversations.MembershipCache;
import org.parley.server.conversations.SystemMessages;
import org.parley.server.messages.MessageStore.Draft;
import org.parley.server.common.ClientLink;
import org.parley.server.common.OnlineUsers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sending and history. A send is validated here (on the connection's I/O thread when every check is in memory,
 * {@link #sendNeedsNoWait}, else on its worker), written by the {@link MessageWriter}
 * and answered with {@code Sent} once durable; the writer then pushes it to every online connection of every
 * member, except the connection it came from.
 */
public final class MessageService implements SystemMessages, AutoCloseable {

    public static final int MAX_PAGE = 500;
    /** Longest client message id (and so client upload id, which becomes the id of the message it posts). */
    public static final int MAX_CLIENT_ID = 64;
    /** Room in a frame for the header and a page's own fields, around its messages. */
    private static final int PAGE_OVERHEAD = 64;
    private static final Logger LOG = LoggerFactory.getLogger(MessageService.class);

    private volatile MessageMetrics metrics = MessageMetrics.NONE;
    private final MessageStore store;
    private final MembershipCache membership;
    private final OnlineUsers online;
    private final NameCache names;
    private final int maxMessageBytes;
    private final int maxFrameBytes;
    private final MessageWriter writer;
    private ConversationService conversations;
    private volatile ReactionSummaries reactions = (conversationId, seqs) -> Map.of();

    /** The reactions feature's summaries of stored messages, by seq (messages without reactions left out). */
    @FunctionalInterface
    public interface ReactionSummaries {
        Map<Long, List<Reactions.Reaction>> of(long conversationId, Collection<Long> seqs);
    }
    private volatile EditLimits editLimits = EditLimits.defaults();

    public MessageService(MessageStore store, MembershipCache membership, OnlineUsers online, NameCache names,
            int maxMessageBytes, int maxFrameBytes) {
        this.store = store;
        this.membership = membership;
        this.online = online;
        this.names = names;
        this.maxMessageBytes = maxMessageBytes;
        this.maxFrameBytes = maxFrameBytes;
        this.writer = new MessageWriter(store, this::fanOut, 65_536, 1024);
    }

    /**
     * Where each batch of newly stored messages is handed, on the writer's thread right after it is durable and
     * before its senders are answered (the search index). The listener must not block: it queues the batch.
     */
    public void onCommitted(Consumer<List<StoredMessage>> listener) {
        writer.onCommitted(listener);
    }

    /** Set once at start-up: where the reaction summaries of fetched messages come from (none until set). */
    public void setReactions(ReactionSummaries summaries) {
        this.reactions = summaries;
    }

    /** Set once at start-up (the two services refer to each other). */
    public void setConversations(ConversationService conversations) {
        this.conversations = conversations;
    }

    /** The edit and delete windows (set once at start-up; the defaults until then). */
    public void setEditLimits(EditLimits limits) {
        this.editLimits = limits;
    }

    public void register(Handlers h) {
        h.on(Chat.Send.class, this::send);
        h.inline(Chat.Send.class, this::sendNeedsNoWait);
        h.on(Chat.Edit.class, this::edit);
        h.on(Chat.Delete.class, this::delete);
        h.on(Chat.FetchAfter.class, (c, r) -> CompletableFuture.completedFuture(
                fetch(c, r.conversationId(), r.limit(), true, r.afterSeq())));
        h.on(Chat.FetchBefore.class, (c, r) -> CompletableFuture.completedFuture(
                fetch(c, r.conversationId(), r.limit(), false, r.beforeSeq())));
    }

    /**
     * Whether a send's checks are all in memory, so that it can be handled on the I/O thread: its conversation's
     * members are cached and it names no message to reply to (whose check may read storage). The writer's queue
     * never blocks. A conversation's members forgotten in between (a membership change) are loaded on that thread
     * once.
     */
    boolean sendNeedsNoWait(Caller caller, Chat.Send r) {
        return r.replyTo() == 0 && membership.cached(r.conversationId());
    }

    private CompletableFuture<Chat.Sent> send(Caller caller, Chat.Send r) {
        if (r.kind() == Kind.SYSTEM) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "SYSTEM messages are written by the server");
        }
        if (r.kind() == Kind.EDIT || r.kind() == Kind.DELETE) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "messages are edited with Edit and deleted with "
                    + "Delete, not with Send");
        }
        if (r.kind() != Kind.TEXT || !r.attachments().isEmpty()) {
            // Attachments name files the server holds: only the files feature posts them, after an upload.
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT,
                    "files are sent with UploadStart and UploadFinish, not with Send");
        }
        String id = r.clientMessageId();
        requireClientId(id);
        if (r.text().isBlank()) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "a message needs text");
        }
        requireTextSize(r.text());
        conversations.requireMember(caller, r.conversationId());
        requireReplyTarget(r.conversationId(), r.replyTo());
        Draft draft = new Draft(r.conversationId(), caller.accountId(), id, Kind.TEXT, System.currentTimeMillis(),
                r.text(), new byte[0], r.replyTo());
        return writer.submit(draft, caller.link()).thenApply(result -> new Chat.Sent(r.conversationId(), id,
                result.message().seq(), result.message().timestamp(), result.duplicate()));
    }

    /**
     * INVALID_ARGUMENT unless {@code replyTo} is 0 (no reply) or the seq of a message stored in the conversation.
     * Sequence numbers are gap-free from 1 and never taken back, so a number up to the conversation's last one
     * names a message of it; a seq that only another conversation has reaches past this one's last.
     */
    public void requireReplyTarget(long conversationId, long replyTo) {
        if (replyTo < 0) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "replyTo cannot be negative");
        }
        if (replyTo > 0 && replyTo > store.lastSeq(conversationId)) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "replyTo " + replyTo + " names no message of "
                    + "conversation " + conversationId + ": a reply answers a message of its own conversation");
        }
    }

    /**
     * Edits the caller's own message: a TEXT message's text (not blank) or a FILE or MEDIA message's caption,
     * within the edit window. Stored and pushed as an EDIT entry; answered with that entry's Sent.
     */
    private CompletableFuture<Chat.Sent> edit(Caller caller, Chat.Edit r) {
        String id = r.clientMessageId();
        requireClientId(id);
        requireTextSize(r.text());
        conversations.requireMember(caller, r.conversationId());
        long now = System.currentTimeMillis();
        Draft draft = new Draft(r.conversationId(), caller.accountId(), id, Kind.EDIT, now, r.text(), new byte[0],
                r.seq(), List.of());
        if (store.clientIdUsed(caller.accountId(), id)) {
            // A resend: answered with the first one (whatever the window says now), or CONFLICT.
            return writer.submit(draft, caller.link()).thenApply(result -> changeSent(result, Kind.EDIT, r.seq(), id));
        }
        StoredMessage target = target(r.conversationId(), r.seq(), "edited");
        if (target.senderId() != caller.accountId()) {
            throw new ParleyException(ErrorCode.FORBIDDEN, "only its sender may edit a message");
        }
        if (target.kind() == Kind.TEXT && r.text().isBlank()) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "an edited message needs text (delete it instead)");
        }
        requireWithin(editLimits.editWindowSeconds(), target, now, "edited");
        return writer.submit(draft, caller.link()).thenApply(result -> changeSent(result, Kind.EDIT, r.seq(), id));
    }

    /**
     * Deletes a message for everyone: the caller's own within the delete window, or anyone's for an admin of the
     * group. Stored and pushed as a DELETE entry; the message becomes a tombstone and its files are deleted.
     */
    private CompletableFuture<Chat.Sent> delete(Caller caller, Chat.Delete r) {
        String id = r.clientMessageId();
        requireClientId(id);
        conversations.requireMember(caller, r.conversationId());
        long now = System.currentTimeMillis();
        if (store.clientIdUsed(caller.accountId(), id)) {
            Draft resend = new Draft(r.conversationId(), caller.accountId(), id, Kind.DELETE, now, "", new byte[0],
                    r.seq(), List.of());
            return writer.submit(resend, caller.link())
                    .thenApply(result -> changeSent(result, Kind.DELETE, r.seq(), id));
        }
        StoredMessage target = target(r.conversationId(), r.seq(), "deleted");
        if (target.senderId() != caller.accountId()) {
            if (!conversations.isGroupAdmin(caller, r.conversationId())) {
                throw new ParleyException(ErrorCode.FORBIDDEN, "only its sender or the group's admins may delete "
                        + "a message");
            }
        } else {
            requireWithin(editLimits.deleteWindowSeconds(), target, now, "deleted");
        }
        List<String> files = new ArrayList<>();
        for (Chat.Attachment a : attachmentsOf(target)) {
            files.add(a.fileId());
        }
        Draft draft = new Draft(r.conversationId(), caller.accountId(), id, Kind.DELETE, now, "", new byte[0],
                r.seq(), files);
        return writer.submit(draft, caller.link()).thenApply(result -> changeSent(result, Kind.DELETE, r.seq(), id));
    }

    /**
     * The message an edit or deletion names: one that exists, is a TEXT, FILE or MEDIA message and is not deleted
     * (CONFLICT). Resends do not come here: the append answers them as the duplicates they are.
     */
    private StoredMessage target(long conversationId, long seq, String verb) {
        if (seq < 1) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "seq must be 1 or more, not " + seq);
        }
        StoredMessage m = store.message(conversationId, seq).orElseThrow(() -> new ParleyException(
                ErrorCode.INVALID_ARGUMENT, "there is no message " + seq + " in conversation " + conversationId));
        if (m.kind() != Kind.TEXT && m.kind() != Kind.FILE && m.kind() != Kind.MEDIA) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "a " + m.kind() + " message cannot be " + verb);
        }
        if (m.deleted()) {
            throw new ParleyException(ErrorCode.CONFLICT, "message " + seq + " was deleted");
        }
        return m;
    }

    private static void requireWithin(long windowSeconds, StoredMessage target, long now, String done) {
        if (windowSeconds > 0 && now - target.timestamp() > windowSeconds * 1000) {
            throw new ParleyException(ErrorCode.FORBIDDEN, "a message can only be " + done + " within "
                    + windowSeconds + " seconds of sending it");
        }
    }

    /** The answer to an edit or deletion; CONFLICT when its client id was already used for something else. */
    private static Chat.Sent changeSent(MessageStore.AppendResult result, Kind kind, long targetSeq, String id) {
        StoredMessage m = result.message();
        if (m.kind() != kind || m.targetSeq() != targetSeq) {
            throw new ParleyException(ErrorCode.CONFLICT, "the client id " + id + " was already used for another "
                    + "message");
        }
        return new Chat.Sent(m.conversationId(), id, m.seq(), m.timestamp(), result.duplicate());
    }

    /** INVALID_ARGUMENT unless {@code id} is a usable client message id. */
    public static void requireClientId(String id) {
        if (id.isEmpty() || id.length() > MAX_CLIENT_ID) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "a message needs a client message id of 1 to "
                    + MAX_CLIENT_ID + " characters");
        }
    }

    /**
     * CONFLICT when the caller already sent a message with this client id (an upload's client id becomes its
     * message's: refused before any byte of the file is stored).
     */
    public void requireUnusedClientId(Caller caller, String clientMessageId) {
        if (store.clientIdUsed(caller.accountId(), clientMessageId)) {
            throw new ParleyException(ErrorCode.CONFLICT, "the client id " + clientMessageId + " was already used "
                    + "for one of your messages; use a new one");
        }
    }

    /** TOO_LARGE when {@code text} is over the server's message limit. */
    public void requireTextSize(String text) {
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxMessageBytes) {
            throw new ParleyException(ErrorCode.TOO_LARGE, "the text has " + bytes + " bytes; the limit is "
                    + maxMessageBytes);
        }
    }

    /**
     * Posts a FILE or MEDIA message for the files feature, which has checked the caller's membership, the text and
     * the files the attachments name. Like a send: durable before the answer, deduplicated on the client id (a
     * second post answers the first message with {@code duplicate}), pushed to the members. {@code replyTo}: the
     * message it answers (0: none), checked with {@link #requireReplyTarget}.
     */
    public CompletableFuture<Chat.Sent> postAttachments(Caller caller, long conversationId, String clientMessageId,
            Kind kind, String text, List<Chat.Attachment> attachments, long replyTo) {
        if (kind != Kind.FILE && kind != Kind.MEDIA) {
            throw new IllegalArgumentException("attachments go in FILE or MEDIA messages, not " + kind);
        }
        Draft draft = new Draft(conversationId, caller.accountId(), clientMessageId, kind, System.currentTimeMillis(),
                text, Attachments.encode(attachments), replyTo);
        return writer.submit(draft, caller.link()).thenApply(result -> {
            StoredMessage m = result.message();
            if (m.kind() != kind || m.conversationId() != conversationId) {
                throw new ParleyException(ErrorCode.CONFLICT, "the client id " + clientMessageId
                        + " was already used for another message");
            }
            return new Chat.Sent(conversationId, clientMessageId, m.seq(), m.timestamp(), result.duplicate());
        });
    }

    @Override
    public CompletableFuture<Long> post(long conversationId, long actorId, String text) {
        return writer.submit(new Draft(conversationId, actorId, "", Kind.SYSTEM, System.currentTimeMillis(), text,
                new byte[0]), null).thenApply(result -> result.message().seq());
    }

    /**
     * Pushes a stored batch to every member's connections but the one each message came from. Each message is
     * encoded once for all connections, and each connection gets all of the batch's messages for it in one write,
     * in sequence order: in a busy group a member's connection takes one write per batch, not one per message.
     * Connections that get the same messages (a group's members) share one joined buffer.
     */
    /** Where stored messages and their deliveries are reported (metrics); none until set. */
    public void setMetrics(MessageMetrics metrics) {
        this.metrics = metrics;
        writer.setStages(metrics.stages());
    }

    private void fanOut(List<MessageWriter.Stored> batch) {
        Map<ClientLink, List<EncodedFrame>> perLink = new LinkedHashMap<>();
        // With the stages timed: when each push's message was received, to time its delivery to each socket.
        Map<EncodedFrame, Long> received = metrics.stages().timing() ? new IdentityHashMap<>() : null;
        for (MessageWriter.Stored s : batch) {
            StoredMessage m = s.message();
            var push = EncodedFrame.of(Frame.push(new Chat.NewMessage(toWire(m, names.name(m.senderId())))),
                    maxFrameBytes);
            if (received != null) {
                received.put(push, s.receivedNanos());
            }
            Set<Long> members = membership.members(m.conversationId());
            for (long member : members) {
                online.forEachLink(member, s.origin(),
                        link -> perLink.computeIfAbsent(link, l -> new ArrayList<>(2)).add(push));
            }
            online.pushToPeers(members, push);
        }
        int deliveries = 0;
        for (List<EncodedFrame> frames : perLink.values()) {
            deliveries += frames.size();
        }
        metrics.fannedOut(batch.size(), deliveries);
        Map<List<EncodedFrame>, EncodedFrame> joined = new HashMap<>();
        perLink.forEach((link, frames) -> {
            EncodedFrame frame = frames.size() == 1 ? frames.get(0) : joined.computeIfAbsent(frames,
                    EncodedFrame::concat);
            if (received == null) {
                link.push(frame);
            } else {
                long[] stamps = new long[frames.size()];
                for (int i = 0; i < stamps.length; i++) {
                    stamps[i] = received.getOrDefault(frames.get(i), 0L);
                }
                link.push(frame, stamps);
            }
        });
    }

    private Chat.MessagePage fetch(Caller caller, long conversationId, int limit, boolean after, long seq) {
        conversations.requireMember(caller, conversationId);
        if (limit < 1 || limit > MAX_PAGE) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "a page has 1 to " + MAX_PAGE + " messages, not "
                    + limit);
        }
        if (seq < 0) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, (after ? "afterSeq" : "beforeSeq")
                    + " cannot be negative");
        }
        int n = limit;
        List<StoredMessage> rows = after ? store.after(conversationId, seq, n + 1) : store.before(conversationId,
                seq, n + 1);
        boolean more = rows.size() > n;
        if (more) {
            rows = after ? rows.subList(0, n) : rows.subList(1, rows.size());
        }
        Map<Long, String> n2 = names.names(rows.stream().map(StoredMessage::senderId).distinct().toList());
        Map<Long, List<Reactions.Reaction>> summaries = reactions.of(conversationId,
                rows.stream().map(StoredMessage::seq).toList());
        List<Chat.ChatMessage> out = new ArrayList<>(rows.size());
        int[] sizes = new int[rows.size()];
        int total = 0;
        for (int i = 0; i < rows.size(); i++) {
            Chat.ChatMessage m = toWire(rows.get(i), n2.getOrDefault(rows.get(i).senderId(), "?"))
                    .withReactions(summaries.getOrDefault(rows.get(i).seq(), List.of()));
            sizes[i] = wireSize(m);
            total += sizes[i];
            out.add(m);
        }
        // Thumbnails ride in attachments: a page must still fit in one frame. Cut it (and say there is more),
        // keeping the messages next to where the client asked from.
        int budget = caller.link().pageBytes(maxFrameBytes) - PAGE_OVERHEAD;
        while (total > budget && out.size() > 1) {
            int drop = after ? out.size() - 1 : 0;
            total -= sizes[after ? out.size() - 1 : rows.size() - out.size()];
            out.remove(drop);
            more = true;
        }
        return new Chat.MessagePage(conversationId, out, more);
    }

    /** Stored messages as the protocol carries them, with their senders' names. */
    public List<Chat.ChatMessage> toWire(List<StoredMessage> rows) {
        Map<Long, String> n = names.names(rows.stream().map(StoredMessage::senderId).distinct().toList());
        Map<Long, List<Long>> seqsByConversation = new HashMap<>();
        for (StoredMessage m : rows) {
            seqsByConversation.computeIfAbsent(m.conversationId(), c -> new ArrayList<>()).add(m.seq());
        }
        Map<Long, Map<Long, List<Reactions.Reaction>>> summaries = new HashMap<>();
        seqsByConversation.forEach((c, seqs) -> summaries.put(c, reactions.of(c, seqs)));
        List<Chat.ChatMessage> out = new ArrayList<>(rows.size());
        for (StoredMessage m : rows) {
            out.add(toWire(m, n.getOrDefault(m.senderId(), "?")).withReactions(
                    summaries.get(m.conversationId()).getOrDefault(m.seq(), List.of())));
        }
        return out;
    }

    /** About how many bytes a message takes in a frame (to cut pages that must fit in one). */
    public static int wireSize(Chat.ChatMessage m) {
        return Attachments.wireSize(m.sender(), m.clientMessageId(), m.text(), m.attachments())
                + wireSize(m.reactions());
    }

    /** About how many bytes a reaction summary takes in a frame. */
    public static int wireSize(List<Reactions.Reaction> summary) {
        int size = 4;
        for (Reactions.Reaction r : summary) {
            size += 8 + r.emoji().length() * 3;
            for (String u : r.users()) {
                size += 2 + u.length();
            }
        }
        return size;
    }

    /** The attachments of a stored message (none when they cannot be read). */
    public static List<Chat.Attachment> attachmentsOf(StoredMessage m) {
        try {
            return Attachments.decode(m.attachments());
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private Chat.ChatMessage toWire(StoredMessage m, String sender) {
        List<Chat.Attachment> attachments;
        try {
            attachments = Attachments.decode(m.attachments());
        } catch (RuntimeException e) {
            LOG.atError().setCause(e).addKeyValue("conversation", m.conversationId()).addKeyValue("seq", m.seq())
                    .log("unreadable attachments; the message goes out without them");
            attachments = List.of();
        }
        return new Chat.ChatMessage(m.conversationId(), m.seq(), m.timestamp(), sender, m.clientMessageId(),
                m.kind(), m.text(), attachments, m.replyTo(), List.of(), m.editedAt(), m.deleted(), m.targetSeq());
    }

    @Override
    public void close() {
        writer.close();
    }
}
