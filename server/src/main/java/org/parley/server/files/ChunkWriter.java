package org.parley.server.files;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Session;
import org.parley.server.common.ParleyException;
import org.parley.server.files.LiveUpload.Pending;
import org.parley.server.common.StorageFullException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files feature's writer thread: stores the chunks taken for an upload, all of those waiting at that moment in
 * one transaction (group commit, at most {@link #MAX_GROUP_BYTES}), and only then acknowledges each. Uploads take
 * turns: an upload with more chunks waiting goes back behind the others.
 */
final class ChunkWriter implements AutoCloseable {

    /** The most one commit of an upload's chunks carries; more pending chunks go in the next commit. */
    static final long MAX_GROUP_BYTES = 4L << 20;
    private static final Logger LOG = LoggerFactory.getLogger(ChunkWriter.class);

    private final FileStore store;
    private final Map<String, LiveUpload> live;
    private final ExecutorService writer;

    ChunkWriter(FileStore store, Map<String, LiveUpload> live) {
        this.store = store;
        this.live = live;
        writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "parley-file-writer");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Queues the upload for writing (the caller holds its monitor, has added a chunk and found it not queued).
     *
     * @throws RejectedExecutionException when the service is stopping
     */
    void schedule(LiveUpload l) {
        writer.execute(() -> write(l));
        l.queued = true;
    }

    /** On the writer: stores the upload's pending chunks in one commit, then acknowledges them (or fails them). */
    private void write(LiveUpload l) {
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
                l.upload = LiveUpload.withReceived(l.upload, held);
                l.unstored -= bytes;
            } else {
                // Nothing of this group was stored, so nothing after it can be: the client resumes from what is.
                if (held == -1) {
                    live.remove(l.upload.id(), l);
                    failure = new ParleyException(ErrorCode.UNKNOWN_FILE, "no upload " + l.upload.id());
                } else if (failure == null) {
                    l.upload = LiveUpload.withReceived(l.upload, held);
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

    /** Stores (and acknowledges) the chunks already taken, then stops. */
    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
