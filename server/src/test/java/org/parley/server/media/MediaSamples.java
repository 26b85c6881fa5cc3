package org.parley.server.media;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Sample media built by the tests: pictures written by ImageIO, metadata and containers crafted byte by byte. */
final class MediaSamples {

    /** A 1 x 1 lossless WebP (VP8L), the smallest valid one. */
    static final byte[] WEBP_1X1 = Base64.getDecoder().decode("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==");

    static final String CAMERA = "ParleyCam";

    private MediaSamples() {
    }

    static MediaPipeline.ByteSource source(byte[] bytes) {
        return new MediaPipeline.ByteSource() {
            @Override
            public InputStream open() {
                return new ByteArrayInputStream(bytes);
            }

            @Override
            public long size() {
                return bytes.length;
            }
        };
    }

    /** Left half red, right half blue: a thumbnail shows which way it was turned. */
    static BufferedImage halves(int w, int h, boolean alpha) {
        BufferedImage img = new BufferedImage(w, h, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, w / 2, h);
        g.setColor(Color.BLUE);
        g.fillRect(w / 2, 0, w - w / 2, h);
        if (alpha) {
            g.setComposite(java.awt.AlphaComposite.Clear);
            g.fillRect(0, 0, w / 4, h / 4);
        }
        g.dispose();
        return img;
    }

