package org.parley.server.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Chat.Attachment;
import org.parley.protocol.message.Session;
import org.parley.protocol.message.Transfers;
import org.parley.server.common.Caller;
import org.parley.server.common.Handlers;
import org.parley.server.common.ParleyException;
import org.parley.server.conversations.ConversationService;
import org.parley.server.conversations.MembershipCache;
import org.parley.server.files.FileStore.StoredFile;
import org.parley.server.files.FileStore.Upload;
import org.parley.server.media.MediaException;
import org.parley.server.media.MediaPipeline;
import org.parley.server.messages.MessageService;
import org.parley.server.storage.StorageFullException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * File transfer: uploads in chunks (resumable, checked against the declared size and SHA-256), posting the file in
 * its conversation as a FILE or MEDIA message, and downloads in chunks by the conversation's members.
 *
 * <p>Every handler runs on the connection's ordered worker (never a MINA I/O thread). A chunk is checked and hashed
 * there and stored by this service's writer thread before its Ok; chunks that arrive while a commit is under way
 * go together into the next one (group commit). The running SHA-256 of each live upload is kept in memory and
 * rebuilt from the stored bytes when the server has restarted since. Discarded content is deleted, and abandoned
 * uploads expired, on a background thread of this service.
 */
public final class FileService implements AutoCloseable {

