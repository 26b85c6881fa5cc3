package org.parley.filetransfer.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.parley.client.core.ConnectionState;
import org.parley.client.core.ParleyClient;
import org.parley.client.core.ParleyClientException;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Message;
import org.parley.protocol.message.Transfers;

/**
 * Uploads and downloads files through the server, in chunks, with progress, cancel and resume: when the
 * connection drops, a transfer waits for the client to be back online and goes on from where the server's (or
 * the local partial) copy ends. Every transfer runs on its own virtual thread, so file I/O never runs on the
 * client's event thread or a UI thread. The whole file's SHA-256 is checked end to end.
 */
public final class FileTransfers {

    /** Told how far a transfer got; called on the transfer's thread (a UI re-posts to its display). */
    @FunctionalInterface
    public interface Progress {
        /** {@code done} of {@code total} bytes; during an upload's first phase {@code hashing} is true. */
        void progress(long done, long total, boolean hashing);

        Progress NONE = (done, total, hashing) -> {
        };
    }

    /**
     * What to upload besides the bytes: the media type ("" to let the server decide from the bytes), a caption,
     * whether a picture keeps its metadata (location ...), and for a video what the sender's client knows of it
     * (dimensions, duration, a poster frame as a PNG or JPEG; zeros and empty when unknown). {@code
     * clientUploadId} makes the upload resumable across restarts of the application when the caller keeps it;
     * null for a new random one. {@code replyTo}: the seq of the message the file answers (a reply), 0 for none.
     */
    public record UploadOptions(String mediaType, String caption, boolean keepMetadata, int width, int height,
            long durationMillis, byte[] poster, String clientUploadId, long replyTo) {

        /** Options of a file that answers no message. */
        public UploadOptions(String mediaType, String caption, boolean keepMetadata, int width, int height,
                long durationMillis, byte[] poster, String clientUploadId) {
            this(mediaType, caption, keepMetadata, width, height, durationMillis, poster, clientUploadId, 0);
        }

        public static UploadOptions of(String mediaType) {
            return new UploadOptions(mediaType, "", false, 0, 0, 0, new byte[0], null, 0);
        }

        public UploadOptions caption(String text) {
            return new UploadOptions(mediaType, text, keepMetadata, width, height, durationMillis, poster,
                    clientUploadId, replyTo);
        }

        public UploadOptions keepMetadata(boolean keep) {
            return new UploadOptions(mediaType, caption, keep, width, height, durationMillis, poster,
                    clientUploadId, replyTo);
        }

        public UploadOptions video(int w, int h, long millis, byte[] posterImage) {
            return new UploadOptions(mediaType, caption, keepMetadata, w, h, millis, posterImage, clientUploadId,
                    replyTo);
        }

        public UploadOptions clientUploadId(String id) {
            return new UploadOptions(mediaType, caption, keepMetadata, width, height, durationMillis, poster, id,
                    replyTo);
        }

        /** The file answers message {@code seq} of its conversation (0: none). */
        public UploadOptions replyTo(long seq) {
            return new UploadOptions(mediaType, caption, keepMetadata, width, height, durationMillis, poster,
                    clientUploadId, seq);
        }
    }

    /** A transfer under way: its result, and a way to stop it. */
    public static final class Transfer<T> {
        private final CompletableFuture<T> result = new CompletableFuture<>();
        private volatile Thread thread;
        private volatile boolean cancelled;

        /** Completes with the result, or fails with a {@link ParleyClientException} or a cancellation. */
        public CompletableFuture<T> result() {
            return result;
        }

        /** Stops the transfer: an upload is abandoned on the server, a partial download is deleted. */
        public void cancel() {
            cancelled = true;
            Thread t = thread;
            if (t != null) {
                t.interrupt();
            }
        }

        public boolean isCancelled() {
            return cancelled;
        }
    }

