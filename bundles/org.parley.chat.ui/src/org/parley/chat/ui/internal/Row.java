package org.parley.chat.ui.internal;

import org.eclipse.swt.widgets.Control;
import org.parley.chat.ui.ChatContext;
import org.parley.chat.ui.MessageRow;
import org.parley.protocol.message.Chat;

/** A message the history holds in its cache, with what was measured for it and its embedded control, if any. */
final class Row implements MessageRow {

    /** Replaced (same seq) when its reactions change. */
    Chat.ChatMessage message;
    final MessageRenderers.Safe renderer;
    private final HistoryView view;
    /** The body's height for {@link #measuredWidth}; -1 when not measured. */
    int bodyHeight = -1;
    int measuredWidth = -1;
    /** Whether the renderer had failed when measured (it then falls back to the built-in one). */
    boolean measuredBroken;
    Control control;
    boolean controlAsked;

    Row(HistoryView view, Chat.ChatMessage message, MessageRenderers.Safe renderer) {
        this.view = view;
        this.message = message;
        this.renderer = renderer;
    }

    @Override
    public Chat.ChatMessage message() {
        return message;
    }

    @Override
    public boolean isOwn() {
        return message.sender().equals(view.chat().client().user());
    }

    @Override
    public boolean isSelected() {
        return view.isSelected(message.seq());
    }

    @Override
    public ChatContext chat() {
        return view.chat();
    }

    @Override
    public void refresh() {
        view.refreshLater(this);
    }

    /** Forgets the measurement (the width, the renderer's content or its neighbours changed). */
    void invalidate() {
        bodyHeight = -1;
        measuredWidth = -1;
    }

    void disposeControl() {
        if (control != null && !control.isDisposed()) {
            control.dispose();
        }
        control = null;
        controlAsked = false;
    }
}
