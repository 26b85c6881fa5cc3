package org.parley.server.media;

import java.awt.image.BufferedImage;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.FileCacheImageInputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * The server's {@link MediaPipeline}: sniffs the type from the bytes; for a picture checks the dimensions its
 * header declares against the limits (reading nothing more), walks its container (checking its structure, reading
 * the orientation, writing the copy without metadata), and only then decodes, subsampled, for the thumbnail.
 * Decoders come from ImageIO: the JDK's for PNG, GIF and BMP, TwelveMonkeys' for JPEG and WebP. Thread-safe; at
 * most {@code maxConcurrentDecodes} pictures are decoded at once, which bounds the memory decoding can take.
 */
public final class ImagePipeline implements MediaPipeline {

    /** The default pixel limit: 64 megapixels (more than any phone photo but those of 200-megapixel modes). */
    public static final long DEFAULT_MAX_PIXELS = 64_000_000L;

    /** The longest edge any decoder here accepts (JPEG's own limit): bounds row buffers of very thin pictures. */
    public static final int MAX_EDGE = 65_535;

    /** Decoded pictures are at least this many times the thumbnail edge (then scaled down smoothly). */
    private static final int OVERSAMPLE = 3;

    private static final String[] DECODED = {"image/jpeg", "image/png", "image/gif", "image/webp", "image/bmp"};

