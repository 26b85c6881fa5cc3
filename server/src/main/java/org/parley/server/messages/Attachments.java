package org.parley.server.messages;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.parley.protocol.codec.MalformedFrameException;
import org.parley.protocol.codec.WireReader;
import org.parley.protocol.codec.WireWriter;
import org.parley.protocol.message.Chat.Attachment;

/**
 * The stored form of a message's attachments ({@link StoredMessage#attachments()}): a format byte, then the
 * attachments with the protocol's field encoding. Its own format rather than the wire record's, so that stored
 * history stays readable whatever the protocol grows into.
 */
final class Attachments {

    private static final int FORMAT = 1;
    private static final byte[] NONE = new byte[0];

    private Attachments() {
    }

    static byte[] encode(List<Attachment> attachments) {
        if (attachments.isEmpty()) {
            return NONE;
        }
        WireWriter w = new WireWriter(256);
        w.writeByte(FORMAT);
        w.writeVarInt(attachments.size());
        for (Attachment a : attachments) {
            w.writeString(a.fileId());
            w.writeString(a.name());
            w.writeString(a.mediaType());
            w.writeLong(a.size());
            w.writeString(a.sha256());
            w.writeInt(a.width());
            w.writeInt(a.height());
            w.writeLong(a.durationMillis());
            w.writeBytes(a.thumbnail());
        }
        return w.toByteArray();
    }

    /** The attachments stored as {@code stored}; none for empty bytes. */
    static List<Attachment> decode(byte[] stored) {
        if (stored.length == 0) {
            return List.of();
        }
        WireReader r = new WireReader(ByteBuffer.wrap(stored));
        if (r.readUnsignedByte() != FORMAT) {
            throw new MalformedFrameException("unknown attachment format " + stored[0]);
        }
        int n = r.readCount();
        List<Attachment> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new Attachment(r.readString(), r.readString(), r.readString(), r.readLong(), r.readString(),
                    r.readInt(), r.readInt(), r.readLong(), r.readBytes()));
        }
        return List.copyOf(out);
    }

    /**
     * An upper bound of a message's size inside a frame: its fixed fields plus each variable one with a 5-byte
     * length (the largest varint), and in version 2 the record's own length and {@code replyTo}.
     */
    static int wireSize(String sender, String clientMessageId, String text, List<Attachment> attachments) {
        int n = 8 + 8 + 8 + 2 + 5 * 4 + utf8(sender) + utf8(clientMessageId) + utf8(text) + 5 + 8;
        for (Attachment a : attachments) {
            n += 8 + 4 + 4 + 8 + 5 * 5 + utf8(a.fileId()) + utf8(a.name()) + utf8(a.mediaType()) + utf8(a.sha256())
                    + a.thumbnail().length;
        }
        return n;
    }

    private static int utf8(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
