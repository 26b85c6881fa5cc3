package org.parley.media.ui;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.swt.SWT;
import org.eclipse.swt.SWTException;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.parley.media.core.PictureBounds;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.ScrollBar;
import org.parley.media.core.Orientation;

/**
 * A picture on a canvas: fitted to the view (never enlarged), or zoomed (scroll bars when larger than the view),
 * or at actual size; EXIF orientation applied; the frames of an animated GIF played with their delays.
 */
final class PictureView {

    /** Zoom 0 means "fit". */
    static final double FIT = 0;
    private static final double[] STEPS = {0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4, 6, 8};

    private final Canvas canvas;
    private final Image[] frames;
    private final int[] delays;
    private int frame;
    private double zoom = FIT;
    private Runnable zoomChanged = () -> {
    };

    /**
     * Loads the picture; throws {@link PictureBounds.TooLarge} when its headers declare more than the viewer
     * decodes, SWTException or IOException when it cannot be decoded.
     */
    PictureView(Composite parent, Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            PictureBounds.check(in); // before decoding: a small file may declare gigabytes of frames
        }
        ImageLoader loader = new ImageLoader();
        ImageData[] data;
        try (InputStream in = Files.newInputStream(file)) {
            data = loader.load(in);
        }
        int orientation;
        try (InputStream in = Files.newInputStream(file)) {
            orientation = Orientation.ofJpeg(in);
        }
        canvas = new Canvas(parent, SWT.DOUBLE_BUFFERED | SWT.H_SCROLL | SWT.V_SCROLL | SWT.NO_BACKGROUND);
        frames = new Image[data.length];
        delays = new int[data.length];
        for (int i = 0; i < data.length; i++) {
            frames[i] = new Image(canvas.getDisplay(), Orient.apply(composite(data, i, loader), orientation));
            delays[i] = Math.max(20, data[i].delayTime * 10); // GIF delays are in 1/100 s; 0 means "as fast": slow it
        }
        canvas.addListener(SWT.Paint, e -> paint(e.gc));
        canvas.addListener(SWT.Resize, e -> updateScrollBars());
        canvas.getHorizontalBar().addListener(SWT.Selection, e -> canvas.redraw());
        canvas.getVerticalBar().addListener(SWT.Selection, e -> canvas.redraw());
        canvas.addListener(SWT.Dispose, e -> {
            for (Image im : frames) {
                im.dispose();
            }
        });
        if (frames.length > 1) {
            animate();
        }
        updateScrollBars();
    }

    /**
     * GIF frames may be partial: each is drawn over the previous according to its disposal method. Single-frame
     * pictures are returned as they are.
     */
    private static ImageData composite(ImageData[] data, int index, ImageLoader loader) {
        if (data.length == 1) {
            return data[0];
        }
        int w = Math.max(1, loader.logicalScreenWidth > 0 ? loader.logicalScreenWidth : data[0].width);
        int h = Math.max(1, loader.logicalScreenHeight > 0 ? loader.logicalScreenHeight : data[0].height);
        org.eclipse.swt.graphics.PaletteData palette = new org.eclipse.swt.graphics.PaletteData(0xFF0000, 0xFF00,
                0xFF);
        ImageData canvas = new ImageData(w, h, 24, palette);
        byte[] alpha = new byte[w * h];
        for (int f = 0; f <= index; f++) {
            ImageData d = data[f];
            boolean last = f == index;
            if (!last && d.disposalMethod == SWT.DM_FILL_BACKGROUND) {
                continue; // cleared before the next frame
            }
            for (int y = 0; y < d.height && y + d.y < h; y++) {
                for (int x = 0; x < d.width && x + d.x < w; x++) {
                    int pixel = d.getPixel(x, y);
                    if (d.transparentPixel != -1 && pixel == d.transparentPixel) {
                        continue;
                    }
                    org.eclipse.swt.graphics.RGB rgb = d.palette.getRGB(pixel);
                    canvas.setPixel(x + d.x, y + d.y, palette.getPixel(rgb));
                    alpha[(y + d.y) * w + x + d.x] = (byte) 255;
                }
            }
        }
        canvas.alphaData = alpha;
        return canvas;
    }

    private void animate() {
        canvas.getDisplay().timerExec(delays[frame], () -> {
            if (canvas.isDisposed()) {
                return;
            }
            frame = (frame + 1) % frames.length;
            canvas.redraw();
            animate();
        });
    }

    Canvas control() {
        return canvas;
    }

    int frameCount() {
        return frames.length;
    }

    /** The frame shown now (changes over time for an animated GIF). */
    int currentFrame() {
        return frame;
    }

    Rectangle pictureBounds() {
        return frames[0].getBounds();
    }

    void onZoomChanged(Runnable r) {
        zoomChanged = r;
    }

    /** The scale the picture is drawn at now. */
    double scale() {
        if (zoom != FIT) {
            return zoom;
        }
        Rectangle area = canvas.getClientArea();
        Rectangle p = pictureBounds();
        if (area.width <= 0 || area.height <= 0) {
            return 1;
        }
        return Math.min(1, Math.min((double) area.width / p.width, (double) area.height / p.height));
    }

    boolean fitted() {
        return zoom == FIT;
    }

    void fit() {
        setZoom(FIT);
    }

    void actualSize() {
        setZoom(1);
    }

    void zoomIn() {
        double s = scale();
        for (double step : STEPS) {
            if (step > s + 1e-6) {
                setZoom(step);
                return;
            }
        }
    }

    void zoomOut() {
        double s = scale();
        for (int i = STEPS.length - 1; i >= 0; i--) {
            if (STEPS[i] < s - 1e-6) {
                setZoom(STEPS[i]);
                return;
            }
        }
    }

    private void setZoom(double z) {
        zoom = z;
        updateScrollBars();
        canvas.redraw();
        zoomChanged.run();
    }

    private Point scaledSize() {
        Rectangle p = pictureBounds();
        double s = scale();
        return new Point(Math.max(1, (int) Math.round(p.width * s)), Math.max(1, (int) Math.round(p.height * s)));
    }

    private void updateScrollBars() {
        Rectangle area = canvas.getClientArea();
        Point size = scaledSize();
        configure(canvas.getHorizontalBar(), size.x, area.width);
        configure(canvas.getVerticalBar(), size.y, area.height);
    }

    private static void configure(ScrollBar bar, int content, int view) {
        boolean needed = content > view && view > 0;
        bar.setVisible(needed);
        if (needed) {
            bar.setValues(Math.min(bar.getSelection(), content - view), 0, content, view, Math.max(1, view / 10),
                    view);
        } else {
            bar.setSelection(0);
        }
    }

    private void paint(GC gc) {
        Rectangle area = canvas.getClientArea();
        gc.setBackground(canvas.getDisplay().getSystemColor(SWT.COLOR_WIDGET_DARK_SHADOW));
        gc.fillRectangle(area);
        Image image = frames[frame];
        Rectangle p = image.getBounds();
        Point size = scaledSize();
        int x = size.x < area.width ? (area.width - size.x) / 2 : -canvas.getHorizontalBar().getSelection();
        int y = size.y < area.height ? (area.height - size.y) / 2 : -canvas.getVerticalBar().getSelection();
        gc.setInterpolation(SWT.HIGH);
        try {
            gc.drawImage(image, 0, 0, p.width, p.height, x, y, size.x, size.y);
        } catch (SWTException e) {
            // a picture too large to scale on this display: leave the background
        }
    }
}