    static {
        // Java2D on a server: never look for a display (a DISPLAY inherited from a desktop or Xvfb would make AWT
        // open a connection to it just to draw into a BufferedImage). Set before any AWT class initialises.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** The default most scans of a JPEG (progressive JPEGs have about 10). */
    public static final int DEFAULT_MAX_JPEG_SCANS = 100;
    /** The default most frames x screen pixels of an animated GIF. */
    public static final long DEFAULT_MAX_ANIMATION_PIXELS = 100_000_000L;
    /** The default longest a picture may take to decode. */
    public static final long DEFAULT_DECODE_TIMEOUT_MILLIS = 30_000;

    private final long maxPixels;
    private final int maxJpegScans;
    private final long maxAnimationPixels;
    private final long decodeTimeoutMillis;
    private final Semaphore decodes;

    /** With the default limits: {@link #DEFAULT_MAX_PIXELS}, and one decode per two cores (at least 1, at most 4). */
    public ImagePipeline() {
        this(DEFAULT_MAX_PIXELS, Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 2)));
    }

    /**
     * @param maxPixels the most pixels (width x height) a picture may have to be decoded
     * @param maxConcurrentDecodes how many pictures may be decoded at the same time; more callers wait
     * @throws IllegalStateException when ImageIO lacks a reader for one of the formats (for example a repackaged
     *         jar that lost the plug-ins' service files)
     */
    public ImagePipeline(long maxPixels, int maxConcurrentDecodes) {
        this(maxPixels, maxConcurrentDecodes, DEFAULT_MAX_JPEG_SCANS, DEFAULT_MAX_ANIMATION_PIXELS,
                DEFAULT_DECODE_TIMEOUT_MILLIS);
    }

    /**
     * @param maxJpegScans the most scans a JPEG may have (each is a pass over the whole picture)
     * @param maxAnimationPixels the most frames x logical-screen pixels a GIF may have
     * @param decodeTimeoutMillis how long decoding one picture may take; longer is refused
     */
    public ImagePipeline(long maxPixels, int maxConcurrentDecodes, int maxJpegScans, long maxAnimationPixels,
            long decodeTimeoutMillis) {
        if (maxPixels < 1 || maxConcurrentDecodes < 1 || maxJpegScans < 1 || maxAnimationPixels < 1
                || decodeTimeoutMillis < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        List<String> missing = new ArrayList<>();
        for (String type : DECODED) {
            if (!ImageIO.getImageReadersByMIMEType(type).hasNext()) {
                missing.add(type);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("no ImageIO reader for " + missing
                    + " (are the TwelveMonkeys plug-ins and their META-INF/services files on the class path?)");
        }
        this.maxPixels = maxPixels;
        this.maxJpegScans = maxJpegScans;
        this.maxAnimationPixels = maxAnimationPixels;
        this.decodeTimeoutMillis = decodeTimeoutMillis;
        this.decodes = new Semaphore(maxConcurrentDecodes, true);
    }

    /** The reader ImageIO picks for each decoded type, as "type: class" lines (for the start-up log and checks). */
    public static List<String> readers() {
        List<String> lines = new ArrayList<>();
        for (String type : DECODED) {
            Iterator<ImageReader> it = ImageIO.getImageReadersByMIMEType(type);
            lines.add(type + ": " + (it.hasNext() ? it.next().getClass().getName() : "none"));
        }
        return lines;
    }

    @Override
    public Inspection inspect(ByteSource file, String declaredType, boolean keepMetadata, Path scratchDir)
            throws MediaException, IOException {
        byte[] head;
        try (InputStream in = file.open()) {
            head = in.readNBytes(Sniffer.HEAD);
        }
        String sniffed = Sniffer.sniff(head, head.length);
        if (sniffed == null) {
            return new Inspection(Sniffer.declared(declaredType), false, 0, 0, new byte[0], null);
        }
        if (!Sniffer.decodable(sniffed)) {
            if (sniffed.startsWith("image/") && !keepMetadata) {
                throw new MediaException("this server cannot remove the location and camera data from "
                        + describe(sniffed) + " pictures; send it as JPEG or PNG, or send it with its metadata kept");
            }
            return new Inspection(sniffed, false, 0, 0, new byte[0], null);
        }
        if (sniffed.equals("image/bmp")) {
            checkBmp(head, file.size());
        }
        try (InputStream raw = file.open(); ImageInputStream iis = new MemoryCacheImageInputStream(raw)) {
            checkHeader(iis, sniffed, head); // a bomb is refused before anything else is read or written
        }
        Path copy = keepMetadata ? null : Files.createTempFile(scratchDir, "shared-", suffix(sniffed));
        boolean handedOver = false;
        try {
            Cleaned cleaned = walk(file, sniffed, copy);
            Decoded d;
            // FileCacheImageInputStream does not close its source; the outer resource does.
            try (InputStream raw = file.open();
                    ImageInputStream iis = new FileCacheImageInputStream(raw, scratchDir.toFile())) {
                d = decode(iis, sniffed);
            }
            byte[] thumb = Thumbnails.make(d.image(), cleaned.orientation(), THUMBNAIL_EDGE);
            boolean swap = Thumbnails.swapsEdges(cleaned.orientation());
            Path rewritten = copy != null && cleaned.removed() ? copy : null;
            handedOver = rewritten != null;
            return new Inspection(sniffed, true, swap ? d.height() : d.width(), swap ? d.width() : d.height(), thumb,
                    rewritten);
        } finally {
            if (copy != null && !handedOver) {
                Files.deleteIfExists(copy); // refused, or nothing was removed: the original is shared
            }
        }
    }

    @Override
    public byte[] posterThumbnail(byte[] poster) throws MediaException {
        String type = Sniffer.sniff(poster, Math.min(poster.length, Sniffer.HEAD));
        if (type == null || !Sniffer.decodable(type)) {
            throw new MediaException("the video's poster frame is not a JPEG, PNG, GIF, WebP or BMP picture");
        }
        try {
            if (type.equals("image/bmp")) {
                checkBmp(poster, poster.length);
            }
            ByteSource source = new ByteSource() {
                @Override
                public InputStream open() {
                    return new ByteArrayInputStream(poster);
                }

                @Override
                public long size() {
                    return poster.length;
                }
            };
            try (ImageInputStream iis = new MemoryCacheImageInputStream(new ByteArrayInputStream(poster))) {
                checkHeader(iis, type, poster);
            }
            Cleaned cleaned = walk(source, type, null);
            Decoded d;
            try (ImageInputStream iis = new MemoryCacheImageInputStream(new ByteArrayInputStream(poster))) {
                d = decode(iis, type);
            }
            return Thumbnails.make(d.image(), cleaned.orientation(), THUMBNAIL_EDGE);
        } catch (IOException e) {
            throw new MediaException("the video's poster frame is damaged", e); // memory only: the bytes are bad
        }
    }

    /**
     * Walks the container (JPEG, PNG, WebP, GIF; BMP carries no metadata the server removes), writing the
     * cleaned copy to {@code copy} unless null. A file that ends early is incomplete.
     */
    private Cleaned walk(ByteSource file, String type, Path copy) throws IOException, MediaException {
        if (type.equals("image/bmp")) {
            return new Cleaned(1, false);
        }
        try (InputStream raw = file.open();
                OutputStream out = copy == null ? null
                        : new BufferedOutputStream(Files.newOutputStream(copy), 64 * 1024)) {
            ByteInput in = new ByteInput(raw);
            Cleaned cleaned;
            WebpCleaner.Result webp = null;
            switch (type) {
                case "image/jpeg" -> cleaned = JpegCleaner.clean(in, out, maxJpegScans);
                case "image/png" -> cleaned = PngCleaner.clean(in, file.size(), out);
                case "image/gif" -> cleaned = GifCleaner.clean(in, out, this::checkSize, maxAnimationPixels);
                default -> {
                    webp = WebpCleaner.clean(in, file.size(), out);
                    cleaned = webp.cleaned();
                }
            }
            if (out != null) {
                out.close();
                if (webp != null) {
                    WebpCleaner.fixHeader(copy, webp);
                }
            }
            return cleaned;
        } catch (EOFException e) {
            throw new MediaException("the picture is incomplete (the file ends before the picture does)", e);
        }
    }

    private record Decoded(BufferedImage image, int width, int height) {
    }

    /** Checks the dimensions the header declares, reading nothing past it. */
    private void checkHeader(ImageInputStream iis, String type, byte[] head) throws MediaException {
        if (type.equals("image/gif") && head.length >= 10) {
            // The logical screen, which the animation fills, is checked as well as the first frame.
            checkSize((head[6] & 0xFF) | (head[7] & 0xFF) << 8, (head[8] & 0xFF) | (head[9] & 0xFF) << 8);
        }
        ImageReader reader = ImageIO.getImageReadersByMIMEType(type).next();
        try {
            reader.setInput(iis, true, true);
            checkSize(reader.getWidth(0), reader.getHeight(0));
        } catch (IOException | RuntimeException e) {
            throw new MediaException("the picture is damaged and cannot be read", e);
        } finally {
            reader.dispose();
        }
    }

    /** Decodes the first frame subsampled (its dimensions checked again). Every decoder failure is refused. */
    private Decoded decode(ImageInputStream iis, String type) throws MediaException, IOException {
        ImageReader reader = ImageIO.getImageReadersByMIMEType(type).next();
        try {
            decodes.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to decode a picture");
        }
        try {
            reader.setInput(new DeadlineInputStream(iis, decodeTimeoutMillis), true, true);
            int w = reader.getWidth(0);
            int h = reader.getHeight(0);
            checkSize(w, h);
            int s = Math.max(1, Math.max(w, h) / (OVERSAMPLE * THUMBNAIL_EDGE));
            ImageReadParam param = reader.getDefaultReadParam();
            param.setSourceSubsampling(s, s, 0, 0);
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener((r, warning) -> warnings.add(warning));
            BufferedImage image = reader.read(0, param);
            for (String warning : warnings) {
                if (fatal(warning)) {
                    throw new MediaException("the picture is damaged (" + warning + ")");
                }
            }
            if (image == null || image.getWidth() < 1 || image.getHeight() < 1) {
                throw new MediaException("the picture is damaged (it decodes to nothing)");
            }
            return new Decoded(image, w, h);
        } catch (IOException | RuntimeException e) {
            if (expired(e)) {
                throw new MediaException("the picture takes too much work to decode (more than "
                        + describeMillis(decodeTimeoutMillis) + ")", e);
            }
            // Decoders report hostile input with anything from IIOException to IndexOutOfBoundsException.
            throw new MediaException("the picture is damaged and cannot be read", e);
        } finally {
            decodes.release();
            reader.dispose();
        }
    }

    /** Whether a decoder failed because {@link DeadlineInputStream} stopped it (it may wrap the exception). */
    private static boolean expired(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (DeadlineInputStream.EXPIRED.equals(t.getMessage())) {
                return true;
            }
        }
        return false;
    }

    private static String describeMillis(long millis) {
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    /**
     * libjpeg's warnings for cut or corrupt scan data (it fills the rest with grey) refuse the picture; stray
     * bytes between segments, and warnings about metadata (a damaged ICC profile is ignored), do not.
     */
    private static boolean fatal(String warning) {
        String w = warning.toLowerCase(Locale.ROOT);
        return w.contains("premature end") || w.contains("corrupt jpeg data") && !w.contains("extraneous");
    }

    private void checkSize(int w, int h) throws MediaException {
        if (w < 1 || h < 1) {
            throw new MediaException("the picture is damaged (its header says " + w + " x " + h + " pixels)");
        }
        if ((long) w * h > maxPixels) {
            throw new MediaException("the picture is " + w + " x " + h + " pixels; this server decodes up to "
                    + describePixels(maxPixels));
        }
        if (w > MAX_EDGE || h > MAX_EDGE) {
            throw new MediaException("the picture is " + w + " x " + h + " pixels; this server decodes up to "
                    + MAX_EDGE + " pixels on a side");
        }
    }

    private static String describePixels(long pixels) {
        return pixels % 1_000_000 == 0 ? pixels / 1_000_000 + " megapixels"
                : String.format(Locale.ROOT, "%,d pixels", pixels);
    }

    /**
     * BMP headers are checked before the JDK's reader sees them: it allocates the declared image size at once and
     * hands embedded JPEG or PNG data to another reader, past these checks.
     */
    private static void checkBmp(byte[] head, long size) throws MediaException {
        int dib = Sniffer.le32(head, 14); // the sniffer saw at least 18 bytes and a known header size
        if (head.length < 14 + Math.min(dib, 40)) {
            throw new MediaException("the picture is damaged (a BMP header cut short)");
        }
        long offset = Sniffer.le32(head, 10) & 0xFFFFFFFFL;
        if (offset > size) {
            throw new MediaException("the picture is damaged (its BMP pixel data starts past the end)");
        }
        if (dib >= 40) {
            int compression = Sniffer.le32(head, 30);
            long imageSize = Sniffer.le32(head, 34) & 0xFFFFFFFFL;
            if (compression == 4 || compression == 5) {
                throw new MediaException("BMP pictures with embedded JPEG or PNG data are not supported; send the "
                        + "picture as JPEG or PNG");
            }
            if (imageSize > size) {
                throw new MediaException("the picture is damaged or incomplete (its BMP header declares more data "
                        + "than the file has)");
            }
        }
    }

    private static String describe(String type) {
        return switch (type) {
            case "image/heic", "image/heif" -> "HEIC/HEIF";
            case "image/avif" -> "AVIF";
            case "image/tiff" -> "TIFF (and camera raw)";
            case "image/x-canon-cr3" -> "camera raw (CR3)";
            default -> type;
        };
    }

    private static String suffix(String type) {
        return "." + type.substring(type.indexOf('/') + 1);
    }
}