    /** How many chunks a transfer keeps in flight: enough to fill the pipe, few enough to stay responsive. */
    private static final int WINDOW = 8;
    private static final int DOWNLOAD_CHUNK = 256 * 1024;
    private static final Set<ErrorCode> RETRYABLE = Set.of(ErrorCode.RATE_LIMITED, ErrorCode.UNAVAILABLE,
            ErrorCode.INTERNAL_ERROR);
    private static final long RETRY_PAUSE_MILLIS = 1_000;

    private final ParleyClient client;

    public FileTransfers(ParleyClient client) {
        this.client = client;
    }

    // ---------------------------------------------------------------- upload

    /**
     * Uploads {@code file} into a conversation and posts it there (the server alerts every member). The result is
     * the server's {@code UploadDone}: the attachment as members see it and the stored message; this client's
     * listeners also hear {@code messageSent}. A file too large, over quota, or refused is reported at once,
     * before its bytes are sent.
     */
    public Transfer<Transfers.UploadDone> upload(long conversationId, Path file, UploadOptions options,
            Progress progress) {
        Transfer<Transfers.UploadDone> t = new Transfer<>();
        String id = options.clientUploadId() != null ? options.clientUploadId() : UUID.randomUUID().toString();
        start(t, "parley-upload-" + file.getFileName(), () -> {
            long size = Files.size(file);
            String sha = sha256(file, size, t, progress);
            String name = file.getFileName().toString();
            var startRequest = new Transfers.UploadStart(conversationId, id, name, options.mediaType(), size, sha,
                    options.keepMetadata());
            String uploadId = null;
            int resyncs = 0;
            while (true) {
                try {
                    Transfers.UploadReady ready = call(t, startRequest, Transfers.UploadReady.class);
                    uploadId = ready.uploadId();
                    progress.progress(ready.offset(), size, false);
                    sendChunks(t, file, size, ready, progress);
                    Transfers.UploadDone done = call(t, new Transfers.UploadFinish(uploadId, options.caption(),
                            options.width(), options.height(), options.durationMillis(), options.poster(),
                            options.replyTo()), Transfers.UploadDone.class);
                    Chat.Sent sent = done.sent();
                    client.messagePosted(new Chat.ChatMessage(sent.conversationId(), sent.seq(), sent.timestamp(),
                            client.user(), sent.clientMessageId(), Chat.Kind.forMediaType(done.attachment()
                                    .mediaType()), options.caption(), List.of(done.attachment()),
                            options.replyTo()));
                    return done;
                } catch (Disconnected e) {
                    resyncs = 0;
                    awaitOnline(t);
                } catch (ParleyClientException e) {
                    // A chunk at an offset the server did not expect: after a reconnect, chunks of the old
                    // connection may still have been stored after the server answered UploadStart. Ask again.
                    if (e.code() != ErrorCode.INVALID_ARGUMENT || uploadId == null || ++resyncs > 3) {
                        throw e;
                    }
                } catch (CancellationException | InterruptedException e) {
                    if (uploadId != null) {
                        client.request(new Transfers.UploadCancel(uploadId)); // best effort; expires otherwise
                    }
                    throw new CancellationException("cancelled");
                }
            }
        });
        return t;
    }

