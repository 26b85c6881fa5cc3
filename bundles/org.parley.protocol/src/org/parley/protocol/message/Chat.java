package org.parley.protocol.message;

import java.util.List;

import org.parley.protocol.codec.Since;
import org.parley.protocol.codec.VersionAware;
import org.parley.protocol.codec.WireEnum;

/** Messages in conversations: sending, delivery, history, receipts and typing. */
public final class Chat {

    /**
     * What a message is. FILE and MEDIA carry {@link Attachment}s; SYSTEM messages are written by the server.
     * EDIT and DELETE (version 2) are the entries that edit or delete an earlier message ({@link Edit},
     * {@link Delete}): sequenced like any message, never shown as one; see {@link ChatMessage#targetSeq}.
     */
    public enum Kind implements WireEnum {
        TEXT(0), FILE(1), MEDIA(2), SYSTEM(3), EDIT(4), DELETE(5);

        private final int code;

        Kind(int code) {
            this.code = code;
        }

        @Override
        public int wireCode() {
            return code;
        }

        /** The kind of message that carries a file of this media type: MEDIA for pictures, video and audio. */
        public static Kind forMediaType(String mediaType) {
            return mediaType.startsWith("image/") || mediaType.startsWith("video/") || mediaType.startsWith("audio/")
                    ? MEDIA : FILE;
        }
    }

    /**
     * A file attached to a message (file transfer): its server id, name, media type, size in bytes, SHA-256 (hex),
     * and for pictures and videos the dimensions, duration and a small thumbnail (empty when none).
     */
    public record Attachment(String fileId, String name, String mediaType, long size, String sha256, int width,
            int height, long durationMillis, byte[] thumbnail) {
    }

    /**
     * A stored message. {@code seq} is assigned by the server, gap-free and increasing per conversation;
     * {@code timestamp} is the server's clock (epoch ms) when the message was stored; {@code clientMessageId} is
     * the sender's id that makes a send idempotent. {@code replyTo} (version 2) is the seq of the message of the
     * same conversation that this one answers, 0 when it answers none. {@code reactions} (version 2) sums up the
     * message's emoji reactions, one entry per emoji in the order they were first chosen.
     *
     * <p>Version 2 also: {@code editedAt} is when the text was last edited (epoch ms, 0 = never); {@code deleted}
     * marks a tombstone (text "" and no attachments: the message was deleted for everyone). An entry of kind
     * {@link Kind#EDIT} or {@link Kind#DELETE} changes the message numbered {@code targetSeq} in the same
     * conversation (0 for every other kind): {@code sender} did it at {@code timestamp}, and an EDIT's {@code text}
     * is the message's current text. Version 1 has none of these: {@link #forVersion} gives it a SYSTEM line
     * instead of such an entry, and a SYSTEM line instead of a tombstone.
     */
    public record ChatMessage(long conversationId, long seq, long timestamp, String sender, String clientMessageId,
            Kind kind, String text, List<Attachment> attachments, @Since(2) long replyTo,
            @Since(2) List<Reactions.Reaction> reactions, @Since(2) long editedAt, @Since(2) boolean deleted,
            @Since(2) long targetSeq) implements VersionAware {

        /** A message that answers no other one, without reactions, never edited. */
        public ChatMessage(long conversationId, long seq, long timestamp, String sender, String clientMessageId,
                Kind kind, String text, List<Attachment> attachments) {
            this(conversationId, seq, timestamp, sender, clientMessageId, kind, text, attachments, 0, List.of(), 0,
                    false, 0);
        }

        /** A message without reactions (a new one, or one for a version 1 connection). */
        public ChatMessage(long conversationId, long seq, long timestamp, String sender, String clientMessageId,
                Kind kind, String text, List<Attachment> attachments, long replyTo) {
            this(conversationId, seq, timestamp, sender, clientMessageId, kind, text, attachments, replyTo,
                    List.of(), 0, false, 0);
        }

        /** A message that answers no other one, with a reaction summary. */
        public ChatMessage(long conversationId, long seq, long timestamp, String sender, String clientMessageId,
                Kind kind, String text, List<Attachment> attachments, List<Reactions.Reaction> reactions) {
            this(conversationId, seq, timestamp, sender, clientMessageId, kind, text, attachments, 0, reactions, 0,
                    false, 0);
        }

        /** A message or an edit/delete entry without reply or reactions. */
        public ChatMessage(long conversationId, long seq, long timestamp, String sender, String clientMessageId,
                Kind kind, String text, List<Attachment> attachments, long editedAt, boolean deleted, long targetSeq) {
            this(conversationId, seq, timestamp, sender, clientMessageId, kind, text, attachments, 0, List.of(),
                    editedAt, deleted, targetSeq);
        }

        /** The same message with another reaction summary. */
        public ChatMessage withReactions(List<Reactions.Reaction> summary) {
            return new ChatMessage(conversationId, seq, timestamp, sender, clientMessageId, kind, text, attachments,
                    replyTo, summary, editedAt, deleted, targetSeq);
        }

        /** Whether this entry edits or deletes another message rather than being one to show. */
        public boolean isChange() {
            return kind == Kind.EDIT || kind == Kind.DELETE;
        }

        /** The message with {@code text} as edited at {@code at}. */
        public ChatMessage edited(String newText, long at) {
            return new ChatMessage(conversationId, seq, timestamp, sender, clientMessageId, kind, newText,
                    attachments, replyTo, reactions, at, deleted, targetSeq);
        }

        /** The message's tombstone: no text, no attachments, no reactions. */
        public ChatMessage tombstone() {
            return new ChatMessage(conversationId, seq, timestamp, sender, clientMessageId, kind, "", List.of(),
                    replyTo, List.of(), editedAt, true, targetSeq);
        }

        /**
         * Version 1 cannot decode EDIT or DELETE nor see a tombstone: it gets a SYSTEM line in their place ("ann
         * edited a message", "ann deleted a message", "This message was deleted."), so that its sequence stays
         * gap-free and it shows something true.
         */
        @Override
        public Object forVersion(int version) {
            if (version >= 2) {
                return this;
            }
            if (kind == Kind.EDIT || kind == Kind.DELETE) {
                return new ChatMessage(conversationId, seq, timestamp, sender, clientMessageId, Kind.SYSTEM,
                        sender + (kind == Kind.EDIT ? " edited a message" : " deleted a message"), List.of());
            }
            if (deleted) {
                return new ChatMessage(conversationId, seq, timestamp, sender, clientMessageId, Kind.SYSTEM,
                        "This message was deleted.", List.of());
            }
            return this;
        }
    }

