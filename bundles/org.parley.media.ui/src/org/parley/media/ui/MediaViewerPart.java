package org.parley.media.ui;

import java.io.IOException;
import java.nio.file.Path;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;

import org.eclipse.e4.ui.di.Focus;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.SWTError;
import org.eclipse.swt.SWTException;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.parley.media.core.MediaKind;

/**
 * A picture, video or audio file inside Parley. Pictures: Fit (F), Zoom in (+), Zoom out (-), Actual size (1).
 * Videos and audio: the player's own controls (play, pause, seek, volume). Always: open with the system's
 * application.
 */
public class MediaViewerPart {

    @Inject
    MPart part;

    private PictureView picture;
    private PlayerView player;
    private Control focus;

    @PostConstruct
    void create(Composite parent) {
        Path file = Path.of(part.getPersistedState().get(MediaViewer.PATH));
        String type = part.getPersistedState().getOrDefault(MediaViewer.TYPE, "");
        GridLayoutFactory.fillDefaults().spacing(0, 0).applyTo(parent);
        Composite bar = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().margins(6, 4).numColumns(6).applyTo(bar);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(bar);
        Composite content = new Composite(parent, SWT.NONE);
        content.setLayout(new org.eclipse.swt.layout.FillLayout());
        GridDataFactory.fillDefaults().grab(true, true).applyTo(content);

        String problem = null;
        MediaKind kind = MediaKind.of(type);
        if (kind == MediaKind.PICTURE) {
            try {
                picture = new PictureView(content, file);
                focus = picture.control();
            } catch (org.parley.media.core.PictureBounds.TooLarge e) {
                problem = "Parley does not show this picture: " + e.getMessage() + ".";
                kind = MediaKind.OTHER; // nor hands it to the browser engine
            } catch (IOException | SWTException e) {
                // a format SWT does not decode (WebP ...): the browser engine may
                kind = MediaKind.VIDEO;
            }
        }
        if (picture == null && kind != MediaKind.OTHER) {
            try {
                player = new PlayerView(content, file, type,
                        org.parley.media.ui.internal.MediaPreferences.autoplay());
                focus = player.control();
            } catch (IOException | SWTError e) {
                problem = "Parley cannot show this file here: " + e.getMessage()
                        + ". On Linux, the viewer needs the packages libwebkit2gtk-4.1-0 and the GStreamer plug-ins.";
            }
        }
        if (picture == null && player == null) {
            Label l = new Label(content, SWT.WRAP | SWT.CENTER);
            l.setText(problem != null ? problem : "This file is not a picture, video or audio file.");
        }

        if (picture != null) {
            button(bar, "&Fit", "Fit the picture to the view (F)", picture::fit);
            button(bar, "Zoom &out", "Zoom out (-)", picture::zoomOut);
            button(bar, "Zoom &in", "Zoom in (+)", picture::zoomIn);
            button(bar, "&Actual size", "Show the picture's real pixels (1)", picture::actualSize);
            Label zoom = new Label(bar, SWT.NONE);
            zoom.setData("parley.zoom", Boolean.TRUE);
            GridDataFactory.fillDefaults().grab(true, false).align(SWT.BEGINNING, SWT.CENTER).hint(240, SWT.DEFAULT)
                    .applyTo(zoom);
            Runnable showZoom = () -> zoom.setText(describe(picture));
            picture.onZoomChanged(showZoom);
            picture.control().addListener(SWT.Resize, e -> showZoom.run());
            picture.control().addListener(SWT.KeyDown, e -> {
                switch (e.character) {
                    case 'f', 'F' -> picture.fit();
                    case '+', '=' -> picture.zoomIn();
                    case '-' -> picture.zoomOut();
                    case '1' -> picture.actualSize();
                    default -> {
                    }
                }
            });
            showZoom.run();
        } else {
            Label name = new Label(bar, SWT.NONE);
            name.setText(file.getFileName().toString());
            GridDataFactory.fillDefaults().grab(true, false).span(5, 1).applyTo(name);
        }
        Button system = button(bar, "Open &with system app", "Open with the application the system uses for it",
                () -> org.parley.ui.Desktop.openFile(bar.getShell(), file));
        GridDataFactory.swtDefaults().align(SWT.END, SWT.CENTER).applyTo(system);
    }

    private static String describe(PictureView p) {
        var b = p.pictureBounds();
        return b.width + " \u00d7 " + b.height + "   " + Math.round(p.scale() * 100) + "%"
                + (p.fitted() ? " (fitted)" : "");
    }

    private static Button button(Composite bar, String label, String tip, Runnable action) {
        Button b = new Button(bar, SWT.PUSH);
        b.setText(label);
        b.setToolTipText(tip);
        b.addListener(SWT.Selection, e -> action.run());
        return b;
    }

    @Focus
    void focus() {
        if (focus != null && !focus.isDisposed()) {
            focus.setFocus();
        }
    }

    /** The picture's size as shown (orientation applied), or null when this viewer plays a video or audio. */
    public org.eclipse.swt.graphics.Rectangle pictureBounds() {
        return picture == null ? null : picture.pictureBounds();
    }

    /** Frames of the picture (more than one for an animated GIF); 0 for a video. */
    public int frameCount() {
        return picture == null ? 0 : picture.frameCount();
    }

    /** Where playback is, in seconds; -1 when this viewer shows a picture or the player is not ready. */
    public double playbackSeconds() {
        return player == null ? -1 : player.currentTime();
    }

    /** Starts playback, muted or not (as the player's own controls do). */
    public void play(boolean muted) {
        if (player != null) {
            player.play(muted);
        }
    }
}
