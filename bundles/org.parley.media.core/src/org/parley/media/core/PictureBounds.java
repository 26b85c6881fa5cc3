package org.parley.media.core;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * What a picture viewer may decode, checked from the headers before anything is decoded: pictures come from servers
 * that may not check them (a 4.6 KB GIF with an 8000 x 8000 screen and 200 frames takes gigabytes once decoded,
 * and a later frame may declare 65535 x 65535). Walks a GIF's blocks (every frame's size, frames x screen pixels),
 * reads a PNG's and a JPEG's dimensions; other formats pass.
 */
public final class PictureBounds {

    /** The most pixels of one picture or frame the viewer decodes (a 100-megapixel photo). */
    public static final long MAX_PIXELS = 100_000_000L;
    /** The most frames x screen pixels of an animation the viewer decodes (each frame becomes a whole image). */
    public static final long MAX_ANIMATION_PIXELS = 100_000_000L;

    /** A picture larger than the viewer decodes; the message says why, for the user. */
    public static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(String message) {
            super(message);
        }
    }

    private PictureBounds() {
    }

    /** Checks with the default bounds. */
    public static void check(InputStream in) throws IOException {
        check(in, MAX_PIXELS, MAX_ANIMATION_PIXELS);
    }

    /**
     * Reads the picture's headers from {@code in} (not closed) and throws {@link TooLarge} when it declares more
     * than the bounds. A file that ends early passes: the decoder reports it.
     */
    public static void check(InputStream in, long maxPixels, long maxAnimationPixels) throws IOException {
        DataInputStream d = new DataInputStream(new BufferedInputStream(in, 8192));
        try {
            int b0 = d.readUnsignedByte();
            int b1 = d.readUnsignedByte();
            if (b0 == 'G' && b1 == 'I') {
                gif(d, maxPixels, maxAnimationPixels);
            } else if (b0 == 0x89 && b1 == 'P') {
                d.skipNBytes(14); // rest of the signature, IHDR length and type
                size(d.readInt() & 0xFFFFFFFFL, d.readInt() & 0xFFFFFFFFL, maxPixels);
            } else if (b0 == 0xFF && b1 == 0xD8) {
                jpeg(d, maxPixels);
            }
        } catch (EOFException cut) {
            // incomplete: the decoder refuses it
        }
    }

    private static void gif(DataInputStream d, long maxPixels, long maxAnimationPixels) throws IOException {
        d.skipNBytes(4); // "F8?a"
        int screenW = u16le(d);
        int screenH = u16le(d);
        int flags = d.readUnsignedByte();
        d.skipNBytes(2);
        skipColourTable(d, flags);
        size(screenW, screenH, maxPixels);
        long frames = 0;
        while (true) {
            int block = d.read();
            if (block == 0x2C) {
                d.skipNBytes(4);
                int w = u16le(d);
                int h = u16le(d);
                size(w, h, maxPixels);
                frames++;
                long composed = Math.max((long) screenW * screenH, (long) w * h);
                if (composed > 0 && frames > maxAnimationPixels / composed) {
                    throw new TooLarge("the animation has more than " + frames + " frames of " + screenW + " x "
                            + screenH + " pixels; Parley shows up to " + String.format(Locale.ROOT, "%,d",
                                    maxAnimationPixels) + " pixels in all frames together");
                }
                skipColourTable(d, d.readUnsignedByte());
                d.skipNBytes(1); // LZW minimum code size
                skipSubBlocks(d);
            } else if (block == 0x21) {
                d.skipNBytes(1);
                skipSubBlocks(d);
            } else {
                return; // trailer, end, or something the decoder will refuse
            }
        }
    }

    private static void jpeg(DataInputStream d, long maxPixels) throws IOException {
        while (true) {
            int b = d.readUnsignedByte();
            if (b != 0xFF) {
                continue;
            }
            int marker;
            do {
                marker = d.readUnsignedByte();
            } while (marker == 0xFF);
            if (marker == 0 || marker == 0x01 || marker >= 0xD0 && marker <= 0xD8) {
                continue;
            }
            if (marker == 0xD9 || marker == 0xDA) {
                return; // no frame header before the scan: the decoder decides
            }
            int length = d.readUnsignedShort();
            if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                d.skipNBytes(1);
                int h = d.readUnsignedShort();
                int w = d.readUnsignedShort();
                size(w, h, maxPixels);
                return;
            }
            d.skipNBytes(Math.max(0, length - 2));
        }
    }

    private static void size(long w, long h, long maxPixels) throws TooLarge {
        if (w * h > maxPixels) {
            throw new TooLarge("the picture is " + w + " x " + h + " pixels; Parley shows pictures of up to "
                    + String.format(Locale.ROOT, "%,d", maxPixels) + " pixels");
        }
    }

    private static void skipColourTable(DataInputStream d, int flags) throws IOException {
        if ((flags & 0x80) != 0) {
            d.skipNBytes(3L << ((flags & 0x07) + 1));
        }
    }

    private static void skipSubBlocks(DataInputStream d) throws IOException {
        for (int size = d.readUnsignedByte(); size != 0; size = d.readUnsignedByte()) {
            d.skipNBytes(size);
        }
    }

    private static int u16le(DataInputStream d) throws IOException {
        int lo = d.readUnsignedByte();
        return lo | d.readUnsignedByte() << 8;
    }
}
