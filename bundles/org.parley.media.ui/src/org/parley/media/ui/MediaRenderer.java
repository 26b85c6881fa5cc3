package org.parley.media.ui;

import java.io.ByteArrayInputStream;
import java.util.HashMap;
import java.util.Map;

import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.ui.basic.MWindow;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.eclipse.swt.SWT;
import org.eclipse.swt.SWTException;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.custom.StackLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.parley.chat.ui.ChatContext;
import org.parley.chat.ui.MessageRenderer;
import org.parley.chat.ui.MessageRow;
import org.parley.filetransfer.ui.Caption;
import org.parley.filetransfer.ui.Downloads;
import org.parley.filetransfer.ui.Sizes;
import org.parley.filetransfer.ui.TransferJob;
import org.parley.filetransfer.ui.TransferList;
import org.parley.media.core.MediaKind;
import org.parley.protocol.message.Chat;

/**
 * Pictures, videos and audio inline in the chat: the server's thumbnail (or the video's poster) with a play
 * button and the duration on videos; a click downloads the file into the cache (progress on the thumbnail) and
 * opens it in the viewer. Nothing is downloaded until the user asks: thumbnails travel inside the message.
 */
public class MediaRenderer implements MessageRenderer {

    private static final int MAX_W = 320;
    private static final int MAX_H = 240;
    private static final int PAD = 6;
    private static final int AUDIO_H = 48;
    private static final int AUDIO_W = 360;

    private ChatContext chat;
    private Display display;
    /** Thumbnails decoded for rows in the cache, by file id (freed in forget/dispose). */
    private final Map<String, Image> thumbnails = new HashMap<>();
    private final Map<String, MessageRow> rows = new HashMap<>();
    private final Runnable progress = this::progressChanged;

    @Override
    public void init(ChatContext context) {
        chat = context;
        display = Display.getCurrent(); // init runs on the display thread, before the chat has its widgets
        TransferList.addListener(progress);
    }

    @Override
    public boolean claims(Chat.ChatMessage m) {
        return !m.attachments().isEmpty() && MediaKind.of(m.attachments().get(0).mediaType()) != MediaKind.OTHER;
    }

    private static Chat.Attachment attachment(MessageRow row) {
        return row.message().attachments().get(0);
    }

    /** The most pixels a thumbnail may declare (the server makes them at most 320 pixels on a side). */
    private static final long THUMBNAIL_MAX_PIXELS = 1024L * 1024;

    private Image thumbnail(Chat.Attachment a) {
        if (a.thumbnail().length == 0) {
            return null;
        }
        return thumbnails.computeIfAbsent(a.fileId(), id -> {
            try {
                // A thumbnail is small, but its header may declare anything (a server that does not check).
                org.parley.media.core.PictureBounds.check(new ByteArrayInputStream(a.thumbnail()),
                        THUMBNAIL_MAX_PIXELS, THUMBNAIL_MAX_PIXELS);
                return new Image(display, new ImageData(new ByteArrayInputStream(a.thumbnail())));
            } catch (SWTException | java.io.IOException e) {
                return null; // a thumbnail SWT cannot decode, or too large: the placeholder is shown
            }
        });
    }

    /** The box the picture takes: the thumbnail scaled into MAX_W x MAX_H, else the media's proportions. */
    private Point box(Chat.Attachment a, int width) {
        if (MediaKind.of(a.mediaType()) == MediaKind.AUDIO) {
            return new Point(Math.min(width, AUDIO_W), AUDIO_H);
        }
        Image t = thumbnail(a);
        double w = t != null ? t.getBounds().width : a.width() > 0 ? a.width() : 16;
        double h = t != null ? t.getBounds().height : a.height() > 0 ? a.height() : 9;
        double s = Math.min(Math.min(MAX_W, width) / w, MAX_H / h);
        if (t != null) {
            s = Math.min(s, Math.max(1, 160 / Math.max(w, h))); // small pictures are not blown up beyond 160 px
        }
        return new Point(Math.max(24, (int) (w * s)), Math.max(24, (int) (h * s)));
    }

    private static int captionHeight(MessageRow row, int width, GC gc) {
        int h = Caption.height(gc, row.message().text(), width);
        return h == 0 ? 0 : h + PAD;
    }

    @Override
    public int measure(MessageRow row, int width, GC gc) {
        rows.put(attachment(row).fileId(), row);
        return box(attachment(row), width).y + captionHeight(row, width, gc) + gc.getFontMetrics().getHeight() + 4;
    }