    static BufferedImage noise(int w, int h, long seed) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Random r = new Random(seed);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, r.nextInt(0x1000000));
            }
        }
        return img;
    }

    static byte[] write(BufferedImage img, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, format, out)) {
                throw new IllegalStateException("no writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] jpeg(int w, int h) {
        return write(halves(w, h, false), "jpeg");
    }

    /**
     * A progressive JPEG (written by ImageIO) with its last scan repeated {@code extraScans} times: the shape of the
     * CPU bomb, where each of thousands of tiny scans costs a pass over the whole picture.
     */
    static byte[] progressiveJpeg(int w, int h, int extraScans) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
            param.setProgressiveMode(javax.imageio.ImageWriteParam.MODE_DEFAULT);
            writer.write(null, new IIOImage(halves(w, h, false), null, null), param);
        } finally {
            writer.dispose();
        }
        byte[] jpeg = bytes.toByteArray();
        int lastScan = -1;
        for (int i = 0; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xDA) {
                lastScan = i; // inside scan data 0xFF is always followed by 0x00 or RSTn: these are markers
            }
        }
        int eoi = jpeg.length - 2;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, eoi);
        for (int i = 0; i < extraScans; i++) {
            out.write(jpeg, lastScan, eoi - lastScan);
        }
        out.write(jpeg, eoi, 2);
        return out.toByteArray();
    }

    /** How many scans (SOS markers) a JPEG has. */
    static int scans(byte[] jpeg) {
        int n = 0;
        for (int i = 0; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xDA) {
                n++;
            }
        }
        return n;
    }

    /**
     * A GIF crafted byte by byte: a logical screen of {@code screenW} x {@code screenH} and one 1 x 1 frame per entry
     * of {@code frames}, except that an entry other than 1 makes that frame {@code entry} x {@code entry} (its
     * descriptor only: the pixel data is one pixel's, as a hostile file would have it).
     */
    static byte[] craftedGif(int screenW, int screenH, int... frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("GIF89a".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        out.writeBytes(new byte[] {(byte) screenW, (byte) (screenW >> 8), (byte) screenH, (byte) (screenH >> 8),
            (byte) 0x80, 0, 0}); // a global colour table of 2 entries
        out.writeBytes(new byte[] {0, 0, 0, (byte) 255, (byte) 255, (byte) 255});
        for (int edge : frames) {
            out.writeBytes(new byte[] {0x2C, 0, 0, 0, 0, (byte) edge, (byte) (edge >> 8), (byte) edge,
                (byte) (edge >> 8), 0});
            out.writeBytes(new byte[] {2, 2, 0x44, 0x01, 0}); // LZW: clear, pixel 0, end
        }
        out.write(0x3B);
        return out.toByteArray();
    }

    /** A two-frame GIF: the first frame red, the second green. */
    static byte[] animatedGif(int w, int h) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (Color c : new Color[] {Color.RED, Color.GREEN}) {
                BufferedImage frame = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = frame.createGraphics();
                g.setColor(c);
                g.fillRect(0, 0, w, h);
                g.dispose();
                writer.writeToSequence(new IIOImage(frame, null, null), null);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /**
     * A big-endian TIFF as EXIF holds it: IFD0 with Make, Orientation and a GPS IFD pointer; the GPS IFD with
     * 48 deg 51' 29" N, 2 deg 17' 40" E.
     */
    static byte[] exifTiff(int orientation) {
        ByteBuffer b = ByteBuffer.allocate(162).order(ByteOrder.BIG_ENDIAN);
        b.put(new byte[] {'M', 'M', 0, 42}).putInt(8);
        b.putShort((short) 3);
        entry(b, 0x010F, 2, CAMERA.length() + 1, 50); // Make
        b.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        entry(b, 0x8825, 4, 1, 60); // GPS IFD
        b.putInt(0);
        b.put((CAMERA + "\0").getBytes(StandardCharsets.US_ASCII)); // 50..60
        b.putShort((short) 4);
        b.putShort((short) 1).putShort((short) 2).putInt(2).put(new byte[] {'N', 0, 0, 0});
        entry(b, 2, 5, 3, 114);
        b.putShort((short) 3).putShort((short) 2).putInt(2).put(new byte[] {'E', 0, 0, 0});
        entry(b, 4, 5, 3, 138);
        b.putInt(0);
        for (int v : new int[] {48, 51, 29, 2, 17, 40}) { // 114..162
            b.putInt(v).putInt(1);
        }
        return b.array();
    }

    private static void entry(ByteBuffer b, int tag, int type, int count, int value) {
        b.putShort((short) tag).putShort((short) type).putInt(count).putInt(value);
    }

    /** The JPEG with, after its JFIF segment: Exif APP1, XMP APP1, APP13 IPTC, a comment; and bytes after EOI. */
    static byte[] jpegWithMetadata(byte[] jpeg, int orientation) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int afterApp0 = 2;
        if ((jpeg[2] & 0xFF) == 0xFF && (jpeg[3] & 0xFF) == 0xE0) {
            afterApp0 = 4 + ((jpeg[4] & 0xFF) << 8 | jpeg[5] & 0xFF);
        }
        out.write(jpeg, 0, afterApp0);
        segment(out, 0xE1, concat("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1), exifTiff(orientation)));
        segment(out, 0xE1, ("http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><exif:GPSLatitude>48,51.48N"
                + "</exif:GPSLatitude></x:xmpmeta>").getBytes(StandardCharsets.ISO_8859_1));
        segment(out, 0xED, "Photoshop 3.0\08BIM\u0004\u0004\0\0\0\0\0\u0009\u001c\u0002\u005a\0\u0005Paris"
                .getBytes(StandardCharsets.ISO_8859_1));
        segment(out, 0xFE, "taken at home".getBytes(StandardCharsets.ISO_8859_1));
        out.write(jpeg, afterApp0, jpeg.length - afterApp0);
        out.writeBytes("trailing second image".getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    /** A JPEG whose only metadata is an Exif APP1 with the given orientation (and GPS). */
    static byte[] jpegWithExif(byte[] jpeg, int orientation) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        segment(out, 0xE1, concat("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1), exifTiff(orientation)));
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    private static void segment(ByteArrayOutputStream out, int marker, byte[] data) {
        int length = data.length + 2;
        out.write(0xFF);
        out.write(marker);
        out.write(length >> 8);
        out.write(length);
        out.writeBytes(data);
    }

    /** The PNG with eXIf (GPS, orientation), tEXt, zTXt, iTXt and tIME chunks after its header. */
    static byte[] pngWithMetadata(byte[] png, int orientation) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int afterIhdr = 8 + 8 + 13 + 4;
        out.write(png, 0, afterIhdr);
        chunk(out, "eXIf", exifTiff(orientation));
        chunk(out, "tEXt", "Author\0Somebody".getBytes(StandardCharsets.ISO_8859_1));
        chunk(out, "zTXt", concat("Comment\0\0".getBytes(StandardCharsets.ISO_8859_1), deflate(
                "taken at home".getBytes(StandardCharsets.ISO_8859_1))));
        chunk(out, "iTXt", "GPS\0\0\0\0\0" .getBytes(StandardCharsets.ISO_8859_1));
        chunk(out, "tIME", new byte[] {0x07, (byte) 0xE8, 5, 17, 12, 0, 0});
        out.write(png, afterIhdr, png.length - afterIhdr);
        return out.toByteArray();
    }

    /** A PNG whose header declares width x height, with a tiny compressed stream: a decompression bomb. */
    static byte[] pngBomb(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put(new byte[] {8, 2, 0, 0, 0}).array()); // 8-bit RGB
        chunk(out, "IDAT", deflate(new byte[64 * 1024]));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /**
     * An extended WebP around {@link #WEBP_1X1}'s VP8L image: VP8X (EXIF and XMP flags), the image, an EXIF chunk
     * (GPS, orientation) and an XMP chunk.
     */
    static byte[] webpWithMetadata(int orientation) {
        byte[] vp8l = java.util.Arrays.copyOfRange(WEBP_1X1, 12, WEBP_1X1.length); // "VP8L" chunk
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("WEBP".getBytes(StandardCharsets.ISO_8859_1));
        riffChunk(body, "VP8X", new byte[] {0x08 | 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0}); // 1 x 1 canvas
        body.writeBytes(vp8l);
        riffChunk(body, "EXIF", exifTiff(orientation));
        riffChunk(body, "XMP ", "<x:xmpmeta>GPS 48,51.48N</x:xmpmeta>".getBytes(StandardCharsets.ISO_8859_1));
        byte[] b = body.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("RIFF".getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
        out.writeBytes(b);
        return out.toByteArray();
    }

    static void riffChunk(ByteArrayOutputStream out, String type, byte[] data) {
        out.writeBytes(type.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(data.length).array());
        out.writeBytes(data);
        if ((data.length & 1) == 1) {
            out.write(0);
        }
    }

    static byte[] deflate(byte[] data) {
        Deflater d = new Deflater(9);
        d.setInput(data);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return out.toByteArray();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    static boolean contains(byte[] haystack, String needle) {
        return contains(haystack, needle.getBytes(StandardCharsets.ISO_8859_1));
    }
}
