package org.parley.filetransfer.ui;

import java.nio.file.Path;

import java.util.Locale;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StackLayout;
import org.eclipse.swt.graphics.Font;
import org.eclipse.swt.graphics.FontData;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.ProgressBar;
import org.parley.chat.ui.ChatContext;
import org.parley.chat.ui.MessageRenderer;
import org.parley.chat.ui.MessageRow;
import org.parley.protocol.message.Chat;

/**
 * A file message in the chat: the caption, then a card with the file's type, name and size, and Open and
 * Save as… buttons (a progress bar with Cancel while it downloads); on a card too narrow for the name beside them
 * (a narrow chat window), the buttons go under the name, which keeps the card's width (cut with an ellipsis). Contributed to
 * {@code org.parley.chat.ui.messageRenderers} for FILE messages, and for MEDIA messages when no media viewer is
 * installed (the media plug-in's renderer has a higher priority).
 */
public class AttachmentRenderer implements MessageRenderer {

    private static final int PAD = 8;
    private static final int ICON = 36;
    private static final int CARD_WIDTH = 520;
    /** Room on the card kept for the buttons (or the progress bar and Cancel). */
    private static final int CONTROL_ROOM = 230;
    /** What "Show in folder" adds to the buttons once the file was saved. */
    private static final int SHOW_IN_FOLDER_ROOM = 130;
    /** The least width the file's name gets beside the buttons; narrower, the buttons go under it. */
    private static final int MIN_NAME = 120;
    /** On a card's buttons under the name (a narrow card): the width they wrap within; absent beside the name. */
    private static final String STACKED = "org.parley.filetransfer.stacked";
    /** The buttons' size for each width they were laid out in ({@link #buttonsSize}). */
    private final java.util.Map<Integer, Point> buttonsSizes = new java.util.HashMap<>();

    private ChatContext chat;
    private Display display;
    private Font bold;
    private final Runnable progress = this::progressChanged;

    @Override
    public void init(ChatContext context) {
        this.chat = context;
        this.display = Display.getCurrent(); // init runs on the display thread, before the chat has its widgets
        TransferList.addListener(progress);
    }

    @Override
    public boolean claims(Chat.ChatMessage message) {
        return !message.attachments().isEmpty();
    }

    private Chat.Attachment attachment(MessageRow row) {
        return row.message().attachments().get(0);
    }

    private static int captionHeight(MessageRow row, int width, GC gc) {
        int h = Caption.height(gc, row.message().text(), width);
        return h == 0 ? 0 : h + PAD / 2;
    }

    @Override
    public int measure(MessageRow row, int width, GC gc) {
        return captionHeight(row, width, gc) + cardHeight(width);
    }

    /** Room for the buttons beside the name: more once "Show in folder" is there. */
    private static int controlRoom(Chat.Attachment a) {
        return CONTROL_ROOM + (Downloads.savedTo(a) != null ? SHOW_IN_FOLDER_ROOM : 0);
    }

    /**
     * Whether the card is too narrow for the name and the buttons side by side (a narrow chat window): then the
     * buttons go under the name and size, and the name gets the card's whole width.
     */
    private boolean stacked(int width) {
        // with all three buttons, saved or not: saving a file does not move its buttons
        return Math.min(width, CARD_WIDTH) - PAD - ICON - PAD - buttonsSize(SWT.DEFAULT).x < MIN_NAME;
    }

    private int cardHeight(int width) {
        return ICON + 2 * PAD + (stacked(width) ? buttonsSize(stackedRoom(width)).y + PAD / 2 : 0);
    }

    /** The width the buttons have under the name and the icon: the card's (they wrap within it). */
    private static int stackedRoom(int width) {
        return Math.max(1, Math.min(width, CARD_WIDTH) - 2 * PAD);
    }

    /** The buttons laid out one after the other, wrapping to another line where the width hint asks. */
    private static org.eclipse.swt.layout.RowLayout buttonRow() {
        org.eclipse.swt.layout.RowLayout row = new org.eclipse.swt.layout.RowLayout(SWT.HORIZONTAL);
        row.wrap = true;
        row.center = true;
        row.marginWidth = 0;
        row.marginHeight = 0;
        row.marginLeft = 0;
        row.marginRight = 0;
        row.marginTop = 0;
        row.marginBottom = 0;
        row.spacing = 4;
        return row;
    }

    /**
     * The size of the three buttons (Open, Save as…, Show in folder) laid out within {@code width} (SWT.DEFAULT: on one
     * line), measured on a hidden copy once per width: whether they fit beside the name, and the height of a card
     * with them under it.
     */
    private Point buttonsSize(int width) {
        Point size = buttonsSizes.get(width);
        if (size == null) {
            org.eclipse.swt.widgets.Shell probe = new org.eclipse.swt.widgets.Shell(display);
            try {
                Composite row = new Composite(probe, SWT.NONE);
                row.setLayout(buttonRow());
                for (String text : new String[] {"Open", "Save as\u2026",
                        org.parley.filetransfer.ui.internal.Messages.Downloads_showInFolder}) {
                    new Button(row, SWT.PUSH).setText(text);
                }
                size = row.computeSize(width, SWT.DEFAULT);
            } finally {
                probe.dispose();
            }
            if (buttonsSizes.size() > 64) {
                buttonsSizes.clear(); // a window resized a lot: only the widths of now matter
            }
            buttonsSizes.put(width, size);
        }
        return size;
    }