    /**
     * Sends a message. {@code clientMessageId} (for example a UUID) is unique per sender: sending it again
     * returns the first send's {@link Sent} and stores nothing. {@code replyTo} (version 2): the seq of the message
     * of the same conversation this one answers, 0 for none. Answer: {@link Sent}, once the message is durable.
     */
    public record Send(long conversationId, String clientMessageId, Kind kind, String text,
            List<Attachment> attachments, @Since(2) long replyTo) implements Message {

        /** A message that answers no other one. */
        public Send(long conversationId, String clientMessageId, Kind kind, String text,
                List<Attachment> attachments) {
            this(conversationId, clientMessageId, kind, text, attachments, 0);
        }
    }

    /**
     * Edits the text of one's own message {@code seq} (a TEXT message's text, or a FILE or MEDIA message's caption)
     * within the server's edit window. {@code clientMessageId} makes it idempotent as for {@link Send}: sending it
     * again answers the first {@link Sent} with {@code duplicate} and changes nothing. The edit is stored as an
     * entry of kind {@link Kind#EDIT} with a sequence number of its own, pushed to the members as a
     * {@link NewMessage}, and the message itself holds the new text with {@code editedAt}. Answer: {@link Sent}
     * (the entry's seq and timestamp), once durable.
     */
    public record Edit(long conversationId, long seq, String clientMessageId, String text) implements Message {
    }

    /**
     * Deletes message {@code seq} for everyone: one's own within the server's delete window, or, for a group's
     * admin, anyone's. The message becomes a tombstone (no text, no attachments; its files are gone from the
     * server), and an entry of kind {@link Kind#DELETE} is stored and pushed as for {@link Edit}. Idempotent on
     * {@code clientMessageId}. Answer: {@link Sent} (the entry's seq and timestamp), once durable.
     */
    public record Delete(long conversationId, long seq, String clientMessageId) implements Message {
    }

    /** Answer to Send: the message is stored under {@code seq}. {@code duplicate} tells that it was a resend. */
    public record Sent(long conversationId, String clientMessageId, long seq, long timestamp, boolean duplicate)
            implements Message {
    }

    /** Push: a new message in a conversation of the receiver (not sent back to the sending connection). */
    public record NewMessage(ChatMessage message) implements Message {
    }

    /** Asks for messages with seq &gt; {@code afterSeq}, oldest first (resync). Answer: {@link MessagePage}. */
    public record FetchAfter(long conversationId, long afterSeq, int limit) implements Message {
    }

    /**
     * Asks for the newest messages with seq &lt; {@code beforeSeq} (0 = from the newest), returned oldest first
     * (history, paging backwards). Answer: {@link MessagePage}.
     */
    public record FetchBefore(long conversationId, long beforeSeq, int limit) implements Message {
    }

    /** Answer to FetchAfter and FetchBefore; {@code more} tells that the server holds more in that direction. */
    public record MessagePage(long conversationId, List<ChatMessage> messages, boolean more) implements Message {
    }

    /** The caller has received the conversation's messages up to {@code upToSeq}. Answer: Ok (if asked). */
    public record MarkDelivered(long conversationId, long upToSeq) implements Message {
    }

    /** The caller has read the conversation's messages up to {@code upToSeq}. Answer: Ok (if asked). */
    public record MarkRead(long conversationId, long upToSeq) implements Message {
    }

    /** Push: a member's delivered and read marks moved. */
    public record ReceiptChanged(long conversationId, String user, long deliveredUpTo, long readUpTo)
            implements Message {
    }

    /** The caller started or stopped typing in a conversation. Answer: Ok (if asked). */
    public record Typing(long conversationId, boolean typing) implements Message {
    }

    /** Push: another member started or stopped typing. */
    public record TypingChanged(long conversationId, String user, boolean typing) implements Message {
    }

    private Chat() {
    }
}
