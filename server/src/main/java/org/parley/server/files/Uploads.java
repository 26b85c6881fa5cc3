package org.parley.server.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.regex.Pattern;

import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Chat.Attachment;
import org.parley.protocol.message.Session;
import org.parley.protocol.message.Transfers;
import org.parley.server.common.Caller;
import org.parley.server.common.ParleyException;
import org.parley.server.conversations.ConversationService;
import org.parley.server.conversations.MembershipCache;
import org.parley.server.files.FileService.Limits;
import org.parley.server.files.FileStore.StoredFile;
import org.parley.server.files.FileStore.Upload;
import org.parley.server.files.LiveUpload.Pending;
import org.parley.server.media.MediaException;
import org.parley.server.media.MediaPipeline;
import org.parley.server.messages.MessageService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads: start (limits, quota and disk checked before any byte), chunks (checked and hashed on the connection's
 * worker, stored by the {@link ChunkWriter}), resume, finish (size and SHA-256, the media pipeline, the FILE or MEDIA
 * message) and cancel. The running SHA-256 of each live upload is kept in memory and rebuilt from the stored bytes
 * when the server has restarted since.
 */
final class Uploads {

    /**
     * Bytes of one upload taken from its client but not yet stored, past which a chunk's handler waits for the
     * writer (so a client that pipelines faster than the disk writes waits in TCP, as before the writer).
     */
    static final long MAX_UNSTORED_BYTES = 4L << 20;
    private static final Pattern MEDIA_TYPE = Pattern.compile("[a-z0-9][a-z0-9!#$&^_.+-]{0,62}/[a-z0-9][a-z0-9!#$&^_.+-]{0,62}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Logger LOG = LoggerFactory.getLogger(Uploads.class);

    private final FileStore store;
    private final ConversationService conversations;
    private final MembershipCache membership;
    private final MessageService messages;
    private final MediaPipeline media;
    private final Limits limits;
    private final Path scratchDir;
    private final Map<String, LiveUpload> live;
    private final ChunkWriter writer;
    private final UploadSweeper sweeper;
    private final Finishers finishers;
    private final Object[] ownerLocks = new Object[64];
    private final SecureRandom random = new SecureRandom();

    Uploads(FileStore store, ConversationService conversations, MembershipCache membership, MessageService messages,
            MediaPipeline media, Limits limits, Path scratchDir, Map<String, LiveUpload> live, ChunkWriter writer,
            UploadSweeper sweeper, Finishers finishers) {
        this.store = store;
        this.conversations = conversations;
        this.membership = membership;
        this.finishers = finishers;
        this.messages = messages;
        this.media = media;
        this.limits = limits;
        this.scratchDir = scratchDir;
        this.live = live;
        this.writer = writer;
        this.sweeper = sweeper;
        for (int i = 0; i < ownerLocks.length; i++) {
            ownerLocks[i] = new Object();
        }
    }

    Transfers.UploadReady start(Caller caller, Transfers.UploadStart r) {
        String clientId = r.clientUploadId();
        MessageService.requireClientId(clientId);
        conversations.requireMember(caller, r.conversationId());
        String name = FileNames.clean(r.name());
        String type = mediaType(r.mediaType());
        String sha = org.parley.server.common.Names.lowerBounded(r.sha256().strip(), 65); // longer is refused
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
            messages.requireUnusedClientId(caller, clientId);
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
            requireUnfinishedRoom(caller, r.size());
            long now = System.currentTimeMillis();
            Upload u = store.createUpload(new Upload(newId(), caller.accountId(), clientId, r.conversationId(), name,
                    type, r.size(), sha, r.keepMetadata(), 0, 0, "", now, now));
            LiveUpload l = new LiveUpload(u);
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
        LiveUpload l = live.computeIfAbsent(u.id(), id -> new LiveUpload(u));
        synchronized (l) {
            // Chunks of an earlier connection may still be on their way to storage: the offset given is stored.
            l.awaitStored();
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
    CompletableFuture<Session.Ok> chunk(Caller caller, Transfers.UploadChunk r) {
        LiveUpload l = live(caller, r.uploadId());
        byte[] data = r.data();
        CompletableFuture<Session.Ok> stored = new CompletableFuture<>();
        synchronized (l) {
            Upload u = l.upload;
            if (u.finished()) {
                throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "the upload is finished");
            }
            if (!membership.isMember(u.conversationId(), caller.accountId())) {
                throw new ParleyException(ErrorCode.NOT_A_MEMBER, "you are no longer a member of the conversation "
                        + "this upload is for; nothing was stored");
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
                    writer.schedule(l);
                } catch (RejectedExecutionException stopping) {
                    l.pending.removeLast();
                    l.unstored -= data.length;
                    l.digest = null; // it took this chunk in: rebuilt from the stored bytes if the upload goes on
                    throw new ParleyException(ErrorCode.UNAVAILABLE, "the server is stopping; nothing was stored");
                }
            }
            // Wait here (on this connection's worker) rather than hold an unbounded backlog in memory.
            while (l.unstored > MAX_UNSTORED_BYTES && !l.pending.isEmpty()) {
                l.waitHere();
            }
        }
        return stored;
    }

    /** Brings the running hash up to the bytes stored (after a restart, or a write that failed half-way). */
    private void catchUp(LiveUpload l) {
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

    CompletableFuture<Transfers.UploadDone> finish(Caller caller, Transfers.UploadFinish r) {
        LiveUpload l = live(caller, r.uploadId());
        messages.requireTextSize(r.text());
        if (r.width() < 0 || r.height() < 0 || r.durationMillis() < 0) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "width, height and duration cannot be negative");
        }
        // before anything is stored: a file that cannot be posted as asked keeps its upload, to finish again
        messages.requireReplyTarget(l.upload.conversationId(), r.replyTo());
        // Checking the hash and the media (decoding a picture) runs off the request workers, in the account's turn.
        return finishers.submit(caller.accountId(), () -> {
            synchronized (l) {
                l.awaitStored();
                conversations.requireMember(caller, l.upload.conversationId());
                return l.upload.finished() ? store.file(l.upload.fileId()).orElseThrow() : store(caller, l, r);
            }
        }).thenCompose(file -> post(caller, l, r, file));
    }

