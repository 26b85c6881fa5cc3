package org.parley.server.media;

/**
 * The one EXIF tag the server keeps: Orientation (0x0112), read from a TIFF structure (the body of a JPEG
 * {@code Exif} APP1 segment, a PNG {@code eXIf} chunk or a WebP {@code EXIF} chunk) and written back as a
 * minimal TIFF holding nothing else. Every offset is bounds-checked: a broken EXIF block just means "no
 * orientation", never an exception.
 */
final class Exif {

    /** "Exif\0\0", the prefix of a JPEG APP1 Exif segment (some WebP writers put it in the chunk too). */
    static final byte[] JPEG_PREFIX = {'E', 'x', 'i', 'f', 0, 0};

    private static final int ORIENTATION = 0x0112;
    private static final int TYPE_SHORT = 3;

    private Exif() {
    }

    /** The orientation (1..8) in the TIFF structure at {@code b[off, off + len)}, 1 when absent or malformed. */
    static int orientation(byte[] b, int off, int len) {
        if (off < 0 || len < 8 || off + len > b.length) {
            return 1;
        }
        if (startsWith(b, off, len, JPEG_PREFIX)) {
            off += JPEG_PREFIX.length;
            len -= JPEG_PREFIX.length;
            if (len < 8) {
                return 1;
            }
        }
        boolean little;
        if (b[off] == 'I' && b[off + 1] == 'I') {
            little = true;
        } else if (b[off] == 'M' && b[off + 1] == 'M') {
            little = false;
        } else {
            return 1;
        }
        if (u16(b, off + 2, little) != 42) {
            return 1;
        }
        long ifd = u32(b, off + 4, little);
        if (ifd < 8 || ifd + 2 > len) {
            return 1;
        }
        int entries = u16(b, off + (int) ifd, little);
        for (int i = 0; i < entries; i++) {
            long e = ifd + 2 + 12L * i;
            if (e + 12 > len) {
                break;
            }
            int at = off + (int) e;
            if (u16(b, at, little) == ORIENTATION) {
                if (u16(b, at + 2, little) != TYPE_SHORT || u32(b, at + 4, little) < 1) {
                    return 1;
                }
                int v = u16(b, at + 8, little);
                return v >= 1 && v <= 8 ? v : 1;
            }
        }
        return 1;
    }

    /** A big-endian TIFF with one IFD holding only Orientation; null for orientation 1 (nothing to keep). */
    static byte[] minimal(int orientation) {
        if (orientation < 2 || orientation > 8) {
            return null;
        }
        return new byte[] {
            'M', 'M', 0, 42, 0, 0, 0, 8, // header, IFD0 at 8
            0, 1, // one entry
            0x01, 0x12, 0, TYPE_SHORT, 0, 0, 0, 1, 0, (byte) orientation, 0, 0, // Orientation, SHORT, 1, value
            0, 0, 0, 0 // no next IFD
        };
    }

    static boolean startsWith(byte[] b, int off, int len, byte[] prefix) {
        if (len < prefix.length || off + prefix.length > b.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[off + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int u16(byte[] b, int at, boolean little) {
        int x = b[at] & 0xFF;
        int y = b[at + 1] & 0xFF;
        return little ? y << 8 | x : x << 8 | y;
    }

    private static long u32(byte[] b, int at, boolean little) {
        long hi = u16(b, at + (little ? 2 : 0), little);
        long lo = u16(b, at + (little ? 0 : 2), little);
        return hi << 16 | lo;
    }
}
