package org.parley.server.files;

import java.io.InputStream;

/** Reads a blob from the store a piece at a time, so that a large file is never held in memory. */
final class BlobInputStream extends InputStream {

    static final int PIECE = 1 << 20;

    private final FileStore store;
    private final long blobId;
    private final long size;
    private long position;
    private byte[] piece = new byte[0];
    private int inPiece;

    BlobInputStream(FileStore store, long blobId, long size) {
        this.store = store;
        this.blobId = blobId;
        this.size = size;
    }

    private boolean fill() {
        if (inPiece < piece.length) {
            return true;
        }
        if (position >= size) {
            return false;
        }
        int want = (int) Math.min(PIECE, size - position);
        piece = store.read(blobId, position, want);
        if (piece.length != want) {
            throw new org.parley.server.common.StorageException("blob " + blobId + " holds " + (position
                    + piece.length) + " bytes where " + size + " were expected");
        }
        position += piece.length;
        inPiece = 0;
        return true;
    }

    @Override
    public int read() {
        return fill() ? piece[inPiece++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, piece.length - inPiece);
        System.arraycopy(piece, inPiece, b, off, n);
        inPiece += n;
        return n;
    }
}
