package org.parley.server.files;

import java.util.List;
import java.util.Optional;

/**
 * Storage port of the files feature. Content lives in <em>blobs</em>: an upload writes its bytes into a blob of its
 * own; when the upload finishes, the blob gets its SHA-256 and is kept, or, when a stored blob with the same SHA-256
 * already exists, it is discarded and the file points at the existing one (identical content is stored once). A
 * <em>file</em> is content posted in a conversation, under a random id. Discarded blobs are deleted in the
 * background ({@link #purgeDiscarded}), so that throwing away a large upload never holds up a request.
 */
public interface FileStore {

    /**
     * An upload, open or finished. {@code received} is how many bytes the store holds (where the next chunk must
     * start); {@code fileId} is "" while the upload is open and the posted file's id once it is finished.
     * {@code blobId} is where its bytes are written (assigned by the store).
     */
    record Upload(String id, long ownerId, String clientUploadId, long conversationId, String name, String mediaType,
            long size, String sha256, boolean keepMetadata, long blobId, long received, String fileId, long createdAt,
            long updatedAt) {

        public boolean finished() {
            return !fileId.isEmpty();
        }
    }

    /** A file posted in a conversation: its content ({@code blobId}) and its description as members see it. */
    record StoredFile(String id, long conversationId, long ownerId, long blobId, String name, String mediaType,
            long size, String sha256, int width, int height, long durationMillis, byte[] thumbnail, long createdAt) {
    }

    /**
     * Creates an open upload with an empty blob of its own. {@code blobId}, {@code received} and {@code fileId} of
     * the argument are ignored.
     *
     * @throws org.parley.server.common.DuplicateKeyException when the owner already has an upload with that
     *         client upload id (or the id is taken)
     */
    Upload createUpload(Upload upload);

    Optional<Upload> upload(String uploadId);

    Optional<Upload> upload(long ownerId, String clientUploadId);

    /**
     * Stores {@code data} at {@code offset} of an open upload, if the store holds exactly {@code offset} bytes of
     * it and the data does not go past its declared size. Returns how many bytes the store holds afterwards:
     * {@code offset + data.length} when stored; otherwise the unchanged count, with nothing stored; -1 when there
     * is no open upload with that id. Not forced to the device: after a crash the upload resumes from whatever
     * the store still holds, and that count is consistent with the bytes. The store may keep {@code data} as it is
     * (no copy): the caller hands it over and must not change it afterwards (as with every array given here).
     */
    default long append(String uploadId, long offset, byte[] data, long now) {
        return append(uploadId, offset, List.of(data), now);
    }

    /**
     * Stores consecutive {@code pieces} from {@code offset} of an open upload in one transaction: all of them, or
     * none (as {@link #append(String, long, byte[], long)} with the pieces joined). Lets the server commit several
     * chunks at once (group commit) without joining them first.
     */
    long append(String uploadId, long offset, List<byte[]> pieces, long now);

    /** Creates an empty scratch blob (for a copy the server makes, such as a picture without metadata). */
    long createBlob(long now);

    /** Appends to a scratch blob at {@code offset}, which must be where its bytes end. */
    void appendBlob(long blobId, long offset, byte[] data);

    /**
     * Up to {@code length} bytes of a blob from {@code offset}; fewer only at the end of its bytes (none past it).
     */
    byte[] read(long blobId, long offset, int length);

    /**
     * Finishes an open upload in one durable transaction: the content is {@code file.blobId()} (the upload's own
     * blob or a scratch blob) with {@code file.sha256()} and {@code file.size()}; when a stored blob with that
     * SHA-256 already exists the file points at it instead and the content blob is discarded; the upload's own
     * blob is discarded when it is not the content. The file is stored under {@code file.id()} and the upload
     * marked finished with it. If the upload was already finished, nothing changes and the file it finished with
     * is returned. Returns the stored file (with the blob it actually points at).
     *
     * @throws java.util.NoSuchElementException when there is no such upload
     */
    StoredFile finish(String uploadId, StoredFile file, long now);

    /** Deletes an open upload; its bytes are discarded. Returns false when there was no open upload. */
    boolean discardUpload(String uploadId);

    /** Discards a scratch blob that will not be used. */
    void discardBlob(long blobId);

    /**
     * Deletes up to about {@code maxBytes} of discarded content, each call its own small transaction. Returns
     * true when more remains.
     */
    boolean purgeDiscarded(long maxBytes);

    /**
     * Discards open uploads not written to since {@code openBefore}, forgets finished uploads older than
     * {@code finishedBefore} (their files stay), and discards scratch blobs created before {@code openBefore} that
     * no file uses. Returns the ids of the open uploads discarded.
     */
    List<String> expireUploads(long openBefore, long finishedBefore);

    Optional<StoredFile> file(String fileId);

    /** Bytes counted against an account's quota: the files it posted plus the declared sizes of its open uploads. */
    long quotaUsed(long ownerId);

    /**
     * Bytes that open uploads written to (or started) at {@code activeSince} or later, except
     * {@code exceptUploadId} (may be null), may still write: declared − received. Idle uploads hold no space.
     */
    long reservedBytes(String exceptUploadId, long activeSince);

    /** An account's open uploads: how many, and their declared bytes together. */
    record OpenUploads(int count, long declaredBytes) {
    }

    OpenUploads openUploads(long ownerId);

    /** Bytes of content held: stored blobs, open uploads and scratch blobs, discarded content not yet purged. */
    long storedBytes();

    /**
     * Free space where the content is kept, in bytes, as far as this store can tell ({@link Long#MAX_VALUE} when
     * it cannot, for example a database on another machine).
     */
    long usableSpace();
}
