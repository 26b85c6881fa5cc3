package org.parley.server.media;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Set;

/**
 * Walks a WebP's RIFF chunks and copies what rendering needs, a whitelist: the image chunks ({@code VP8 },
 * {@code VP8L}, {@code ALPH}) untouched, the {@code VP8X} and {@code ANIM} headers cut to their size, animation
 * frames ({@code ANMF}) with only their image chunks, and ICC profiles. Everything else goes: {@code EXIF},
 * {@code XMP }, {@code C2PA} content credentials (which carry locations too), unknown chunks, and bytes after the
 * RIFF data. The orientation survives as a minimal EXIF chunk at the end, which only
 * the extended format (VP8X) can hold; a simple WebP's EXIF chunk is dropped without an orientation, as decoders
 * ignore it. The copy is written with the VP8X EXIF and XMP flags cleared and a
 * provisional RIFF size; {@link #fixHeader} then sets both from what was written.
 */
final class WebpCleaner {

    private static final int MAX_EXIF = 1024 * 1024;
    private static final int EXIF_FLAG = 0x08;
    private static final int XMP_FLAG = 0x04;
    /** RIFF header (12) + VP8X chunk header (8): where the VP8X flags byte sits. */
    private static final int FLAGS_AT = 20;

    /** Chunks that hold the picture itself: lossy and lossless bitstreams, and the alpha channel of lossy ones. */
    private static final Set<String> IMAGE_CHUNKS = Set.of("VP8 ", "VP8L", "ALPH");

    private WebpCleaner() {
    }