    /** The chunk size announced to uploaders and the most a download chunk carries, when frames allow it. */
    public static final int DEFAULT_CHUNK_BYTES = 256 * 1024;
    /**
     * Free space left for everything else (messages, the database's housekeeping): file bytes are refused with
     * STORAGE_FULL before the disk gets this full, so that a large upload cannot stop the conversations.
     */
    public static final long FREE_SPACE_RESERVE = 64L << 20;
    /** Room in a frame for the header and the other fields of a chunk frame. */
    private static final int CHUNK_FRAME_OVERHEAD = 128;
    private static final int MAX_NAME = 255;
    private static final int MAX_ID = 32;
    private static final long PURGE_STEP_BYTES = 16L << 20;
    private static final Pattern MEDIA_TYPE = Pattern.compile("[a-z0-9][a-z0-9!#$&^_.+-]{0,62}/[a-z0-9][a-z0-9!#$&^_.+-]{0,62}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Logger LOG = LoggerFactory.getLogger(FileService.class);

    /** Settings of the feature. */
    public record Limits(long maxFileBytes, long quotaBytes, int chunkBytes, int maxThumbnailBytes,
            long uploadExpiryMillis) {

        /** Chunks as large as {@link #DEFAULT_CHUNK_BYTES} when a frame of {@code maxFrameBytes} carries them. */
        public static Limits of(long maxFileBytes, long quotaBytes, int maxFrameBytes, long uploadExpiryMillis) {
            return new Limits(maxFileBytes, quotaBytes, Math.min(DEFAULT_CHUNK_BYTES, maxFrameBytes
                    - CHUNK_FRAME_OVERHEAD), Math.min(64 * 1024, maxFrameBytes / 8), uploadExpiryMillis);
        }
    }

    /**
     * Bytes of one upload taken from its client but not yet stored, past which a chunk's handler waits for the
     * writer (so a client that pipelines faster than the disk writes waits in TCP, as before the writer).
     */
    static final long MAX_UNSTORED_BYTES = 4L << 20;
    /** The most one commit of an upload's chunks carries; more pending chunks go in the next commit. */
    static final long MAX_GROUP_BYTES = 4L << 20;

    /**
     * What this process knows of an open upload: the stored row as last written, the running hash, and the chunks
     * taken but not yet stored (the writer's). Guarded by its own monitor.
     */
    private static final class Live {
        Upload upload;
        MessageDigest digest;
        long hashed = -1;
        /** Chunks waiting for the writer, in offset order, and the bytes of those plus the ones being written. */
        final ArrayDeque<Pending> pending = new ArrayDeque<>();
        long unstored;
        /** The writer has this upload in its queue or is writing its chunks. */
        boolean queued;

        Live(Upload upload) {
            this.upload = upload;
        }

        /** Where the next chunk must start: after the stored bytes and the ones waiting to be stored. */
        long accepted() {
            return upload.received() + unstored;
        }
    }

    /** A chunk taken from the client: acknowledged once it is stored. */
    private record Pending(long offset, byte[] data, CompletableFuture<Session.Ok> stored) {
    }

    private final FileStore store;
    private final ConversationService conversations;
    private final MembershipCache membership;
    private final MessageService messages;
    private final MediaPipeline media;
    private final Limits limits;
    private final Path scratchDir;
    private final Map<String, Live> live = new ConcurrentHashMap<>();
    private final Object[] ownerLocks = new Object[64];
    private final SecureRandom random = new SecureRandom();
    private final ExecutorService background;
    /** Stores chunks, several of an upload per commit when they arrive faster than one commit takes. */
    private final ExecutorService writer;
    private final ScheduledFuture<?> sweeps;

    public FileService(FileStore store, ConversationService conversations, MembershipCache membership,
            MessageService messages, MediaPipeline media, Limits limits, Path scratchDir,
            ScheduledExecutorService timer) {
        this.store = store;
        this.conversations = conversations;
        this.membership = membership;
        this.messages = messages;
        this.media = media;
        this.limits = limits;
        this.scratchDir = scratchDir;
        for (int i = 0; i < ownerLocks.length; i++) {
            ownerLocks[i] = new Object();
        }
        prepareScratch();
        background = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "parley-files");
            t.setDaemon(true);
            return t;
        });
        writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "parley-file-writer");
            t.setDaemon(true);
            return t;
        });
        // Soon after start (leftovers of a crash), then hourly.
        sweeps = timer.scheduleWithFixedDelay(() -> background.execute(() -> sweep(System.currentTimeMillis())),
                1, 60, TimeUnit.MINUTES);
    }

    /** Creates the scratch directory, emptied of what a stopped server may have left there. */
    private void prepareScratch() {
        try {
            Files.createDirectories(scratchDir);
            try (var leftovers = Files.walk(scratchDir)) {
                leftovers.sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.equals(scratchDir))
                        .forEach(p -> p.toFile().delete());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the scratch directory " + scratchDir, e);
        }
    }

    public void register(Handlers h) {
        h.on(Transfers.UploadStart.class, (c, r) -> CompletableFuture.completedFuture(start(c, r)));
        h.on(Transfers.UploadChunk.class, this::chunk);
        h.on(Transfers.UploadFinish.class, this::finish);
        h.on(Transfers.UploadCancel.class, (c, r) -> CompletableFuture.completedFuture(cancel(c, r.uploadId())));
        h.on(Transfers.FetchChunk.class, (c, r) -> CompletableFuture.completedFuture(fetch(c, r)));
        h.on(Transfers.StatFile.class, (c, r) -> CompletableFuture.completedFuture(stat(c, r.fileId())));
    }

    public Limits limits() {
        return limits;
    }

    // ---- uploads

    private Transfers.UploadReady start(Caller caller, Transfers.UploadStart r) {
        String clientId = r.clientUploadId();
        MessageService.requireClientId(clientId);
        conversations.requireMember(caller, r.conversationId());
        String name = requireName(r.name());
        String type = mediaType(r.mediaType());
        String sha = r.sha256().strip().toLowerCase(Locale.ROOT);
        if (!SHA256.matcher(sha).matches()) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "sha256 must be 64 hexadecimal digits");
        }
        if (r.size() < 0) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "a size cannot be negative");
        }
        Upload existing = store.upload(caller.accountId(), clientId).orElse(null);
        if (existing != null) {
            return resume(existing, r.conversationId(), r.size(), sha);
        }
        // One new upload at a time per owner, so that two cannot both pass the quota check.
        synchronized (ownerLocks[Long.hashCode(caller.accountId()) & (ownerLocks.length - 1)]) {
            existing = store.upload(caller.accountId(), clientId).orElse(null);
            if (existing != null) {
                return resume(existing, r.conversationId(), r.size(), sha);
            }
            if (r.size() > limits.maxFileBytes()) {
                throw new ParleyException(ErrorCode.TOO_LARGE, "the file has " + r.size() + " bytes; the largest "
                        + "this server takes is " + limits.maxFileBytes());
            }
            long used = store.quotaUsed(caller.accountId());
            if (r.size() > limits.quotaBytes() - used) {
                throw new ParleyException(ErrorCode.QUOTA_EXCEEDED, "the file has " + r.size() + " bytes but only "
                        + Math.max(0, limits.quotaBytes() - used) + " of your " + limits.quotaBytes()
                        + " bytes are left");
            }
            requireSpace(r.size(), null);
            long now = System.currentTimeMillis();
            Upload u = store.createUpload(new Upload(newId(), caller.accountId(), clientId, r.conversationId(), name,
                    type, r.size(), sha, r.keepMetadata(), 0, 0, "", now, now));
            Live l = new Live(u);
            l.digest = sha256();
            l.hashed = 0;
            live.put(u.id(), l);
            LOG.atInfo().addKeyValue("user", caller.userName()).addKeyValue("upload", u.id())
                    .addKeyValue("size", u.size()).log("upload started");
            return new Transfers.UploadReady(u.id(), 0, limits.chunkBytes());
        }
    }

    private Transfers.UploadReady resume(Upload u, long conversationId, long size, String sha) {
        if (u.conversationId() != conversationId || u.size() != size || !u.sha256().equals(sha)) {
            throw new ParleyException(ErrorCode.CONFLICT, "this client upload id was used for another file");
        }
        if (u.finished()) {
            return new Transfers.UploadReady(u.id(), u.size(), limits.chunkBytes());
        }
        requireSpace(u.size() - u.received(), u.id());
        Live l = live.computeIfAbsent(u.id(), id -> new Live(u));
        synchronized (l) {
            // Chunks of an earlier connection may still be on their way to storage: the offset given is stored.
            awaitStored(l);
            // After a restart the running hash is rebuilt here, while the client waits for the answer anyway.
            catchUp(l);
            return new Transfers.UploadReady(u.id(), l.upload.received(), limits.chunkBytes());
        }
    }

    /**
     * Takes a chunk: checked and hashed here, stored by the writer, acknowledged once stored. Chunks that arrive
     * while the writer is busy are stored together in its next commit (group commit), so a fast upload costs one
     * commit per few chunks rather than per chunk.
     */
    private CompletableFuture<Session.Ok> chunk(Caller caller, Transfers.UploadChunk r) {
        Live l = live(caller, r.uploadId());
        byte[] data = r.data();
        CompletableFuture<Session.Ok> stored = new CompletableFuture<>();
        synchronized (l) {
            Upload u = l.upload;
            if (u.finished()) {
                throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "the upload is finished");
            }
            if (data.length == 0 || data.length > limits.chunkBytes()) {
                throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "a chunk has 1 to " + limits.chunkBytes()
                        + " bytes; this one has " + data.length);
            }
            if (r.offset() != l.accepted()) {
                throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "expected offset " + l.accepted()
                        + ", not " + r.offset());
            }
            if (r.offset() + data.length > u.size()) {
                throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "the chunk ends at " + (r.offset()
                        + data.length) + ", past the declared size " + u.size());
            }
            requireSpace(data.length, u.id(), false);
            if (l.unstored == 0) {
                catchUp(l); // while chunks are pending, the hash covers them already
            }
            l.digest.update(data);
            l.hashed += data.length;
            l.unstored += data.length;
            l.pending.add(new Pending(r.offset(), data, stored));
            if (!l.queued) {
                try {
                    writer.execute(() -> write(l));
                } catch (RejectedExecutionException stopping) {
                    l.pending.removeLast();
                    l.unstored -= data.length;
                    l.digest = null; // it took this chunk in: rebuilt from the stored bytes if the upload goes on
                    throw new ParleyException(ErrorCode.UNAVAILABLE, "the server is stopping; nothing was stored");
                }
                l.queued = true;
            }
            // Wait here (on this connection's worker) rather than hold an unbounded backlog in memory.
            while (l.unstored > MAX_UNSTORED_BYTES && !l.pending.isEmpty()) {
                waitOn(l);
            }
        }
        return stored;
    }

    /** On the writer: stores the upload's pending chunks in one commit, then acknowledges them (or fails them). */
    private void write(Live l) {
        List<Pending> group = new ArrayList<>();
        String uploadId;
        long offset;
        long bytes = 0;
        synchronized (l) {
            uploadId = l.upload.id();
            while (!l.pending.isEmpty() && (group.isEmpty() || bytes + l.pending.peek().data().length
                    <= MAX_GROUP_BYTES)) {
                Pending p = l.pending.poll();
                group.add(p);
                bytes += p.data().length;
            }
            if (group.isEmpty()) {
                l.queued = false;
                l.notifyAll();
                return;
            }
            offset = group.get(0).offset();
        }
        long end = offset + bytes;
        long held;
        RuntimeException failure = null;
        try {
            held = store.append(uploadId, offset, group.stream().map(Pending::data).toList(),
                    System.currentTimeMillis());
        } catch (RuntimeException e) {
            held = Long.MIN_VALUE;
            failure = e;
        }
        List<Pending> failed = List.of();
        boolean more;
        synchronized (l) {
            if (held == end) {
                l.upload = withReceived(l.upload, held);
                l.unstored -= bytes;
            } else {
                // Nothing of this group was stored, so nothing after it can be: the client resumes from what is.
                if (held == -1) {
                    live.remove(l.upload.id(), l);
                    failure = new ParleyException(ErrorCode.UNKNOWN_FILE, "no upload " + l.upload.id());
                } else if (failure == null) {
                    l.upload = withReceived(l.upload, held);
                    failure = new ParleyException(ErrorCode.INVALID_ARGUMENT, "expected offset " + held + ", not "
                            + offset);
                }
                failed = new ArrayList<>(l.pending);
                l.pending.clear();
                l.unstored = 0;
                l.digest = null; // rebuilt from the stored bytes by the next chunk
            }
            more = !l.pending.isEmpty();
            l.queued = more;
            l.notifyAll();
        }
        if (more) {
            try {
                writer.execute(() -> write(l)); // behind other uploads' chunks: one upload does not starve the rest
            } catch (RejectedExecutionException stopping) {
                write(l); // the service is closing: store what was taken before the storage closes
            }
        }
        if (failure == null) {
            group.forEach(p -> p.stored().complete(new Session.Ok()));
        } else {
            if (!(failure instanceof ParleyException) && !(failure instanceof StorageFullException)) {
                LOG.atError().setCause(failure).addKeyValue("upload", l.upload.id()).log("storing chunks failed");
            }
            for (Pending p : group) {
                p.stored().completeExceptionally(failure);
            }
            for (Pending p : failed) {
                p.stored().completeExceptionally(failure);
            }
        }
    }

    /** Waits (holding nothing else) until every chunk taken for this upload is stored or has failed. */
    private static void awaitStored(Live l) {
        while (l.queued || l.unstored > 0) {
            waitOn(l);
        }
    }

    private static void waitOn(Live l) {
        try {
            l.wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ParleyException(ErrorCode.INTERNAL_ERROR, "interrupted while storing chunks");
        }
    }

    private static Upload withReceived(Upload u, long received) {
        return new Upload(u.id(), u.ownerId(), u.clientUploadId(), u.conversationId(), u.name(), u.mediaType(),
                u.size(), u.sha256(), u.keepMetadata(), u.blobId(), received, u.fileId(), u.createdAt(),
                u.updatedAt());
    }

    /** Brings the running hash up to the bytes stored (after a restart, or a write that failed half-way). */
    private void catchUp(Live l) {
        Upload u = l.upload;
        if (l.digest != null && l.hashed == u.received()) {
            return;
        }
        MessageDigest d = sha256();
        try (InputStream in = new BlobInputStream(store, u.blobId(), u.received())) {
            byte[] buf = new byte[BlobInputStream.PIECE];
            for (int n; (n = in.read(buf)) > 0;) {
                d.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        l.digest = d;
        l.hashed = u.received();
    }

    private CompletableFuture<Transfers.UploadDone> finish(Caller caller, Transfers.UploadFinish r) {
        Live l = live(caller, r.uploadId());
        messages.requireTextSize(r.text());
        if (r.width() < 0 || r.height() < 0 || r.durationMillis() < 0) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "width, height and duration cannot be negative");
        }
        StoredFile file;
        synchronized (l) {
            awaitStored(l);
            conversations.requireMember(caller, l.upload.conversationId());
            file = l.upload.finished() ? store.file(l.upload.fileId()).orElseThrow() : store(caller, l, r);
        }
        Attachment attachment = attachment(file);
        Chat.Kind kind = isMedia(file.mediaType()) ? Chat.Kind.MEDIA : Chat.Kind.FILE;
        return messages.postAttachments(caller, file.conversationId(), l.upload.clientUploadId(), kind, r.text(),
                List.of(attachment)).thenApply(sent -> new Transfers.UploadDone(attachment, sent));
    }

    /** Checks, examines and stores a complete upload as a file (under the upload's lock). */
    private StoredFile store(Caller caller, Live l, Transfers.UploadFinish r) {
        Upload u = l.upload;
        if (u.received() != u.size()) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "only " + u.received() + " of " + u.size()
                    + " bytes have arrived; go on from offset " + u.received());
        }
        catchUp(l);
        String sha = HexFormat.of().formatHex(finalHash(l));
        if (!sha.equals(u.sha256())) {
            discard(u.id());
            throw new ParleyException(ErrorCode.CHECKSUM_MISMATCH, "the bytes have SHA-256 " + sha + ", not "
                    + u.sha256() + "; the upload was discarded");
        }
        MediaPipeline.Inspection inspection;
        try {
            inspection = media.inspect(source(u.blobId(), u.size()), u.mediaType(), u.keepMetadata(), scratchDir);
        } catch (MediaException e) {
            discard(u.id());
            throw new ParleyException(ErrorCode.INVALID_MEDIA, e.getMessage() + "; the upload was discarded", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String type = mediaType(inspection.mediaType());
        int width = 0;
        int height = 0;
        long duration = 0;
        byte[] thumbnail = new byte[0];
        if (inspection.picture()) {
            width = inspection.width();
            height = inspection.height();
            thumbnail = inspection.thumbnail();
        } else if (type.startsWith("video/")) {
            width = r.width();
            height = r.height();
            duration = r.durationMillis();
            if (r.poster().length > 0) {
                try {
                    thumbnail = media.posterThumbnail(r.poster());
                } catch (MediaException e) {
                    // The video itself is fine: the upload stays, to be finished again with a better poster.
                    throw new ParleyException(ErrorCode.INVALID_MEDIA, "the poster frame: " + e.getMessage(), e);
                }
            }
        } else if (type.startsWith("audio/")) {
            duration = r.durationMillis();
        }
        if (thumbnail.length > limits.maxThumbnailBytes()) {
            LOG.atWarn().addKeyValue("bytes", thumbnail.length).log("thumbnail too large for a message; left out");
            thumbnail = new byte[0];
        }
        // The shared copy: the upload itself, or the one the pipeline rewrote (its own SHA-256 and size).
        Content content = inspection.rewritten() == null ? new Content(u.blobId(), u.size(), sha)
                : copyIn(inspection.rewritten());
        StoredFile stored = store.finish(u.id(), new StoredFile(newId(), u.conversationId(), u.ownerId(),
                content.blobId(), u.name(), type, content.size(), content.sha256(), width, height, duration,
                thumbnail, 0), System.currentTimeMillis());
        live.remove(u.id(), l);
        l.upload = store.upload(u.id()).orElse(u);
        purgeSoon();
        LOG.atInfo().addKeyValue("user", caller.userName()).addKeyValue("file", stored.id())
                .addKeyValue("size", stored.size()).addKeyValue("type", stored.mediaType()).log("file stored");
        return stored;
    }

    private record Content(long blobId, long size, String sha256) {
    }

    /** Stores a file the media pipeline wrote as a scratch blob, then deletes the file. */
    private Content copyIn(Path copy) {
        long blob = store.createBlob(System.currentTimeMillis());
        MessageDigest d = sha256();
        long at = 0;
        try (InputStream in = Files.newInputStream(copy)) {
            byte[] buf = new byte[limits.chunkBytes()];
            for (int n; (n = in.readNBytes(buf, 0, buf.length)) > 0;) {
                byte[] piece = n == buf.length ? buf.clone() : java.util.Arrays.copyOf(buf, n);
                store.appendBlob(blob, at, piece);
                d.update(piece);
                at += n;
            }
        } catch (IOException | RuntimeException e) {
            store.discardBlob(blob);
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        } finally {
            try {
                Files.deleteIfExists(copy);
            } catch (IOException e) {
                LOG.atWarn().setCause(e).log("could not delete a scratch file");
            }
        }
        return new Content(blob, at, HexFormat.of().formatHex(d.digest()));
    }

    private MediaPipeline.ByteSource source(long blobId, long size) {
        return new MediaPipeline.ByteSource() {
            @Override
            public InputStream open() {
                return new BlobInputStream(store, blobId, size);
            }

            @Override
            public long size() {
                return size;
            }
        };
    }

    private Session.Ok cancel(Caller caller, String uploadId) {
        Live l = live(caller, uploadId);
        synchronized (l) {
            awaitStored(l);
            if (l.upload.finished()) {
                throw new ParleyException(ErrorCode.CONFLICT, "the upload is finished; its file was posted");
            }
            discard(uploadId);
        }
        return new Session.Ok();
    }

    private void discard(String uploadId) {
        store.discardUpload(uploadId);
        live.remove(uploadId);
        purgeSoon();
    }

    /** The caller's upload (loaded into memory if needed); UNKNOWN_FILE when there is none, or it is another's. */
    private Live live(Caller caller, String uploadId) {
        Live l = live.get(uploadId);
        if (l == null && uploadId.length() <= MAX_ID) {
            Upload u = store.upload(uploadId).orElse(null);
            if (u != null) {
                l = u.finished() ? new Live(u) : live.computeIfAbsent(uploadId, id -> new Live(u));
            }
        }
        if (l == null || l.upload.ownerId() != caller.accountId()) {
            throw new ParleyException(ErrorCode.UNKNOWN_FILE, "no upload " + uploadId);
        }
        return l;
    }

    private void requireSpace(long bytes, String exceptUpload) {
        requireSpace(bytes, exceptUpload, true);
    }

    /**
     * STORAGE_FULL unless the disk can take {@code bytes} more (plus the database's overhead on them) and still
     * keep {@link #FREE_SPACE_RESERVE} free; {@code reserve}: also leave room for what open uploads may still send.
     */
    private void requireSpace(long bytes, String exceptUpload, boolean reserve) {
        long free = store.usableSpace();
        if (free == Long.MAX_VALUE) {
            return;
        }
        long pending = reserve ? store.reservedBytes(exceptUpload) : 0;
        if (bytes > free || free - bytes - pending < bytes / 8 + FREE_SPACE_RESERVE) {
            throw new ParleyException(ErrorCode.STORAGE_FULL, "the server's disk is too full for "
                    + (reserve ? "a file of " : "") + bytes + " bytes; nothing was stored");
        }
    }

    // ---- downloads

    private Transfers.FileChunk fetch(Caller caller, Transfers.FetchChunk r) {
        StoredFile f = memberFile(caller, r.fileId());
        if (r.offset() < 0 || r.offset() > f.size()) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "offset " + r.offset() + " is outside the file "
                    + "(0 to " + f.size() + ")");
        }
        if (r.length() <= 0) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "ask for at least one byte");
        }
        int n = (int) Math.min(Math.min(r.length(), limits.chunkBytes()), f.size() - r.offset());
        byte[] data = store.read(f.blobId(), r.offset(), n);
        if (data.length != n) {
            throw new org.parley.server.storage.StorageException("file " + f.id() + " is missing bytes at "
                    + (r.offset() + data.length));
        }
        return new Transfers.FileChunk(f.id(), r.offset(), data);
    }

    private Transfers.FileInfo stat(Caller caller, String fileId) {
        StoredFile f = memberFile(caller, fileId);
        return new Transfers.FileInfo(f.conversationId(), attachment(f));
    }

    /** The file, if the caller is a member of its conversation; UNKNOWN_FILE or FORBIDDEN otherwise. */
    private StoredFile memberFile(Caller caller, String fileId) {
        StoredFile f = fileId.length() > MAX_ID ? null : store.file(fileId).orElse(null);
        if (f == null) {
            throw new ParleyException(ErrorCode.UNKNOWN_FILE, "no file " + fileId);
        }
        if (!membership.isMember(f.conversationId(), caller.accountId())) {
            throw new ParleyException(ErrorCode.FORBIDDEN, "file " + fileId + " was posted in a conversation you "
                    + "are not a member of");
        }
        return f;
    }

    // ---- background work

    /**
     * Expires uploads untouched for longer than the expiry (as of {@code now}), then deletes discarded content.
     * Runs hourly on this service's thread; public so that tests can run it as of a later time.
     */
    public void sweep(long now) {
        try {
            long before = now - limits.uploadExpiryMillis();
            List<String> expired = store.expireUploads(before, before);
            expired.forEach(live::remove);
            if (!expired.isEmpty()) {
                LOG.atInfo().addKeyValue("uploads", expired.size()).log("expired abandoned uploads");
            }
            purge();
        } catch (RuntimeException e) {
            LOG.atError().setCause(e).log("file sweep failed; it runs again later");
        }
    }

    private void purgeSoon() {
        try {
            background.execute(this::purge);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // the server is stopping: the next start's sweep deletes it
        }
    }

    private void purge() {
        try {
            while (!background.isShutdown() && store.purgeDiscarded(PURGE_STEP_BYTES)) {
                // one small transaction at a time, so that requests are never held up for long
            }
        } catch (RuntimeException e) {
            LOG.atWarn().setCause(e).log("deleting discarded file content failed; the next sweep retries");
        }
    }

    /** Waits until discarded content has been deleted (for tests). */
    public void awaitPurge() {
        try {
            background.submit(this::purge).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("purge did not finish", e);
        }
    }

    @Override
    public void close() {
        sweeps.cancel(false);
        // Chunks already taken are stored (and acknowledged) before the storage closes.
        writer.shutdown();
        try {
            writer.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        background.shutdownNow();
        try {
            background.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- small rules

    private String newId() {
        byte[] raw = new byte[16];
        random.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    /** The hash of the whole upload, leaving the running hash as it is (a failed finish can be retried). */
    private static byte[] finalHash(Live l) {
        try {
            return ((MessageDigest) l.digest.clone()).digest();
        } catch (CloneNotSupportedException e) {
            byte[] h = l.digest.digest();
            l.digest = null; // rebuilt from the stored bytes if needed again
            return h;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String requireName(String raw) {
        String name = raw == null ? "" : raw.strip();
        if (name.isEmpty() || name.length() > MAX_NAME || name.equals(".") || name.equals("..")
                || name.chars().anyMatch(ch -> ch == '/' || ch == '\\' || Character.isISOControl(ch))) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "a file name has 1 to " + MAX_NAME
                    + " characters, without '/', '\\' or control characters");
        }
        return name;
    }

    private static String mediaType(String raw) {
        String t = raw == null ? "" : raw.strip().toLowerCase(Locale.ROOT);
        int params = t.indexOf(';');
        if (params >= 0) {
            t = t.substring(0, params).strip();
        }
        if (t.isEmpty()) {
            return "application/octet-stream";
        }
        if (!MEDIA_TYPE.matcher(t).matches()) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "'" + raw + "' is not a media type");
        }
        return t;
    }

    private static boolean isMedia(String type) {
        return type.startsWith("image/") || type.startsWith("video/") || type.startsWith("audio/");
    }

    private static Attachment attachment(StoredFile f) {
        return new Attachment(f.id(), f.name(), f.mediaType(), f.size(), f.sha256(), f.width(), f.height(),
                f.durationMillis(), f.thumbnail());
    }
}
