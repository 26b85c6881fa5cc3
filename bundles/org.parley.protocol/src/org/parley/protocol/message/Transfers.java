package org.parley.protocol.message;

import org.parley.protocol.codec.Since;

import org.parley.protocol.message.Chat.Attachment;

/**
 * File transfer: a file is uploaded to the server in chunks, posted in a conversation as a FILE or MEDIA message
 * (which alerts every member), and downloaded by members in chunks. Both directions resume from an offset after a
 * broken connection; the whole file's SHA-256 is checked end to end. No frame ever holds more than one chunk.
 */
public final class Transfers {

    /**
     * Starts or resumes an upload of {@code size} bytes into a conversation. {@code clientUploadId} (for example a
     * UUID) is unique per sender: starting again with the same id resumes the same upload (and, once it is
     * finished, returns the same result). {@code sha256} is the hex SHA-256 of the whole file, checked when the
     * upload finishes. A file that is too large, over the sender's quota or bigger than the server's free space is
     * refused here, before any byte is sent. {@code keepMetadata}: share a picture as is, with its EXIF (location
     * ...); by default the server strips it. Answer: {@link UploadReady}.
     */
    public record UploadStart(long conversationId, String clientUploadId, String name, String mediaType, long size,
            String sha256, boolean keepMetadata) implements Message {
    }

    /**
     * Answer to UploadStart: the server already holds the bytes before {@code offset} (0 for a new upload, the
     * size when all bytes are there); send the rest in chunks of at most {@code chunkBytes}.
     */
    public record UploadReady(String uploadId, long offset, int chunkBytes) implements Message {
    }

    /**
     * The bytes of an upload at {@code offset}, which must be exactly where the server's copy ends. Chunks may be
     * pipelined; each is answered with Ok once stored.
     */
    public record UploadChunk(String uploadId, long offset, byte[] data) implements Message {
    }

    /**
     * All bytes are sent: the server checks the size and SHA-256, makes the thumbnail of a picture, stores the
     * file (identical content once), and posts it in the conversation with {@code text} as its caption. For a
     * video, the sender's client may give its dimensions, duration and a poster frame (a picture; empty when
     * none). Finishing again after a lost answer returns the same result. {@code replyTo} (from protocol version
     * 2): the seq of the message of the same conversation the file answers, as {@link Chat.Send#replyTo}; 0 for
     * none. Answer: {@link UploadDone}.
     */
    public record UploadFinish(String uploadId, String text, int width, int height, long durationMillis,
            byte[] poster, @Since(2) long replyTo) implements Message {

        /** A file that answers no message (all a version 1 client can send). */
        public UploadFinish(String uploadId, String text, int width, int height, long durationMillis,
                byte[] poster) {
            this(uploadId, text, width, height, durationMillis, poster, 0);
        }
    }

    /**
     * Answer to UploadFinish: the file as members see it, and the message that carries it (as {@code Sent}
     * would say; {@code duplicate} when the upload had already been finished).
     */
    public record UploadDone(Chat.Attachment attachment, Chat.Sent sent) implements Message {
    }

    /** Abandons an unfinished upload; its bytes are deleted. Answer: Ok. */
    public record UploadCancel(String uploadId) implements Message {
    }

    /**
     * Asks for up to {@code length} bytes of a file from {@code offset}; only members of a conversation the file
     * was posted in may. Requests may be pipelined. Answer: {@link FileChunk}.
     */
    public record FetchChunk(String fileId, long offset, int length) implements Message {
    }

    /**
     * Answer to FetchChunk: the bytes at {@code offset}; shorter than asked at the end of the file, or when more
     * than the server's chunk size (the one it announces in UploadReady) was asked.
     */
    public record FileChunk(String fileId, long offset, byte[] data) implements Message {
    }

    /** Asks for a file's description. Answer: {@link FileInfo}. */
    public record StatFile(String fileId) implements Message {
    }

    /** Answer to StatFile: the conversation it was posted in and the attachment as in the message. */
    public record FileInfo(long conversationId, Attachment attachment) implements Message {
    }

    private Transfers() {
    }
}
