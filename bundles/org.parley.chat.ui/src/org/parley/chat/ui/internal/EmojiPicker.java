package org.parley.chat.ui.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.ScrolledComposite;
import org.eclipse.swt.layout.RowLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.parley.protocol.Emoji;

/**
 * The emoji picker: every emoji of {@code emoji.txt} (a curated list: see the file) as a button, with a field that
 * filters them by name ("heart", "thumbs"). Choosing one closes the picker and hands it on; Escape closes it.
 */
final class EmojiPicker {

    /** One emoji and its English name (what the filter matches). */
    record Entry(String emoji, String name) {
    }

    private static List<Entry> all;

    private EmojiPicker() {
    }

    /** The curated list, read once; entries that are not one emoji (a damaged file) are left out. */
    static synchronized List<Entry> entries() {
        if (all == null) {
            List<Entry> out = new ArrayList<>();
            try (InputStream in = EmojiPicker.class.getResourceAsStream("emoji.txt")) {
                if (in != null) {
                    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                    for (String line; (line = r.readLine()) != null;) {
                        if (line.isBlank() || line.startsWith("#")) {
                            continue;
                        }
                        int space = line.indexOf(' ');
                        String emoji = space < 0 ? line : line.substring(0, space);
                        if (Emoji.isEmoji(emoji)) {
                            out.add(new Entry(emoji, space < 0 ? "" : line.substring(space + 1).trim()));
                        }
                    }
                }
            } catch (IOException e) {
                // an empty picker: the usual reactions are still in the menu
            }
            all = List.copyOf(out);
        }
        return all;
    }

    static void open(Shell parent, Consumer<String> chosen) {
        Shell shell = new Shell(parent, SWT.DIALOG_TRIM | SWT.RESIZE | SWT.APPLICATION_MODAL);
        shell.setText(Messages.Reactions_pickerTitle);
        shell.setData("org.parley.chat.emojiPicker", Boolean.TRUE);
        GridLayoutFactory.fillDefaults().margins(8, 8).applyTo(shell);
        Text filter = new Text(shell, SWT.SEARCH | SWT.ICON_SEARCH | SWT.ICON_CANCEL);
        filter.setMessage(Messages.Reactions_filter);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(filter);
        ScrolledComposite scroll = new ScrolledComposite(shell, SWT.V_SCROLL | SWT.BORDER);
        GridDataFactory.fillDefaults().grab(true, true).hint(380, 260).applyTo(scroll);
        Composite grid = new Composite(scroll, SWT.NONE);
        RowLayout row = new RowLayout(SWT.HORIZONTAL);
        row.wrap = true;
        row.pack = false;
        grid.setLayout(row);
        scroll.setContent(grid);
        scroll.setExpandHorizontal(true);
        scroll.setExpandVertical(true);
        List<Button> buttons = new ArrayList<>();
        for (Entry e : entries()) {
            Button b = new Button(grid, SWT.PUSH | SWT.FLAT);
            b.setText(e.emoji());
            b.setToolTipText(e.name());
            b.setData(e);
            b.addListener(SWT.Selection, x -> {
                shell.close();
                chosen.accept(e.emoji());
            });
            buttons.add(b);
        }
        Runnable relayout = () -> {
            int width = scroll.getClientArea().width;
            scroll.setMinSize(grid.computeSize(width, SWT.DEFAULT));
            grid.layout(true);
        };
        filter.addListener(SWT.Modify, x -> {
            String q = filter.getText().strip().toLowerCase(Locale.ROOT);
            for (Button b : buttons) {
                boolean show = q.isEmpty() || ((Entry) b.getData()).name().contains(q);
                b.setVisible(show);
                ((Control) b).setLayoutData(new org.eclipse.swt.layout.RowData(show ? SWT.DEFAULT : 0,
                        show ? SWT.DEFAULT : 0));
                b.setVisible(show);
            }
            relayout.run();
        });
        filter.addListener(SWT.DefaultSelection, x -> buttons.stream().filter(Control::getVisible).findFirst()
                .ifPresent(b -> {
                    shell.close();
                    chosen.accept(((Entry) b.getData()).emoji());
                }));
        scroll.addListener(SWT.Resize, x -> relayout.run());
        shell.pack();
        shell.setLocation(parent.getDisplay().getCursorLocation());
        shell.open();
        relayout.run();
        filter.setFocus();
    }
}
