package org.parley.server.media;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Thumbnails from a decoded (already subsampled) picture: scaled down in halving steps with bilinear filtering
 * (one big bilinear step would skip pixels and alias), the EXIF orientation applied, then encoded as JPEG, or PNG
 * when some pixel is transparent, as small as {@link #TARGET_BYTES} allows: lower JPEG quality first, then a
 * smaller edge.
 */
final class Thumbnails {

    static final int TARGET_BYTES = 30 * 1024;
    private static final float[] QUALITIES = {0.82f, 0.7f, 0.55f, 0.4f};
    private static final int MIN_EDGE = 64;

    private Thumbnails() {
    }

    static byte[] make(BufferedImage decoded, int orientation, int maxEdge) {
        boolean alpha = hasTransparentPixel(decoded);
        BufferedImage base = copy(decoded, alpha);
        for (int edge = maxEdge; ; edge = edge * 3 / 4) {
            BufferedImage thumb = orient(scale(base, edge, alpha), orientation, alpha);
            byte[] best = null;
            if (alpha) {
                best = encode(thumb, "png", 0);
            } else {
                for (float q : QUALITIES) {
                    best = encode(thumb, "jpeg", q);
                    if (best.length <= TARGET_BYTES) {
                        break;
                    }
                }
            }
            if (best.length <= TARGET_BYTES || edge * 3 / 4 < MIN_EDGE) {
                return best;
            }
        }
    }

    /** The edges after applying an orientation: 5 to 8 swap width and height. */
    static boolean swapsEdges(int orientation) {
        return orientation >= 5 && orientation <= 8;
    }

    private static boolean hasTransparentPixel(BufferedImage img) {
        if (!img.getColorModel().hasAlpha()) {
            return false;
        }
        int w = img.getWidth();
        int[] row = new int[w];
        for (int y = 0; y < img.getHeight(); y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int p : row) {
                if (p >>> 24 != 0xFF) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The picture as 8-bit (A)RGB, whatever it was decoded as (grey, 16-bit, palette, CMYK converted...). */
    private static BufferedImage copy(BufferedImage src, boolean alpha) {
        BufferedImage dst = new BufferedImage(src.getWidth(), src.getHeight(),
                alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = dst.createGraphics();
        try {
            if (!alpha) {
                g.setColor(Color.WHITE);
                g.fillRect(0, 0, src.getWidth(), src.getHeight());
            }
            g.drawImage(src, 0, 0, null);
        } finally {
            g.dispose();
        }
        return dst;
    }

    private static BufferedImage scale(BufferedImage src, int maxEdge, boolean alpha) {
        int w = src.getWidth();
        int h = src.getHeight();
        double f = Math.min(1.0, (double) maxEdge / Math.max(w, h));
        int tw = Math.max(1, (int) Math.round(w * f));
        int th = Math.max(1, (int) Math.round(h * f));
        BufferedImage cur = src;
        while (w != tw || h != th) {
            w = Math.max(tw, w / 2);
            h = Math.max(th, h / 2);
            cur = draw(cur, w, h, alpha, null);
        }
        return cur;
    }

    private static BufferedImage orient(BufferedImage img, int orientation, boolean alpha) {
        int w = img.getWidth();
        int h = img.getHeight();
        AffineTransform t = switch (orientation) {
            case 2 -> new AffineTransform(-1, 0, 0, 1, w, 0); // mirror
            case 3 -> new AffineTransform(-1, 0, 0, -1, w, h); // 180
            case 4 -> new AffineTransform(1, 0, 0, -1, 0, h); // flip
            case 5 -> new AffineTransform(0, 1, 1, 0, 0, 0); // transpose
            case 6 -> new AffineTransform(0, 1, -1, 0, h, 0); // 90 clockwise
            case 7 -> new AffineTransform(0, -1, -1, 0, h, w); // transverse
            case 8 -> new AffineTransform(0, -1, 1, 0, 0, w); // 90 counter-clockwise
            default -> null;
        };
        if (t == null) {
            return img;
        }
        return swapsEdges(orientation) ? draw(img, h, w, alpha, t) : draw(img, w, h, alpha, t);
    }

    /** Draws {@code src} into a new w x h picture, scaled to fit, or through {@code transform} when given. */
    private static BufferedImage draw(BufferedImage src, int w, int h, boolean alpha, AffineTransform transform) {
        BufferedImage dst = new BufferedImage(w, h, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = dst.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            if (transform != null) {
                g.drawImage(src, transform, null);
            } else {
                g.drawImage(src, 0, 0, w, h, null);
            }
        } finally {
            g.dispose();
        }
        return dst;
    }

    private static byte[] encode(BufferedImage img, String format, float quality) {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
        if (!writers.hasNext()) {
            throw new IllegalStateException("no ImageIO writer for " + format);
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (quality > 0) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(quality);
            }
            writer.write(null, new IIOImage(img, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("writing a thumbnail to memory", e); // cannot happen: memory only
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