    private void sendChunks(Transfer<?> t, Path file, long size, Transfers.UploadReady ready, Progress progress)
            throws IOException, InterruptedException {
        int chunk = ready.chunkBytes();
        if (chunk <= 0) {
            throw new ParleyClientException("the server announced no chunk size", null);
        }
        ArrayDeque<CompletableFuture<Message>> inFlight = new ArrayDeque<>();
        ArrayDeque<Long> ends = new ArrayDeque<>();
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long offset = ready.offset();
            while (offset < size || !inFlight.isEmpty()) {
                if (offset < size && inFlight.size() < WINDOW) {
                    int n = (int) Math.min(chunk, size - offset);
                    ByteBuffer buf = ByteBuffer.allocate(n);
                    while (buf.hasRemaining()) {
                        if (in.read(buf, offset + buf.position()) < 0) {
                            throw new IOException(file + " became shorter while it was being sent");
                        }
                    }
                    inFlight.add(client.request(new Transfers.UploadChunk(ready.uploadId(), offset, buf.array())));
                    offset += n;
                    ends.add(offset);
                    continue;
                }
                await(t, inFlight.remove());
                progress.progress(ends.remove(), size, false);
            }
        } finally {
            inFlight.forEach(f -> f.cancel(false));
        }
    }

    private static String sha256(Path file, long size, Transfer<?> t, Progress progress) throws IOException {
        MessageDigest md = newSha256();
        byte[] buf = new byte[1 << 16];
        long done = 0;
        long reported = 0;
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0;) {
                if (t.cancelled) {
                    throw new CancellationException("cancelled");
                }
                md.update(buf, 0, n);
                done += n;
                if (done - reported >= (8 << 20)) {
                    progress.progress(done, size, true);
                    reported = done;
                }
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    // ---------------------------------------------------------------- download

    /**
     * Downloads an attachment to {@code target}. Bytes go to {@code target + ".part"} first, which a later
     * download of the same file to the same place resumes; when all bytes are there, their SHA-256 is checked
     * against the attachment's and the file is moved to {@code target}. The result is {@code target}.
     */
    public Transfer<Path> download(Chat.Attachment attachment, Path target, Progress progress) {
        Transfer<Path> t = new Transfer<>();
        start(t, "parley-download-" + attachment.name(), () -> {
            Path part = target.resolveSibling(target.getFileName() + ".part");
            Files.createDirectories(target.toAbsolutePath().getParent());
            long size = attachment.size();
            try (FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.READ)) {
                if (out.size() > size) {
                    out.truncate(0); // not a prefix of this file
                }
                MessageDigest md = digestOf(out);
                long offset = out.size();
                progress.progress(offset, size, false);
                while (offset < size) {
                    try {
                        offset = fetchChunks(t, attachment.fileId(), out, md, offset, size, progress);
                    } catch (Disconnected e) {
                        // Chunks are written in order and hashed as written: go on from what the file holds.
                        offset = out.size();
                        awaitOnline(t);
                    }
                }
                String got = HexFormat.of().formatHex(md.digest());
                if (!got.equalsIgnoreCase(attachment.sha256())) {
                    out.truncate(0);
                    throw new ParleyClientException(ErrorCode.CHECKSUM_MISMATCH, "the downloaded " + attachment.name()
                            + " does not have the SHA-256 the sender's upload had; download it again");
                }
                out.force(true);
            } catch (CancellationException e) {
                Files.deleteIfExists(part);
                throw e;
            }
            try {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        });
        return t;
    }

    /** Fetches from {@code offset} to the end, WINDOW chunks in flight, writing in order; returns the new end. */
    private long fetchChunks(Transfer<?> t, String fileId, FileChannel out, MessageDigest md, long offset, long size,
            Progress progress) throws IOException, InterruptedException {
        ArrayDeque<CompletableFuture<Message>> inFlight = new ArrayDeque<>();
        ArrayDeque<Integer> lengths = new ArrayDeque<>();
        long asked = offset;
        int unit = DOWNLOAD_CHUNK;
        try {
            while (offset < size) {
                while (asked < size && inFlight.size() < WINDOW) {
                    // Chunks end at multiples of the unit, where the server's stored blocks do (the sender's
                    // chunks): a download resumed from a partial copy gets a shorter first chunk, then whole ones.
                    int n = (int) Math.min(unit - asked % unit, size - asked);
                    inFlight.add(client.request(new Transfers.FetchChunk(fileId, asked, n)));
                    lengths.add(n);
                    asked += n;
                }
                Transfers.FileChunk c = (Transfers.FileChunk) await(t, inFlight.remove());
                int wanted = lengths.remove();
                if (c.offset() != offset || c.data().length == 0 || offset + c.data().length > size) {
                    throw new ParleyClientException("the server sent a chunk at " + c.offset() + " of "
                            + c.data().length + " bytes where " + offset + " was expected", null);
                }
                ByteBuffer buf = ByteBuffer.wrap(c.data());
                while (buf.hasRemaining()) {
                    out.write(buf, offset + buf.position());
                }
                md.update(c.data());
                offset += c.data().length;
                progress.progress(offset, size, false);
                if (c.data().length < wanted) {
                    // The server's chunks are smaller than asked (its frames are: max-frame-bytes): the chunks
                    // asked after this one start at the wrong offsets. Drop them and go on in the server's size.
                    unit = c.data().length;
                    inFlight.forEach(f -> f.cancel(false));
                    inFlight.clear();
                    lengths.clear();
                    asked = offset;
                }
            }
            return offset;
        } finally {
            inFlight.forEach(f -> f.cancel(false));
        }
    }

    /** The digest of what a partial download already holds. */
    private static MessageDigest digestOf(FileChannel part) throws IOException {
        MessageDigest md = newSha256();
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        long pos = 0;
        long end = part.size();
        while (pos < end) {
            buf.clear();
            int n = part.read(buf, pos);
            if (n < 0) {
                break;
            }
            md.update(buf.array(), 0, n);
            pos += n;
        }
        return md;
    }

    // ---------------------------------------------------------------- common

    /** The connection dropped under a request: wait for the reconnect and go on. */
    private static final class Disconnected extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Disconnected(Throwable cause) {
            super(cause);
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        T run() throws Exception;
    }

    private static <T> void start(Transfer<T> t, String name, Work<T> work) {
        Thread.ofVirtual().name(name).start(() -> {
            t.thread = Thread.currentThread();
            try {
                if (t.cancelled) {
                    throw new CancellationException("cancelled");
                }
                t.result.complete(work.run());
            } catch (CancellationException | InterruptedException e) {
                t.result.completeExceptionally(new CancellationException("cancelled"));
            } catch (ParleyClientException e) {
                t.result.completeExceptionally(e);
            } catch (IOException e) {
                t.result.completeExceptionally(new ParleyClientException(e.getMessage() == null ? e.toString()
                        : e.getMessage(), e));
            } catch (Exception e) {
                t.result.completeExceptionally(new ParleyClientException(e.toString(), e));
            } finally {
                t.thread = null;
            }
        });
    }

    private <T extends Message> T call(Transfer<?> t, Message request, Class<T> reply) throws InterruptedException {
        while (true) {
            try {
                return reply.cast(await(t, client.request(request)));
            } catch (ParleyClientException e) {
                if (e.code() == null || !RETRYABLE.contains(e.code())) {
                    throw e;
                }
                Thread.sleep(RETRY_PAUSE_MILLIS);
            }
        }
    }

    /** Waits for a reply; a lost connection becomes {@link Disconnected}, a refusal a ParleyClientException. */
    private <T> T await(Transfer<?> t, CompletableFuture<T> f) throws InterruptedException {
        if (t.cancelled) {
            throw new CancellationException("cancelled");
        }
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null ? c.getCause()
                    : e.getCause();
            if (cause instanceof ParleyClientException p && p.code() != null) {
                throw p; // the server said no
            }
            throw new Disconnected(cause);
        }
    }

    /** Blocks until the client is online again; fails when the user logged out or closed the client. */
    private void awaitOnline(Transfer<?> t) throws InterruptedException {
        Thread.sleep(200); // the state may not have left ONLINE yet when a request fails on a dying link
        while (client.state() != ConnectionState.ONLINE) {
            if (t.cancelled) {
                throw new CancellationException("cancelled");
            }
            if (client.state() == ConnectionState.OFFLINE) {
                throw new ParleyClientException("offline: the transfer stops until the next sign-in", null);
            }
            Thread.sleep(100);
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

}
