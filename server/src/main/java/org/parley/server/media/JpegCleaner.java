package org.parley.server.media;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Walks a JPEG's markers and copies it without metadata, leaving the compressed pixels untouched (no re-encoding,
 * so no quality loss). Kept, a whitelist: the segments a decoder needs (tables, frame and scan headers, restart
 * intervals, DNL) plus APP0 JFIF (without its thumbnail), APP2 ICC profiles and APP14 Adobe (colour), each cut to
 * what its structure holds. Dropped: APP1 (Exif, XMP), APP13 (IPTC/Photoshop), every other APPn (MPF, FlashPix,
 * maker data), COM, unknown markers, and anything after EOI (phones append second images and videos there, with
 * their own location). The orientation survives as a minimal Exif APP1 in place of the first one.
 * With no output it only walks: the orientation, and a check that the file is whole.
 */
final class JpegCleaner {

    private static final int SOI = 0xD8;
    private static final int EOI = 0xD9;
    private static final int SOS = 0xDA;
    private static final int APP0 = 0xE0;
    private static final int APP1 = 0xE1;
    private static final int APP2 = 0xE2;
    private static final int APP14 = 0xEE;
    private static final int DHT = 0xC4;
    private static final int JPG = 0xC8;
    private static final int DAC = 0xCC;
    private static final int DQT = 0xDB;
    private static final int DNL = 0xDC;
    private static final int DRI = 0xDD;
    private static final int DHP = 0xDE;
    private static final int EXP = 0xDF;