    @Override
    public void paint(MessageRow row, GC gc, Rectangle b) {
        Chat.Attachment a = attachment(row);
        MediaKind kind = MediaKind.of(a.mediaType());
        Point size = box(a, b.width);
        int x = b.x;
        int y = b.y;
        Image t = thumbnail(a);
        if (kind == MediaKind.AUDIO) {
            // the inline player (a control) covers this box; behind it, the colour it shows while it loads
            gc.setBackground(display.getSystemColor(SWT.COLOR_WIDGET_BACKGROUND));
            gc.fillRoundRectangle(x, y, size.x, size.y, 10, 10);
        } else if (t != null) {
            Rectangle tb = t.getBounds();
            gc.setInterpolation(SWT.HIGH);
            gc.drawImage(t, 0, 0, tb.width, tb.height, x, y, size.x, size.y);
        } else {
            gc.setBackground(display.getSystemColor(SWT.COLOR_DARK_GRAY));
            gc.fillRectangle(x, y, size.x, size.y);
        }
        if (kind == MediaKind.VIDEO) {
            int d = Math.min(56, Math.min(size.x, size.y) / 2);
            playButton(gc, x + (size.x - d) / 2, y + (size.y - d) / 2, d);
            String dur = duration(a).strip();
            if (!dur.isEmpty()) {
                Point e = gc.textExtent(dur);
                gc.setAlpha(170);
                gc.setBackground(display.getSystemColor(SWT.COLOR_BLACK));
                gc.fillRoundRectangle(x + size.x - e.x - 10, y + size.y - e.y - 8, e.x + 6, e.y + 4, 6, 6);
                gc.setAlpha(255);
                gc.setForeground(display.getSystemColor(SWT.COLOR_WHITE));
                gc.drawText(dur, x + size.x - e.x - 7, y + size.y - e.y - 6, true);
            }
        }
        TransferJob job = Downloads.running(a.fileId());
        if (job != null && kind != MediaKind.AUDIO) { // the download under way, over the picture
            int h = 6;
            gc.setBackground(display.getSystemColor(SWT.COLOR_BLACK));
            gc.fillRectangle(x, y + size.y - h, size.x, h);
            gc.setBackground(display.getSystemColor(SWT.COLOR_LIST_SELECTION));
            gc.fillRectangle(x, y + size.y - h, (int) (size.x * job.fraction()), h);
        }
        y += size.y + 2;
        gc.setForeground(display.getSystemColor(row.isSelected() ? SWT.COLOR_LIST_SELECTION_TEXT
                : SWT.COLOR_DARK_GRAY));
        String info = kind == MediaKind.AUDIO ? a.name() + duration(a) + " \u00b7 " + Sizes.of(a.size())
                : a.name() + " \u00b7 " + Sizes.of(a.size()) + (job != null ? " \u00b7 downloading "
                        + Math.round(job.fraction() * 100) + "%" : "");
        gc.drawText(info, x, y, true);
        y += gc.getFontMetrics().getHeight() + 2;
        gc.setForeground(display.getSystemColor(row.isSelected() ? SWT.COLOR_LIST_SELECTION_TEXT
                : SWT.COLOR_LIST_FOREGROUND));
        Caption.draw(gc, row.message().text(), x, y + PAD / 2, b.width);
    }

    private void playButton(GC gc, int x, int y, int d) {
        gc.setAlpha(190);
        gc.setBackground(display.getSystemColor(SWT.COLOR_BLACK));
        gc.fillOval(x, y, d, d);
        gc.setAlpha(255);
        gc.setBackground(display.getSystemColor(SWT.COLOR_WHITE));
        int r = d / 4;
        int cx = x + d / 2 + r / 4;
        int cy = y + d / 2;
        gc.fillPolygon(new int[] {cx - r, cy - r, cx - r, cy + r, cx + r, cy});
    }

    private static String duration(Chat.Attachment a) {
        if (a.durationMillis() <= 0) {
            return "";
        }
        long s = Math.round(a.durationMillis() / 1000.0);
        return String.format("  %d:%02d", s / 60, s % 60);
    }

    @Override
    public boolean isClickable(MessageRow row, int x, int y) {
        if (MediaKind.of(attachment(row).mediaType()) == MediaKind.AUDIO) {
            return false; // the inline player takes its own clicks
        }
        Point p = box(attachment(row), Integer.MAX_VALUE / 4);
        return x >= 0 && y >= 0 && x < p.x && y < p.y;
    }

    @Override
    public boolean click(MessageRow row, int x, int y) {
        if (!isClickable(row, x, y)) {
            return false;
        }
        return activate(row);
    }

    @Override
    public Control createControl(Composite parent, MessageRow row) {
        Chat.Attachment a = attachment(row);
        return MediaKind.of(a.mediaType()) == MediaKind.AUDIO ? new AudioRow(parent, a).box : null;
    }

    @Override
    public Rectangle controlBounds(MessageRow row, Control control, int width, int height) {
        return new Rectangle(0, 0, Math.min(width, AUDIO_W), AUDIO_H);
    }