    private CompletableFuture<Transfers.UploadDone> post(Caller caller, LiveUpload l, Transfers.UploadFinish r,
            StoredFile file) {
        Attachment attachment = Downloads.attachment(file);
        Chat.Kind kind = isMedia(file.mediaType()) ? Chat.Kind.MEDIA : Chat.Kind.FILE;
        return messages.postAttachments(caller, file.conversationId(), l.upload.clientUploadId(), kind, r.text(),
                List.of(attachment), r.replyTo()).thenApply(sent -> new Transfers.UploadDone(attachment, sent));
    }

    /** Checks, examines and stores a complete upload as a file (under the upload's lock). */
    private StoredFile store(Caller caller, LiveUpload l, Transfers.UploadFinish r) {
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
        sweeper.purgeSoon();
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
                byte[] piece = n == buf.length ? buf.clone() : Arrays.copyOf(buf, n);
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

    Session.Ok cancel(Caller caller, String uploadId) {
        LiveUpload l = live(caller, uploadId);
        synchronized (l) {
            l.awaitStored();
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
        sweeper.purgeSoon();
    }

    /** The caller's upload (loaded into memory if needed); UNKNOWN_FILE when there is none, or it is another's. */
    private LiveUpload live(Caller caller, String uploadId) {
        LiveUpload l = live.get(uploadId);
        if (l == null && uploadId.length() <= Downloads.MAX_ID) {
            Upload u = store.upload(uploadId).orElse(null);
            if (u != null) {
                l = u.finished() ? new LiveUpload(u) : live.computeIfAbsent(uploadId, id -> new LiveUpload(u));
            }
        }
        if (l == null || l.upload.ownerId() != caller.accountId()) {
            throw new ParleyException(ErrorCode.UNKNOWN_FILE, "no upload " + uploadId);
        }
        return l;
    }

    /**
     * QUOTA_EXCEEDED when the caller has {@code maxOpenUploads} unfinished uploads or this one would take their
     * declared bytes over {@code maxUnfinishedBytesPerUser}; STORAGE_FULL when active unfinished uploads of everyone
     * may already send {@code maxUnfinishedBytes}. So that nobody can hold the server's room with uploads that never
     * send anything (an idle upload stops counting server-wide after {@code reservationIdleMillis}).
     */
    private void requireUnfinishedRoom(Caller caller, long size) {
        FileStore.OpenUploads open = store.openUploads(caller.accountId());
        if (open.count() >= limits.maxOpenUploads()) {
            throw new ParleyException(ErrorCode.QUOTA_EXCEEDED, "you have " + open.count() + " unfinished uploads, "
                    + "the most this server allows; finish or cancel one first");
        }
        if (size > limits.maxUnfinishedBytesPerUser() - open.declaredBytes()) {
            throw new ParleyException(ErrorCode.QUOTA_EXCEEDED, "your unfinished uploads already declare "
                    + open.declaredBytes() + " bytes; together they may have " + limits.maxUnfinishedBytesPerUser()
                    + ": finish or cancel one first");
        }
        long active = store.reservedBytes(null, activeSince());
        if (size > limits.maxUnfinishedBytes() - active) {
            throw new ParleyException(ErrorCode.STORAGE_FULL, "uploads under way already hold the server's room "
                    + "for unfinished files; nothing was stored, try again in a few minutes");
        }
    }

    /** Uploads written to (or started) since then hold disk space for their remaining bytes; older ones do not. */
    private long activeSince() {
        return System.currentTimeMillis() - limits.reservationIdleMillis();
    }

    private void requireSpace(long bytes, String exceptUpload) {
        requireSpace(bytes, exceptUpload, true);
    }

    /**
     * STORAGE_FULL unless the disk can take {@code bytes} more (plus the database's overhead on them) and still
     * keep {@link FileService#FREE_SPACE_RESERVE} free; {@code reserve}: also leave room for what open uploads may
     * still send.
     */
    private void requireSpace(long bytes, String exceptUpload, boolean reserve) {
        long free = store.usableSpace();
        if (free == Long.MAX_VALUE) {
            return;
        }
        long pending = reserve ? store.reservedBytes(exceptUpload, activeSince()) : 0;
        if (bytes > free || free - bytes - pending < bytes / 8 + FileService.FREE_SPACE_RESERVE) {
            throw new ParleyException(ErrorCode.STORAGE_FULL, "the server's disk is too full for "
                    + (reserve ? "a file of " : "") + bytes + " bytes; nothing was stored");
        }
    }

    // ---- small rules

    private String newId() {
        byte[] raw = new byte[16];
        random.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    /** The hash of the whole upload, leaving the running hash as it is (a failed finish can be retried). */
    private static byte[] finalHash(LiveUpload l) {
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

    /** Longest media type taken (RFC 6838: 127 characters each for type and subtype, and parameters). */
    private static final int MAX_MEDIA_TYPE = 255;

    private static String mediaType(String raw) {
        String stripped = raw == null ? "" : raw.strip();
        if (stripped.length() > MAX_MEDIA_TYPE) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "a media type has at most " + MAX_MEDIA_TYPE
                    + " characters");
        }
        String t = stripped.toLowerCase(Locale.ROOT);
        int params = t.indexOf(';');
        if (params >= 0) {
            t = t.substring(0, params).strip();
        }
        if (t.isEmpty()) {
            return "application/octet-stream";
        }
        if (!MEDIA_TYPE.matcher(t).matches()) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, org.parley.server.common.Names.quoted(raw) + " is not a media type");
        }
        return t;
    }

    private static boolean isMedia(String type) {
        return type.startsWith("image/") || type.startsWith("video/") || type.startsWith("audio/");
    }
}
