package org.parley.server.files;

import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Session;
import org.parley.server.common.ParleyException;
import org.parley.server.files.FileStore.Upload;

/**
 * What this process knows of an open upload: the stored row as last written, the running hash, and the chunks
 * taken but not yet stored (the {@link ChunkWriter}'s). Guarded by its own monitor.
 */
final class LiveUpload {

    /** A chunk taken from the client: acknowledged once it is stored. */
    record Pending(long offset, byte[] data, CompletableFuture<Session.Ok> stored) {
    }

    Upload upload;
    MessageDigest digest;
    long hashed = -1;
    /** Chunks waiting for the writer, in offset order, and the bytes of those plus the ones being written. */
    final ArrayDeque<Pending> pending = new ArrayDeque<>();
    long unstored;
    /** The writer has this upload in its queue or is writing its chunks. */
    boolean queued;

    LiveUpload(Upload upload) {
        this.upload = upload;
    }

    /** Where the next chunk must start: after the stored bytes and the ones waiting to be stored. */
    long accepted() {
        return upload.received() + unstored;
    }

    /** Waits (holding nothing else than this upload's monitor) until every chunk taken is stored or has failed. */
    void awaitStored() {
        while (queued || unstored > 0) {
            waitHere();
        }
    }

    /** Waits on this upload's monitor, which the caller holds, until the writer signals progress. */
    void waitHere() {
        try {
            wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ParleyException(ErrorCode.INTERNAL_ERROR, "interrupted while storing chunks");
        }
    }

    static Upload withReceived(Upload u, long received) {
        return new Upload(u.id(), u.ownerId(), u.clientUploadId(), u.conversationId(), u.name(), u.mediaType(),
                u.size(), u.sha256(), u.keepMetadata(), u.blobId(), received, u.fileId(), u.createdAt(),
                u.updatedAt());
    }
}