    @Override
    public void paint(MessageRow row, GC gc, Rectangle b) {
        int y = b.y;
        int captionHeight = Caption.draw(gc, row.message().text(), b.x, y, b.width);
        if (captionHeight > 0) {
            y += captionHeight + PAD / 2;
        }
        Chat.Attachment a = attachment(row);
        int cardWidth = Math.min(b.width, CARD_WIDTH);
        int cardHeight = cardHeight(b.width);
        gc.setForeground(display.getSystemColor(SWT.COLOR_WIDGET_NORMAL_SHADOW));
        gc.drawRoundRectangle(b.x, y, cardWidth - 1, cardHeight - 1, 8, 8);
        // the "icon": a page with the file's extension
        int ix = b.x + PAD;
        int iy = y + PAD;
        gc.setBackground(display.getSystemColor(SWT.COLOR_LIST_SELECTION));
        gc.fillRoundRectangle(ix, iy, ICON - 8, ICON, 4, 4);
        gc.setForeground(display.getSystemColor(SWT.COLOR_LIST_SELECTION_TEXT));
        String ext = extension(a.name());
        Point e = gc.textExtent(ext);
        gc.drawText(ext, ix + (ICON - 8 - e.x) / 2, iy + (ICON - e.y) / 2, true);
        gc.setForeground(row.isSelected() ? display.getSystemColor(SWT.COLOR_LIST_SELECTION_TEXT)
                : display.getSystemColor(SWT.COLOR_LIST_FOREGROUND));
        int tx = ix + ICON;
        Font normal = gc.getFont();
        gc.setFont(bold(normal));
        int room = stacked(b.width) ? PAD : controlRoom(a); // stacked: the buttons are under the text
        gc.drawText(shorten(gc, a.name(), cardWidth - (tx - b.x) - room), tx, iy, true);
        gc.setFont(normal);
        gc.setForeground(display.getSystemColor(SWT.COLOR_DARK_GRAY));
        gc.drawText(shorten(gc, Sizes.of(a.size()) + (a.mediaType().isBlank() ? "" : " \u00b7 " + a.mediaType()),
                cardWidth - (tx - b.x) - room), tx, iy + gc.getFontMetrics().getHeight() + 2, true);
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        String ext = dot > 0 && dot < name.length() - 1 ? name.substring(dot + 1) : "file";
        return (ext.length() > 4 ? ext.substring(0, 4) : ext).toUpperCase(Locale.ROOT);
    }

    private static String shorten(GC gc, String s, int width) {
        if (width <= 0 || gc.textExtent(s).x <= width) {
            return s;
        }
        String out = s;
        while (out.length() > 4 && gc.textExtent(out + "\u2026").x > width) {
            out = out.substring(0, out.length() - 1);
        }
        return out + "\u2026";
    }

    private Font bold(Font base) {
        if (bold == null) {
            FontData[] data = base.getFontData();
            for (FontData d : data) {
                d.setStyle(SWT.BOLD);
            }
            bold = new Font(display, data);
        }
        return bold;
    }

    /** The buttons of a file, or its progress while it downloads; switches by itself as downloads start and end. */
    private final class Card {
        final Composite box;
        final Composite buttons;
        final Composite transfer;
        final ProgressBar bar;
        final Button folder;
        final Chat.Attachment attachment;
        final StackLayout stack = new StackLayout();
        final String fileId;
        TransferJob job;

        Card(Composite parent, Chat.Attachment a, MessageRow row) {
            fileId = a.fileId();
            attachment = a;
            box = new Composite(parent, SWT.NONE);
            box.setLayout(stack);
            buttons = new Composite(box, SWT.NONE);
            buttons.setLayout(buttonRow()); // wraps where the card is narrower than the three buttons
            Button open = new Button(buttons, SWT.PUSH);
            open.setText("Open");
            open.setToolTipText("Download " + a.name() + " and open it with the system's application");
            open.addListener(SWT.Selection, e -> open(a));
            Button save = new Button(buttons, SWT.PUSH);
            save.setText("Save as\u2026");
            save.setToolTipText("Download " + a.name() + " to a place you choose");
            save.addListener(SWT.Selection, e -> {
                Downloads.saveAs(chat.shell(), chat.client(), chat.conversationId(), a);
                update();
            });
            folder = new Button(buttons, SWT.PUSH);
            folder.setText(org.parley.filetransfer.ui.internal.Messages.Downloads_showInFolder);
            folder.addListener(SWT.Selection, e -> {
                Path saved = Downloads.savedTo(a);
                if (saved != null) {
                    Downloads.showInFolder(chat.shell(), saved);
                }
            });
            folder.setLayoutData(new org.eclipse.swt.layout.RowData());
            transfer = new Composite(box, SWT.NONE);
            GridLayoutFactory.fillDefaults().numColumns(2).applyTo(transfer);
            bar = new ProgressBar(transfer, SWT.SMOOTH);
            bar.setMaximum(1000);
            GridDataFactory.fillDefaults().hint(110, SWT.DEFAULT).align(SWT.FILL, SWT.CENTER).applyTo(bar);
            Button cancel = new Button(transfer, SWT.PUSH);
            cancel.setText("Cancel");
            cancel.setToolTipText("Stop downloading " + a.name());
            cancel.addListener(SWT.Selection, e -> {
                if (job != null) {
                    job.cancel();
                }
            });
            cards.add(this);
            box.addListener(SWT.Dispose, e -> cards.remove(this));
            update();
        }