    /**
     * Copies an animation frame (ANMF): its 16-byte header, then only its image chunks (a frame may hold unknown
     * chunks too). Read whole (up to {@link PngCleaner#MAX_HEADER_CHUNK}) to write its new length first. Returns
     * whether anything was left out.
     */
    private static boolean frame(ByteInput in, long length, long padded, OutputStream out)
            throws IOException, MediaException {
        if (length < 16 || length > PngCleaner.MAX_HEADER_CHUNK) {
            throw new MediaException(length < 16 ? "the picture is damaged (a short WebP animation frame)"
                    : "the picture has an animation frame of " + length / (1024 * 1024) + " MB; this server accepts "
                    + "up to " + PngCleaner.MAX_HEADER_CHUNK / (1024 * 1024) + " MB per frame");
        }
        byte[] data = in.bytes((int) length);
        in.copy(padded - length, null);
        java.io.ByteArrayOutputStream kept = new java.io.ByteArrayOutputStream(data.length);
        kept.write(data, 0, 16);
        boolean removed = false;
        int at = 16;
        while (data.length - at >= 8) {
            String type = fourcc(data, at);
            long size = ByteBuffer.wrap(data, at + 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
            if (size > data.length - at - 8) {
                throw new MediaException("the picture is damaged (a chunk runs past its WebP animation frame)");
            }
            int total = (int) Math.min(8 + size + (size & 1), data.length - at);
            if (IMAGE_CHUNKS.contains(type)) {
                kept.write(data, at, total);
                if ((size & 1) == 1 && total == 8 + size) {
                    kept.write(0);
                }
            } else {
                removed = true;
            }
            at += total;
        }
        removed |= at != data.length;
        write(out, chunkHeader("ANMF", kept.size()));
        if (out != null) {
            kept.writeTo(out);
        }
        return removed;
    }

    /** What {@link #fixHeader} needs on top of {@link Cleaned}: whether an EXIF chunk was written. */
    record Result(Cleaned cleaned, boolean wroteExif) {
    }

    static Result clean(ByteInput in, long size, OutputStream out) throws IOException, MediaException {
        byte[] riff = in.bytes(12);
        if (!fourcc(riff, 0).equals("RIFF") || !fourcc(riff, 8).equals("WEBP")) {
            throw new MediaException("the picture is damaged (it does not start like a WebP)");
        }
        long riffSize = ByteBuffer.wrap(riff, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
        if (riffSize < 4 || riffSize > size - 8) {
            throw new MediaException("the picture is damaged or incomplete (its RIFF size does not match the file)");
        }
        long end = 8 + riffSize;
        write(out, riff);
        int orientation = 1;
        boolean removed = false;
        boolean extended = false;
        boolean first = true;
        while (end - in.position() >= 8) {
            byte[] header = in.bytes(8);
            String type = fourcc(header, 0);
            long length = ByteBuffer.wrap(header, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
            long remaining = end - in.position();
            if (length > remaining) {
                throw new MediaException("the picture is damaged or incomplete (a WebP chunk runs past the end)");
            }
            long padded = Math.min(length + (length & 1), remaining);
            if (first) {
                if (!type.equals("VP8 ") && !type.equals("VP8L") && !type.equals("VP8X")) {
                    throw new MediaException("the picture is damaged (a WebP without image header)");
                }
                extended = type.equals("VP8X");
                if (extended && length < 10) {
                    throw new MediaException("the picture is damaged (a WebP with a short VP8X header)");
                }
                first = false;
            }
            if (type.equals("ICCP") && length > PngCleaner.MAX_HEADER_CHUNK) {
                throw new MediaException("the picture has a colour profile of " + length / (1024 * 1024)
                        + " MB; this server accepts up to " + PngCleaner.MAX_HEADER_CHUNK / (1024 * 1024) + " MB");
            }
            if (type.equals("EXIF") && orientation == 1 && length <= MAX_EXIF) {
                byte[] data = in.bytes((int) length);
                in.copy(padded - length, null);
                // Only the extended format (VP8X) holds metadata: decoders ignore an EXIF chunk in a simple WebP,
                // and so does the server (its copy could not carry the orientation anyway).
                orientation = extended ? Exif.orientation(data, 0, data.length) : 1;
                byte[] tiff = Exif.minimal(orientation);
                removed |= tiff == null || !Arrays.equals(data, tiff); // null: not kept
            } else if (type.equals("VP8X") || type.equals("ANIM")) {
                // Fixed-size headers: cut to their size, so that nothing rides behind them.
                int fixed = type.equals("VP8X") ? 10 : 6;
                if (length < fixed) {
                    throw new MediaException("the picture is damaged (a short WebP " + type.strip() + " chunk)");
                }
                byte[] data = in.bytes(fixed);
                in.copy(padded - fixed, null);
                if (type.equals("VP8X")) {
                    data[0] &= (byte) ~(EXIF_FLAG | XMP_FLAG);
                }
                write(out, chunkHeader(type, fixed));
                write(out, data);
                removed |= length != fixed;
            } else if (type.equals("ANMF")) {
                removed |= frame(in, length, padded, out);
            } else if (!IMAGE_CHUNKS.contains(type) && !type.equals("ICCP")) {
                in.copy(padded, null); // EXIF and XMP beyond the orientation, C2PA, and any chunk rendering ignores
                removed = true;
            } else {
                write(out, header);
                in.copy(padded, out);
                if (padded == length && (length & 1) == 1 && out != null) {
                    out.write(0); // the file's last chunk lacked its pad byte
                }
            }
        }
        removed |= !in.atEnd(); // bytes after the RIFF data
        byte[] tiff = extended ? Exif.minimal(orientation) : null;
        if (tiff != null && out != null) {
            write(out, chunkHeader("EXIF", tiff.length));
            out.write(tiff); // 26 bytes: even, no pad
        }
        return new Result(new Cleaned(orientation, removed), tiff != null);
    }

    /** Sets the RIFF size from the file's length and the VP8X EXIF flag from what {@link #clean} wrote. */
    static void fixHeader(Path file, Result result) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer size = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) (ch.size() - 8));
            ch.write(size.flip(), 4);
            if (result.wroteExif()) {
                ByteBuffer flags = ByteBuffer.allocate(1);
                ch.read(flags, FLAGS_AT);
                flags.put(0, (byte) (flags.get(0) | EXIF_FLAG)).rewind();
                ch.write(flags, FLAGS_AT);
            }
        }
    }

    private static byte[] chunkHeader(String type, int length) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        b.put(type.getBytes(StandardCharsets.ISO_8859_1)).putInt(length);
        return b.array();
    }

    private static String fourcc(byte[] b, int at) {
        return new String(b, at, 4, StandardCharsets.ISO_8859_1);
    }

    private static void write(OutputStream out, byte[] b) throws IOException {
        if (out != null) {
            out.write(b);
        }
    }
}