    /**
     * Audio plays inline: a Play button that downloads the file into the cache, then the player's own controls
     * (play, pause, seek, volume) in the row. Scrolling the row out of view stops it.
     */
    private final class AudioRow {
        final Composite box;
        final StackLayout stack = new StackLayout();
        final Button play;
        final Chat.Attachment a;
        PlayerView player;

        AudioRow(Composite parent, Chat.Attachment a) {
            this.a = a;
            box = new Composite(parent, SWT.NONE);
            box.setLayout(stack);
            play = new Button(box, SWT.PUSH);
            play.setText("\u25b6 Play " + a.name() + duration(a));
            play.setToolTipText("Download and play " + a.name() + " here");
            play.addListener(SWT.Selection, e -> {
                play.setEnabled(false);
                play.setText("Downloading " + a.name() + "\u2026");
                Downloads.cached(display, chat.client(), chat.conversationId(), a,
                        path -> show(path, org.parley.media.ui.internal.MediaPreferences.autoplay()));
            });
            stack.topControl = play;
            AUDIO_ROWS.put(a.fileId(), this);
            box.addListener(SWT.Dispose, e -> AUDIO_ROWS.remove(a.fileId(), this));
            java.nio.file.Path cached = Downloads.cachePath(a);
            if (Downloads.isComplete(cached, a)) {
                show(cached, false);
            }
        }

        void show(java.nio.file.Path path, boolean autoplay) {
            if (box.isDisposed()) {
                return;
            }
            try {
                player = new PlayerView(box, path, a.mediaType(), autoplay);
                stack.topControl = player.control();
            } catch (java.io.IOException | org.eclipse.swt.SWTError e) {
                play.setText("Cannot play here (" + e.getMessage() + "): open it from the Transfers view");
            }
            box.layout();
        }
    }

    /** The inline audio players in view, by file id. */
    private static final Map<String, AudioRow> AUDIO_ROWS = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Where the inline player of an audio file is, in seconds; -1 when it is not in view or not loaded (for tests
     * and accessibility tools).
     */
    public static double audioPlaybackSeconds(String fileId) {
        AudioRow r = AUDIO_ROWS.get(fileId);
        return r == null || r.player == null ? -1 : r.player.currentTime();
    }

    /** Presses the inline Play of an audio file, or plays its loaded player (muted or not); false when not in view. */
    public static boolean playAudio(String fileId, boolean muted) {
        AudioRow r = AUDIO_ROWS.get(fileId);
        if (r == null) {
            return false;
        }
        if (r.player != null) {
            r.player.play(muted);
        } else if (r.play.isEnabled()) {
            r.play.notifyListeners(SWT.Selection, new org.eclipse.swt.widgets.Event());
        }
        return true;
    }

    @Override
    public boolean activate(MessageRow row) {
        Chat.Attachment a = attachment(row);
        if (MediaKind.of(a.mediaType()) == MediaKind.AUDIO) {
            return playAudio(a.fileId(), false);
        }
        Downloads.cached(display, chat.client(), chat.conversationId(), a, path -> open(a, path));
        row.refresh();
        return true;
    }

    private void open(Chat.Attachment a, java.nio.file.Path path) {
        if (chat.shell().isDisposed()) {
            return;
        }
        // The workbench window's context (E4 keeps the window's model element on its shell).
        Object element = chat.shell().getData("modelElement");
        if (element instanceof MWindow window) {
            IEclipseContext ctx = window.getContext();
            MediaViewer.open(ctx.get(EPartService.class), ctx.get(EModelService.class), ctx.get(MApplication.class),
                    path, a.mediaType(), a.name());
        } else {
            org.parley.ui.Desktop.openFile(chat.shell(), path);
        }
    }

    @Override
    public String toolTipText(MessageRow row, int x, int y) {
        Chat.Attachment a = attachment(row);
        String what = switch (MediaKind.of(a.mediaType())) {
            case VIDEO -> "Play";
            case AUDIO -> "Play";
            default -> "Open";
        };
        return what + " " + a.name() + " (" + Sizes.of(a.size())
                + (a.width() > 0 ? ", " + a.width() + " \u00d7 " + a.height() : "") + ")";
    }

    private void progressChanged() {
        if (!display.isDisposed()) {
            display.asyncExec(() -> {
                for (Map.Entry<String, MessageRow> e : Map.copyOf(rows).entrySet()) {
                    if (Downloads.running(e.getKey()) != null || thumbnails.containsKey(e.getKey())) {
                        e.getValue().refresh();
                    }
                }
            });
        }
    }

    @Override
    public void forget(Chat.ChatMessage message) {
        for (Chat.Attachment a : message.attachments()) {
            Image t = thumbnails.remove(a.fileId());
            if (t != null) {
                t.dispose();
            }
            rows.remove(a.fileId());
        }
    }

    @Override
    public void dispose() {
        TransferList.removeListener(progress);
        thumbnails.values().forEach(i -> {
            if (i != null) {
                i.dispose();
            }
        });
        thumbnails.clear();
    }
}
