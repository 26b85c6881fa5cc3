package org.parley.server.media;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Walks a GIF's blocks and copies what rendering needs, a whitelist: the header, colour tables and frames
 * untouched (an animation stays an animation), graphic control extensions and the looping extension cut to their
 * one block, ICC colour profiles. Everything else goes: comments, plain text extensions (no viewer draws them), other
 * application extensions (XMP, editors' data), and bytes after the trailer. Every frame's size is checked. A GIF that ends between two blocks without its trailer is accepted (many
 * encoders forget it; the copy gets one); one that ends inside a block is incomplete.
 */
final class GifCleaner {

    private static final int EXTENSION = 0x21;
    private static final int IMAGE = 0x2C;
    private static final int TRAILER = 0x3B;
    private static final int COMMENT = 0xFE;
    private static final int APPLICATION = 0xFF;
    private static final int GRAPHIC_CONTROL = 0xF9;

    /** Application extensions that change how the GIF plays or looks: looping, and ICC colour profiles. */
    private static final Set<String> KEPT_APPLICATIONS = Set.of("NETSCAPE2.0", "ANIMEXTS1.0", "ICCRGBG1012");

    private GifCleaner() {
    }

    /** Checks one frame's dimensions (the pipeline's pixel and edge limits). */
    interface FrameCheck {
        void check(int width, int height) throws MediaException;
    }

    /**
     * Cleans (or only walks, when {@code out} is null) a GIF, checking every frame's dimensions with {@code frames}
     * and refusing an animation whose frames x logical-screen pixels exceed {@code maxAnimationPixels}: a viewer
     * composes every frame onto the whole screen.
     */
    static Cleaned clean(ByteInput in, OutputStream out, FrameCheck frames, long maxAnimationPixels)
            throws IOException, MediaException {
        byte[] header = in.bytes(13); // signature, version, logical screen descriptor
        String signature = new String(header, 0, 6, StandardCharsets.ISO_8859_1);
        if (!signature.equals("GIF87a") && !signature.equals("GIF89a")) {
            throw new MediaException("the picture is damaged (it does not start like a GIF)");
        }
        int screenWidth = u16le(header, 6);
        int screenHeight = u16le(header, 8);
        long frameCount = 0;
        write(out, header);
        copyColourTable(in, header[10], out);
        boolean removed = false;
        boolean image = false;
        while (true) {
            int block = in.read();
            if (block < 0 || block == TRAILER) {
                if (!image) {
                    throw new MediaException("the picture is damaged (a GIF without any image)");
                }
                write(out, new byte[] {TRAILER});
                return new Cleaned(1, removed || block == TRAILER && !in.atEnd());
            }
            if (block == IMAGE) {
                byte[] descriptor = in.bytes(9);
                int width = u16le(descriptor, 4);
                int height = u16le(descriptor, 6);
                frames.check(width, height);
                frameCount++;
                long composed = Math.max((long) screenWidth * screenHeight, (long) width * height);
                if (composed > 0 && frameCount > maxAnimationPixels / composed) {
                    throw new MediaException("the animation has more than " + frameCount + " frames of "
                            + screenWidth + " x " + screenHeight + " pixels; this server accepts up to "
                            + String.format(java.util.Locale.ROOT, "%,d", maxAnimationPixels)
                            + " pixels in all frames together");
                }
                write(out, new byte[] {IMAGE});
                write(out, descriptor);
                copyColourTable(in, descriptor[8], out);
                int lzwMinimumCodeSize = in.u8();
                if (out != null) {
                    out.write(lzwMinimumCodeSize);
                }
                copySubBlocks(in, out);
                image = true;
            } else if (block == EXTENSION) {
                int label = in.u8();
                if (label == GRAPHIC_CONTROL) {
                    removed |= copyFirstBlock(in, 4, new byte[] {EXTENSION, (byte) label}, out);
                } else if (label == APPLICATION) {
                    String application = application(in);
                    byte[] start = applicationStart(application);
                    if (application.equals("ICCRGBG1012")) {
                        write(out, start);
                        copySubBlocks(in, out); // the colour profile
                    } else if (start != null) {
                        removed |= copyFirstBlock(in, 3, start, out); // looping: 1, then a 16-bit count
                    } else {
                        copySubBlocks(in, null); // XMP, editors' data, unknown
                        removed = true;
                    }
                } else {
                    copySubBlocks(in, null); // comments, plain text (no viewer draws it), unknown
                    removed = true;
                }
            } else {
                throw new MediaException("the picture is damaged (an unknown GIF block)");
            }
        }
    }

    /** Reads an application extension's identifier block: its name, or "" when it is not an 11-byte one. */
    private static String application(ByteInput in) throws IOException {
        int size = in.u8();
        byte[] id = in.bytes(size);
        return size == 11 ? new String(id, StandardCharsets.ISO_8859_1) : "";
    }

    /** The bytes that start a kept application extension (up to its identifier block), or null. */
    private static byte[] applicationStart(String application) {
        if (!KEPT_APPLICATIONS.contains(application)) {
            return null;
        }
        byte[] start = new byte[14];
        start[0] = EXTENSION;
        start[1] = (byte) APPLICATION;
        start[2] = 11;
        System.arraycopy(application.getBytes(StandardCharsets.ISO_8859_1), 0, start, 3, 11);
        return start;
    }

    /**
     * Copies {@code start}, then the extension's first sub-block if it has {@code size} bytes, then the terminator;
     * any further sub-blocks (where text could ride) are left out. Returns whether anything was left out. An
     * extension whose first block has another size is left out whole.
     */
    private static boolean copyFirstBlock(ByteInput in, int size, byte[] start, OutputStream out)
            throws IOException {
        int first = in.u8();
        if (first != size) {
            in.copy(first, null);
            if (first != 0) {
                copySubBlocks(in, null);
            }
            return true;
        }
        byte[] block = in.bytes(size);
        int next = in.u8();
        boolean more = next != 0;
        if (more) {
            in.copy(next, null);
            copySubBlocks(in, null);
        }
        write(out, start);
        if (out != null) {
            out.write(size);
            out.write(block);
            out.write(0);
        }
        return more;
    }

    private static void copyColourTable(ByteInput in, byte flags, OutputStream out) throws IOException {
        if ((flags & 0x80) != 0) {
            in.copy(3L << ((flags & 0x07) + 1), out);
        }
    }

    private static void copySubBlocks(ByteInput in, OutputStream out) throws IOException {
        int size;
        do {
            size = in.u8();
            if (out != null) {
                out.write(size);
            }
            in.copy(size, out);
        } while (size != 0);
    }

    private static int u16le(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    private static void write(OutputStream out, byte[] b) throws IOException {
        if (out != null) {
            out.write(b);
        }
    }
}
