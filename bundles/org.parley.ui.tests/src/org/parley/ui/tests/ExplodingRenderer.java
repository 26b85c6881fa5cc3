package org.parley.ui.tests;

import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Rectangle;
import org.parley.chat.ui.MessageRenderer;
import org.parley.chat.ui.MessageRow;
import org.parley.protocol.message.Chat;

/** A broken contribution: it claims "boom:" messages and fails to paint them. Parley must log it and go on. */
public class ExplodingRenderer implements MessageRenderer {

    @Override
    public boolean claims(Chat.ChatMessage message) {
        return message.text().startsWith("boom:");
    }

    @Override
    public int measure(MessageRow row, int width, GC gc) {
        return 20;
    }

    @Override
    public void paint(MessageRow row, GC gc, Rectangle bounds) {
        throw new IllegalStateException("this renderer is broken on purpose");
    }
}
