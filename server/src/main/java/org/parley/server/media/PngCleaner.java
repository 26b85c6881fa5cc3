package org.parley.server.media;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Walks a PNG's chunks and copies it without metadata, the compressed pixels untouched. Kept: the critical chunks
 * and the ancillary ones that change how the picture looks or moves (transparency, colour, gamma, HDR, physical
 * size, background, APNG animation). Dropped: eXIf, tEXt, iTXt, zTXt, tIME and every other chunk (private and
 * unknown chunks, content credentials, signatures), and bytes after IEND. The orientation survives as a minimal
 * eXIf. The walk also checks every chunk length against the file, and refuses a chunk before the image data larger
 * than {@link #MAX_HEADER_CHUNK}: the JDK's reader allocates such chunks whole for palette pictures.
 */
final class PngCleaner {

    static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    static final int MAX_HEADER_CHUNK = 16 * 1024 * 1024;
    private static final int MAX_EXIF = 1024 * 1024;

    private static final Set<String> KEPT = Set.of("IHDR", "PLTE", "IDAT", "IEND", "tRNS", "gAMA", "cHRM", "sRGB",
            "iCCP", "sBIT", "pHYs", "bKGD", "hIST", "cICP", "mDCv", "cLLi", "acTL", "fcTL", "fdAT");

    private PngCleaner() {
    }

    static Cleaned clean(ByteInput in, long size, OutputStream out) throws IOException, MediaException {
        if (!Arrays.equals(in.bytes(SIGNATURE.length), SIGNATURE)) {
            throw new MediaException("the picture is damaged (it does not start like a PNG)");
        }
        write(out, SIGNATURE);
        int orientation = 1;
        boolean removed = false;
        boolean exifSeen = false;
        boolean imageData = false;
        boolean first = true;
        while (true) {
            long length = in.u32be();
            byte[] typeBytes = in.bytes(4);
            String type = type(typeBytes);
            if (length > Integer.MAX_VALUE || length + 4 > size - in.position()) {
                throw new MediaException("the picture is damaged or incomplete (a PNG chunk runs past the end)");
            }
            if (first && !"IHDR".equals(type)) {
                throw new MediaException("the picture is damaged (a PNG must start with its header)");
            }
            first = false;
            if ("IDAT".equals(type)) {
                imageData = true;
            } else if (!imageData && length > MAX_HEADER_CHUNK) {
                throw new MediaException("the picture has a " + length / (1024 * 1024)
                        + " MB block before its image data; this server accepts up to "
                        + MAX_HEADER_CHUNK / (1024 * 1024) + " MB there");
            }
            if (KEPT.contains(type)) {
                writeHeader(out, length, typeBytes);
                in.copy(length + 4, out); // data and CRC as they are
                if ("IEND".equals(type)) {
                    return new Cleaned(orientation, removed || !in.atEnd());
                }
            } else if ("eXIf".equals(type) && !exifSeen && !imageData && length <= MAX_EXIF) {
                exifSeen = true;
                byte[] data = in.bytes((int) length);
                in.copy(4, null);
                orientation = Exif.orientation(data, 0, data.length);
                byte[] tiff = Exif.minimal(orientation);
                if (tiff != null) {
                    writeChunk(out, typeBytes, tiff);
                }
                removed |= tiff == null || !Arrays.equals(tiff, data); // null: not kept (Jazzer's hook crashes on it)
            } else {
                in.copy(length + 4, null);
                removed = true;
            }
        }
    }

    private static String type(byte[] b) throws MediaException {
        for (byte c : b) {
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z')) {
                throw new MediaException("the picture is damaged (a PNG chunk with a bad name)");
            }
        }
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static void writeHeader(OutputStream out, long length, byte[] type) throws IOException {
        if (out != null) {
            out.write(new byte[] {(byte) (length >> 24), (byte) (length >> 16), (byte) (length >> 8), (byte) length});
            out.write(type);
        }
    }

    private static void writeChunk(OutputStream out, byte[] type, byte[] data) throws IOException {
        if (out == null) {
            return;
        }
        writeHeader(out, data.length, type);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(type);
        crc.update(data);
        long c = crc.getValue();
        out.write(new byte[] {(byte) (c >> 24), (byte) (c >> 16), (byte) (c >> 8), (byte) c});
    }

    private static void write(OutputStream out, byte[] b) throws IOException {
        if (out != null) {
            out.write(b);
        }
    }
}
