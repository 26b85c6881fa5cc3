package org.parley.chat.ui.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Link;

/**
 * Above the entry field: one's own messages that the server has not stored yet, so that what was sent while
 * offline (or while the server is slow) is seen to be waiting, not lost; and messages the server refused for good,
 * with the reason and a way to get the text back ("Edit") or to let it go ("Discard"). A message normally stored
 * within milliseconds never shows: waiting messages appear only after {@link #GRACE_MILLIS}. Display thread only.
 */
final class OutboxStrip {

    /** How long a message may wait for the server before the strip shows it. */
    static final int GRACE_MILLIS = 800;
    private static final int SHOWN = 3;

    private record Failed(String text, String reason) {
    }

    private record Waiting(String text, long sinceNanos) {
    }

    private final Composite strip;
    private final Consumer<String> edit;
    /** Waiting for the server, by client message id, oldest first. */
    private final Map<String, Waiting> waiting = new LinkedHashMap<>();
    private final Map<String, Failed> failed = new LinkedHashMap<>();
    private boolean online = true;

    /** {@code edit} puts a refused message's text back into the entry field. */
    OutboxStrip(Composite parent, Consumer<String> edit) {
        this.edit = edit;
        strip = new Composite(parent, SWT.NONE);
        strip.setData("parley.outbox", Boolean.TRUE);
        GridLayoutFactory.fillDefaults().spacing(0, 2).applyTo(strip);
        GridDataFactory.fillDefaults().grab(true, false).exclude(true).applyTo(strip);
        strip.setVisible(false);
    }

    Control control() {
        return strip;
    }

    void sending(String clientMessageId, String text) {
        waiting.put(clientMessageId, new Waiting(text, System.nanoTime()));
        strip.getDisplay().timerExec(GRACE_MILLIS, this::update);
    }

    /** Messages that were already waiting when this chat opened (their grace period is long over). */
    void waitingBefore(String clientMessageId, String text) {
        waiting.putIfAbsent(clientMessageId, new Waiting(text, System.nanoTime() - GRACE_MILLIS * 1_000_000L));
        update();
    }

    void stored(String clientMessageId) {
        if (waiting.remove(clientMessageId) != null) {
            update();
        }
    }

    void refused(String clientMessageId, String text, String reason) {
        waiting.remove(clientMessageId);
        failed.put(clientMessageId, new Failed(text, reason));
        update();
    }

    /** A refusal heard about only by id (sent from another chat window): shown if its text is known here. */
    void refused(String clientMessageId, String reason) {
        Waiting w = waiting.get(clientMessageId);
        if (w != null) {
            refused(clientMessageId, w.text(), reason);
        }
    }

    void online(boolean online) {
        this.online = online;
        update();
    }

    boolean isShowing() {
        return strip.isVisible();
    }

    private void update() {
        if (strip.isDisposed()) {
            return;
        }
        for (Control c : strip.getChildren()) {
            c.dispose();
        }
        // Messages sent within the grace period are not shown while online: most are stored before it ends.
        long now = System.nanoTime();
        boolean showWaiting = !waiting.isEmpty() && (!online || waiting.values().stream()
                .anyMatch(w -> now - w.sinceNanos() >= GRACE_MILLIS * 1_000_000L - 20_000_000L));
        if (showWaiting) {
            Label head = new Label(strip, SWT.WRAP);
            head.setText((waiting.size() == 1 ? "1 message is" : waiting.size() + " messages are")
                    + " waiting to be sent" + (online ? "…" : ": they go out as soon as Parley is connected again."));
            GridDataFactory.fillDefaults().grab(true, false).applyTo(head);
            int n = 0;
            for (Waiting w : waiting.values()) {
                if (n++ == SHOWN) {
                    line("and " + (waiting.size() - SHOWN) + " more");
                    break;
                }
                line(quote(w.text()));
            }
        }
        for (Map.Entry<String, Failed> e : failed.entrySet()) {
            String id = e.getKey();
            Failed f = e.getValue();
            Link link = new Link(strip, SWT.WRAP);
            link.setText("Not sent: " + escape(quote(f.text())) + " (" + escape(f.reason()) + ")  "
                    + "<a href=\"edit\">Edit</a>  <a href=\"discard\">Discard</a>");
            link.setForeground(strip.getDisplay().getSystemColor(SWT.COLOR_DARK_RED));
            link.setData("parley.outbox.failed", id);
            link.addListener(SWT.Selection, ev -> {
                failed.remove(id);
                if ("edit".equals(ev.text)) {
                    edit.accept(f.text());
                }
                strip.getDisplay().asyncExec(this::update); // not while the link is handling its own event
            });
            GridDataFactory.fillDefaults().grab(true, false).applyTo(link);
        }
        boolean show = strip.getChildren().length > 0;
        strip.setVisible(show);
        ((org.eclipse.swt.layout.GridData) strip.getLayoutData()).exclude = !show;
        strip.getParent().layout(true, true);
    }

    private void line(String text) {
        Label l = new Label(strip, SWT.NONE);
        l.setText(text);
        l.setForeground(strip.getDisplay().getSystemColor(SWT.COLOR_DARK_GRAY));
        GridDataFactory.fillDefaults().grab(true, false).indent(12, 0).applyTo(l);
    }

    /** The message's first line, shortened: enough to recognise it. */
    private static String quote(String text) {
        String first = text.strip().lines().findFirst().orElse("");
        if (first.length() > 80) {
            first = first.substring(0, 79) + "…";
        } else if (text.strip().contains("\n")) {
            first = first + " …";
        }
        return "“" + first + "”";
    }

    private static String escape(String text) {
        return text.replace("&", "&&"); // Link treats & as a mnemonic; < > are fine outside tags
    }
}
