package org.parley.server.files;

import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Chat.Attachment;
import org.parley.protocol.message.Transfers;
import org.parley.server.common.Caller;
import org.parley.server.common.ParleyException;
import org.parley.server.conversations.MembershipCache;
import org.parley.server.files.FileStore.StoredFile;
import org.parley.server.common.StorageException;

/** Downloads in chunks and {@code StatFile}, for the members of the file's conversation only. */
final class Downloads {

    static final int MAX_ID = 32;

    private final FileStore store;
    private final MembershipCache membership;
    private final int chunkBytes;

    Downloads(FileStore store, MembershipCache membership, int chunkBytes) {
        this.store = store;
        this.membership = membership;
        this.chunkBytes = chunkBytes;
    }

    Transfers.FileChunk fetch(Caller caller, Transfers.FetchChunk r) {
        StoredFile f = memberFile(caller, r.fileId());
        if (r.offset() < 0 || r.offset() > f.size()) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "offset " + r.offset() + " is outside the file "
                    + "(0 to " + f.size() + ")");
        }
        if (r.length() <= 0) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "ask for at least one byte");
        }
        int n = (int) Math.min(Math.min(r.length(), chunkBytes), f.size() - r.offset());
        byte[] data = store.read(f.blobId(), r.offset(), n);
        if (data.length != n) {
            throw new StorageException("file " + f.id() + " is missing bytes at " + (r.offset() + data.length));
        }
        return new Transfers.FileChunk(f.id(), r.offset(), data);
    }

    Transfers.FileInfo stat(Caller caller, String fileId) {
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

    /** A stored file as members see it in a message. */
    static Attachment attachment(StoredFile f) {
        return new Attachment(f.id(), f.name(), f.mediaType(), f.size(), f.sha256(), f.width(), f.height(),
                f.durationMillis(), f.thumbnail());
    }
}