        void update() {
            job = Downloads.running(fileId);
            Composite top = job != null ? transfer : buttons;
            if (job != null) {
                bar.setSelection((int) (job.fraction() * 1000));
                bar.setToolTipText(Sizes.progress(job.bytesDone(), job.bytesTotal()));
            }
            // once saved: where it went (the tooltip) and Show in folder
            Path saved = job == null ? Downloads.savedTo(attachment) : null;
            boolean shows = saved != null;
            String tip = folder.getToolTipText();
            if (shows != folder.getVisible() || shows && (tip == null || !tip.contains(saved.toString()))) {
                folder.setVisible(shows);
                ((org.eclipse.swt.layout.RowData) folder.getLayoutData()).exclude = !shows;
                folder.setToolTipText(shows ? org.eclipse.osgi.util.NLS.bind(
                        org.parley.filetransfer.ui.internal.Messages.Downloads_savedToTip, saved) : null);
                buttons.layout(true);
                // wider or narrower, the buttons keep their right edge at the card's (where controlBounds put them),
                // or their left edge under the name when they are under it
                Rectangle was = box.getBounds();
                if (box.getData(STACKED) instanceof Integer room) { // wrapped within the card, bottom kept
                    Point size = box.computeSize(room, SWT.DEFAULT, true);
                    box.setBounds(was.x, was.y + was.height - size.y, Math.min(size.x, room), size.y);
                } else {
                    Point size = box.computeSize(SWT.DEFAULT, SWT.DEFAULT, true);
                    box.setBounds(was.x + was.width - size.x, was.y, size.x, size.y);
                }
                box.layout(true, true);
                box.getParent().redraw(); // the card's text makes room, the history places the wider buttons
            }
            if (stack.topControl != top) {
                stack.topControl = top;
                box.layout();
            }
        }
    }

    private final java.util.List<Card> cards = new java.util.ArrayList<>();

    @Override
    public Control createControl(Composite parent, MessageRow row) {
        return new Card(parent, attachment(row), row).box;
    }

    private void open(Chat.Attachment a) {
        Downloads.cached(display, chat.client(), chat.conversationId(), a,
                path -> org.parley.ui.Desktop.openFile(chat.shell(), path));
        cards.forEach(Card::update);
    }

    @Override
    public Rectangle controlBounds(MessageRow row, Control control, int width, int height) {
        Point size = control.computeSize(SWT.DEFAULT, SWT.DEFAULT);
        int cardWidth = Math.min(width, CARD_WIDTH);
        boolean stacked = stacked(width);
        control.setData(STACKED, stacked ? Integer.valueOf(stackedRoom(width)) : null);
        if (stacked) { // under the icon, the name and the size, wrapped within the card
            Point wrapped = control.computeSize(stackedRoom(width), SWT.DEFAULT);
            return new Rectangle(PAD, height - PAD - wrapped.y, Math.min(wrapped.x, stackedRoom(width)),
                    wrapped.y);
        }
        int cardHeight = ICON + 2 * PAD;
        return new Rectangle(Math.max(0, cardWidth - size.x - PAD), height - cardHeight + (cardHeight - size.y) / 2,
                size.x, size.y);
    }

    @Override
    public boolean activate(MessageRow row) {
        open(attachment(row));
        return true;
    }

    @Override
    public String toolTipText(MessageRow row, int x, int y) {
        Chat.Attachment a = attachment(row);
        return a.name() + " (" + Sizes.of(a.size()) + ", SHA-256 " + a.sha256() + ")";
    }

    /** Moves the visible progress bars; when a download ends, its card shows its buttons again. */
    private void progressChanged() {
        if (!display.isDisposed()) {
            display.asyncExec(() -> java.util.List.copyOf(cards).forEach(c -> {
                if (!c.box.isDisposed()) {
                    c.update();
                }
            }));
        }
    }

    @Override
    public void dispose() {
        TransferList.removeListener(progress);
        if (bold != null) {
            bold.dispose();
        }
    }
}
