package org.parley.media.core;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The EXIF orientation of a JPEG (1 = as stored; 3 = upside down; 6 = rotate 90° clockwise to show; 8 = rotate 90°
 * counter-clockwise; 2, 4, 5, 7 mirrored). Picture decoders in SWT ignore it, so a phone photo would show on its
 * side without it. Reads only the header segments, never the pixels; anything unexpected means 1.
 */
public final class Orientation {

    private Orientation() {
    }

    public static int ofJpeg(InputStream in) {
        try {
            DataInputStream d = new DataInputStream(in);
            if (d.readUnsignedShort() != 0xFFD8) {
                return 1;
            }
            while (true) {
                int marker = d.readUnsignedShort();
                if ((marker & 0xFF00) != 0xFF00 || marker == 0xFFDA || marker == 0xFFD9) {
                    return 1; // start of the picture data: no orientation before it
                }
                int length = d.readUnsignedShort() - 2;
                if (length < 0) {
                    return 1;
                }
                byte[] body = d.readNBytes(length);
                if (body.length < length) {
                    return 1;
                }
                if (marker == 0xFFE1 && length > 14 && body[0] == 'E' && body[1] == 'x' && body[2] == 'i'
                        && body[3] == 'f' && body[4] == 0 && body[5] == 0) {
                    return fromTiff(body, 6);
                }
            }
        } catch (EOFException e) {
            return 1;
        } catch (IOException e) {
            return 1;
        }
    }

    private static int fromTiff(byte[] b, int start) {
        boolean little = b[start] == 'I' && b[start + 1] == 'I';
        if (!little && !(b[start] == 'M' && b[start + 1] == 'M')) {
            return 1;
        }
        long ifd = start + u32(b, start + 4, little);
        if (ifd + 2 > b.length) {
            return 1;
        }
        int entries = u16(b, (int) ifd, little);
        for (int i = 0; i < entries; i++) {
            int e = (int) ifd + 2 + i * 12;
            if (e + 12 > b.length) {
                return 1;
            }
            if (u16(b, e, little) == 0x0112) {
                int v = u16(b, e + 8, little);
                return v >= 1 && v <= 8 ? v : 1;
            }
        }
        return 1;
    }

    private static int u16(byte[] b, int i, boolean little) {
        int a = b[i] & 0xFF;
        int c = b[i + 1] & 0xFF;
        return little ? a | c << 8 : a << 8 | c;
    }

    private static long u32(byte[] b, int i, boolean little) {
        long v = 0;
        for (int k = 0; k < 4; k++) {
            int shift = little ? 8 * k : 8 * (3 - k);
            v |= (long) (b[i + k] & 0xFF) << shift;
        }
        return v;
    }
}
