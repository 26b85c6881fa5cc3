package org.parley.chat.ui.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.eclipse.swt.dnd.Clipboard;
import org.eclipse.swt.dnd.TextTransfer;
import org.eclipse.swt.dnd.Transfer;
import org.eclipse.swt.widgets.Control;
import org.parley.chat.ui.ChatContext;
import org.parley.protocol.message.Chat;

/**
 * Copy for the history: one message as its renderer's text, several as a transcript ("[date time] sender: text").
 * A range reaching beyond what is in memory is fetched by a {@link CopyJob}, with progress, off the display thread.
 */
final class HistoryClipboard {

    private final ChatContext chat;
    private final Control control;
    private final HistoryPages pages;
    private final Function<Chat.ChatMessage, Row> rowOf;

    HistoryClipboard(ChatContext chat, Control control, HistoryPages pages, Function<Chat.ChatMessage, Row> rowOf) {
        this.chat = chat;
        this.control = control;
        this.pages = pages;
        this.rowOf = rowOf;
    }

    /** Copies the messages from {@code from} to {@code to} (sequence numbers, both included). */
    void copy(long from, long to) {
        List<Chat.ChatMessage> held = new ArrayList<>();
        for (long s = from; s <= to; s++) {
            Row r = pages.row(s);
            if (r != null) {
                held.add(r.message);
            } else if (!pages.isMissing(s)) {
                new CopyJob(chat, from, to, messages -> control.getDisplay().asyncExec(() -> {
                    if (!control.isDisposed()) {
                        toClipboard(messages);
                    }
                })).schedule();
                return;
            }
        }
        toClipboard(held);
    }

    private void toClipboard(List<Chat.ChatMessage> messages) {
        if (messages.isEmpty()) {
            return;
        }
        String text;
        if (messages.size() == 1) {
            Row r = rowFor(messages.get(0));
            text = r.renderer.text(r);
        } else {
            StringBuilder s = new StringBuilder();
            for (Chat.ChatMessage m : messages) {
                Row r = rowFor(m);
                s.append('[').append(RowPainter.STAMP.format(Instant.ofEpochMilli(m.timestamp()))).append("] ");
                s.append(m.kind() == Chat.Kind.SYSTEM ? "" : m.sender() + ": ").append(r.renderer.text(r))
                        .append(System.lineSeparator());
            }
            text = s.toString();
        }
        Clipboard clipboard = new Clipboard(control.getDisplay());
        try {
            clipboard.setContents(new Object[] {text}, new Transfer[] {TextTransfer.getInstance()});
        } finally {
            clipboard.dispose();
        }
    }

    private Row rowFor(Chat.ChatMessage m) {
        Row r = pages.row(m.seq());
        return r != null ? r : rowOf.apply(m);
    }
}