    private static final byte[] JFIF = "JFIF\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] ICC = "ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] ADOBE = "Adobe".getBytes(StandardCharsets.ISO_8859_1);

    private JpegCleaner() {
    }

    /**
     * Cleans (or only walks, when {@code out} is null) a JPEG, refusing one with more than {@code maxScans} scans:
     * each scan of a progressive JPEG is a pass over the whole picture, so thousands of tiny scans make a small file
     * cost minutes of decoding.
     */
    static Cleaned clean(ByteInput in, OutputStream out, int maxScans) throws IOException, MediaException {
        if (in.u8() != 0xFF || in.u8() != SOI) {
            throw new MediaException("the picture is damaged (it does not start like a JPEG)");
        }
        write(out, 0xFF, SOI);
        int orientation = 1;
        boolean exifSeen = false;
        boolean removed = false;
        boolean scanned = false;
        int scans = 0;
        int marker = nextMarker(in);
        while (true) {
            if (marker == EOI) {
                if (!scanned) {
                    throw new MediaException("the picture is damaged (it has no image data)");
                }
                write(out, 0xFF, EOI);
                return new Cleaned(orientation, removed || !in.atEnd());
            }
            if (marker == SOI) {
                throw new MediaException("the picture is damaged (a second JPEG start marker)");
            }
            if (marker == 0x01 || marker >= 0xD0 && marker <= 0xD7) {
                write(out, 0xFF, marker); // TEM, RSTn: no length
                marker = nextMarker(in);
                continue;
            }
            int length = in.u16be();
            if (length < 2) {
                throw new MediaException("the picture is damaged (a JPEG segment with a bad length)");
            }
            byte[] data = in.bytes(length - 2);
            if (marker == SOS) {
                if (++scans > maxScans) {
                    throw new MediaException("the picture has more than " + maxScans + " scans; this server "
                            + "decodes JPEGs of up to " + maxScans + " scans (progressive ones have about 10)");
                }
                // Scan header: Ns, 2 bytes per component, then Ss, Se, Ah/Al.
                byte[] header = exactly(data, data.length < 1 ? 4 : 4 + 2 * (data[0] & 0xFF));
                writeSegment(out, marker, header);
                removed |= header != data;
                marker = scan(in, out);
                scanned = true;
                continue;
            }
            byte[] kept = keep(marker, data);
            if (kept != null) {
                writeSegment(out, marker, kept);
                removed |= kept != data; // keep() returns the segment itself when it keeps all of it
            } else if (marker == APP1 && !exifSeen && !scanned
                    && Exif.startsWith(data, 0, data.length, Exif.JPEG_PREFIX)) {
                exifSeen = true;
                orientation = Exif.orientation(data, 0, data.length);
                byte[] tiff = Exif.minimal(orientation);
                if (tiff != null) {
                    byte[] app1 = new byte[Exif.JPEG_PREFIX.length + tiff.length];
                    System.arraycopy(Exif.JPEG_PREFIX, 0, app1, 0, Exif.JPEG_PREFIX.length);
                    System.arraycopy(tiff, 0, app1, Exif.JPEG_PREFIX.length, tiff.length);
                    writeSegment(out, APP1, app1);
                    removed |= !Arrays.equals(app1, data);
                } else {
                    removed = true;
                }
            } else {
                removed = true;
            }
            marker = nextMarker(in);
        }
    }

    /**
     * What of a segment stays in the shared copy (null: none of it). A whitelist of what decoding and colour need,
     * each cut to the length its own structure gives, so that nothing can ride behind it: frame and scan headers,
     * Huffman, quantisation and arithmetic-coding tables, restart interval, DNL, hierarchical-mode headers, and APP0
     * JFIF (without its thumbnail), APP2 ICC profiles and APP14 Adobe (colour transform). Every other segment goes:
     * APPn, COM, JPGn and reserved markers.
     */
    private static byte[] keep(int marker, byte[] data) throws MediaException {
        if (marker >= 0xC0 && marker <= 0xCF && marker != DHT && marker != JPG && marker != DAC || marker == DHP) {
            // Frame header: precision, height, width, Nf, then 3 bytes per component.
            return exactly(data, data.length < 6 ? 6 : 6 + 3 * (data[5] & 0xFF));
        }
        return switch (marker) {
            case DHT -> exactly(data, tablesLength(data, true));
            case DQT -> exactly(data, tablesLength(data, false));
            case DAC -> exactly(data, data.length & ~1);
            case DRI, DNL -> exactly(data, 2);
            case EXP -> exactly(data, 1);
            case APP0 -> Exif.startsWith(data, 0, data.length, JFIF) && data.length >= 14 ? jfifWithoutThumbnail(data)
                    : null;
            case APP2 -> Exif.startsWith(data, 0, data.length, ICC) ? data : null;
            case APP14 -> Exif.startsWith(data, 0, data.length, ADOBE) && data.length >= 12 ? exactly(data, 12)
                    : null;
            default -> null;
        };
    }

    /** The first {@code length} bytes of a segment; a segment shorter than its structure is damaged. */
    private static byte[] exactly(byte[] data, int length) throws MediaException {
        if (data.length < length) {
            throw new MediaException("the picture is damaged (a JPEG segment shorter than its contents)");
        }
        return data.length == length ? data : Arrays.copyOf(data, length);
    }

    /** How many bytes of a DHT or DQT segment its tables fill (the rest, if any, is not a table). */
    private static int tablesLength(byte[] data, boolean huffman) {
        int at = 0;
        while (true) {
            int size;
            if (huffman) {
                if (data.length - at < 17) {
                    return at;
                }
                size = 17;
                for (int i = 1; i <= 16; i++) {
                    size += data[at + i] & 0xFF;
                }
            } else {
                if (data.length - at < 1) {
                    return at;
                }
                size = 1 + ((data[at] & 0xF0) != 0 ? 128 : 64);
            }
            if (data.length - at < size) {
                return at == 0 ? size : at; // a first table cut short is damage (exactly() says so)
            }
            at += size;
        }
    }

    /** JFIF's version, units and density, with the embedded thumbnail left out (0 x 0). */
    private static byte[] jfifWithoutThumbnail(byte[] data) {
        byte[] kept = Arrays.copyOf(data, 14);
        kept[12] = 0;
        kept[13] = 0;
        return Arrays.equals(kept, data) ? data : kept;
    }

    /**
     * The next marker: skips stray bytes before it (decoders do the same) and 0xFF fill bytes. A file that ends
     * first is incomplete.
     */
    private static int nextMarker(ByteInput in) throws IOException {
        int b;
        do {
            do {
                b = in.u8();
            } while (b != 0xFF);
            do {
                b = in.u8();
            } while (b == 0xFF);
        } while (b == 0); // a stray 0xFF00 outside scan data
        return b;
    }

    /**
     * Copies entropy-coded data (with its stuffed 0xFF00 and RSTn) and returns the marker that ends it. Fill bytes
     * before that marker are dropped.
     */
    private static int scan(ByteInput in, OutputStream out) throws IOException {
        while (true) {
            in.copyUntilFF(out);
            int n = in.u8();
            while (n == 0xFF) {
                n = in.u8();
            }
            if (n == 0x00 || n >= 0xD0 && n <= 0xD7) {
                write(out, 0xFF, n);
                continue;
            }
            return n;
        }
    }

    private static void writeSegment(OutputStream out, int marker, byte[] data) throws IOException {
        if (out == null) {
            return;
        }
        int length = data.length + 2;
        out.write(new byte[] {(byte) 0xFF, (byte) marker, (byte) (length >> 8), (byte) length});
        out.write(data);
    }

    private static void write(OutputStream out, int a, int b) throws IOException {
        if (out != null) {
            out.write(a);
            out.write(b);
        }
    }
}
