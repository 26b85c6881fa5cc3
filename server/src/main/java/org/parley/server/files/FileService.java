package org.parley.server.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;

import org.parley.protocol.message.Transfers;
import org.parley.server.common.Handlers;
import org.parley.server.conversations.ConversationService;
import org.parley.server.conversations.MembershipCache;
import org.parley.server.media.MediaPipeline;
import org.parley.server.messages.MessageService;

/**
 * File transfer: uploads in chunks (resumable, checked against the declared size and SHA-256), posting the file in
 * its conversation as a FILE or MEDIA message, and downloads in chunks by the conversation's members. This class
 * wires the feature's parts together and registers its requests: {@link Uploads}, its {@link ChunkWriter} thread,
 * {@link Downloads} and the {@link UploadSweeper}.
 *
 * <p>Every handler runs on the connection's ordered worker (never a MINA I/O thread).
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

    /**
     * Settings of the feature. {@code maxOpenUploads} and {@code maxUnfinishedBytesPerUser} bound one user's
     * unfinished uploads (count, declared bytes); {@code maxUnfinishedBytes} bounds the bytes all active unfinished
     * uploads may still send; an upload that has sent nothing for {@code reservationIdleMillis} stops holding disk
     * space (and counting in that bound) until it goes on. Finishing runs on {@code mediaThreads} threads with at
     * most {@code mediaQueue} finishes waiting.
     */
    public record Limits(long maxFileBytes, long quotaBytes, int chunkBytes, int maxThumbnailBytes,
            long uploadExpiryMillis, int maxOpenUploads, long maxUnfinishedBytesPerUser, long maxUnfinishedBytes,
            long reservationIdleMillis, int mediaThreads, int mediaQueue) {

        /** Chunks as large as {@link #DEFAULT_CHUNK_BYTES} when a frame of {@code maxFrameBytes} carries them. */
        public static Limits of(long maxFileBytes, long quotaBytes, int maxFrameBytes, long uploadExpiryMillis,
                int maxOpenUploads, long maxUnfinishedBytesPerUser, long maxUnfinishedBytes,
                long reservationIdleMillis, int mediaThreads, int mediaQueue) {
            return new Limits(maxFileBytes, quotaBytes, Math.min(DEFAULT_CHUNK_BYTES, maxFrameBytes
                    - CHUNK_FRAME_OVERHEAD), Math.min(64 * 1024, maxFrameBytes / 8), uploadExpiryMillis,
                    maxOpenUploads, maxUnfinishedBytesPerUser, maxUnfinishedBytes, reservationIdleMillis,
                    mediaThreads, mediaQueue);
        }
    }

    private final Limits limits;
    private final ChunkWriter writer;
    private final UploadSweeper sweeper;
    private final Finishers finishers;
    private final Uploads uploads;
    private final Downloads downloads;

    public FileService(FileStore store, ConversationService conversations, MembershipCache membership,
            MessageService messages, MediaPipeline media, Limits limits, Path scratchDir,
            ScheduledExecutorService timer) {
        this.limits = limits;
        prepareScratch(scratchDir);
        Map<String, LiveUpload> live = new ConcurrentHashMap<>();
        writer = new ChunkWriter(store, live);
        sweeper = new UploadSweeper(store, live, limits.uploadExpiryMillis(), timer);
        finishers = new Finishers(limits.mediaThreads(), limits.mediaQueue());
        uploads = new Uploads(store, conversations, membership, messages, media, limits, scratchDir, live, writer,
                sweeper, finishers);
        downloads = new Downloads(store, membership, limits.chunkBytes());
    }

    /** Creates the scratch directory, emptied of what a stopped server may have left there. */
    private static void prepareScratch(Path scratchDir) {
        try {
            Files.createDirectories(scratchDir);
            try (var leftovers = Files.walk(scratchDir)) {
                leftovers.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(scratchDir))
                        .forEach(p -> p.toFile().delete());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the scratch directory " + scratchDir, e);
        }
    }

    public void register(Handlers h) {
        h.on(Transfers.UploadStart.class, (c, r) -> CompletableFuture.completedFuture(uploads.start(c, r)));
        h.on(Transfers.UploadChunk.class, uploads::chunk);
        h.on(Transfers.UploadFinish.class, uploads::finish);
        h.on(Transfers.UploadCancel.class, (c, r) -> CompletableFuture.completedFuture(uploads.cancel(c,
                r.uploadId())));
        h.on(Transfers.FetchChunk.class, (c, r) -> CompletableFuture.completedFuture(downloads.fetch(c, r)));
        h.on(Transfers.StatFile.class, (c, r) -> CompletableFuture.completedFuture(downloads.stat(c, r.fileId())));
    }

    public Limits limits() {
        return limits;
    }

    /**
     * Expires uploads untouched for longer than the expiry (as of {@code now}), then deletes discarded content.
     * Runs hourly on this service's thread; public so that tests can run it as of a later time.
     */
    public void sweep(long now) {
        sweeper.sweep(now);
    }

    /** Waits until discarded content has been deleted (for tests). */
    public void awaitPurge() {
        sweeper.awaitPurge();
    }

    @Override
    public void close() {
        // Finishes under way, and chunks already taken, are stored (and acknowledged) before the storage closes.
        finishers.close();
        writer.close();
        sweeper.close();
    }
}
