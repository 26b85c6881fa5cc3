package org.parley.ui.tests;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.parley.chat.ui.ChatContext;
import org.parley.chat.ui.MessageRenderer;
import org.parley.chat.ui.MessageRow;
import org.parley.protocol.message.Chat;

/**
 * A message renderer contributed by the test bundle, the way a media or file-transfer plug-in would: messages
 * starting with "card:" become a tall coloured card with an embedded Open button; clicks, Enter and the button are
 * recorded in {@link #events} as "what conversation user title".
 */
public class CardRenderer implements MessageRenderer {

    static final List<String> events = new CopyOnWriteArrayList<>();
    static final int HEIGHT = 64;

    private ChatContext chat;

    @Override
    public void init(ChatContext chat) {
        this.chat = chat;
    }

    @Override
    public boolean claims(Chat.ChatMessage message) {
        return message.text().startsWith("card:");
    }

    private static String title(MessageRow row) {
        return row.message().text().substring("card:".length()).strip();
    }

    @Override
    public int measure(MessageRow row, int width, GC gc) {
        return HEIGHT;
    }

    @Override
    public void paint(MessageRow row, GC gc, Rectangle bounds) {
        gc.setAntialias(SWT.ON);
        gc.setBackground(new Color(255, 244, 214));
        gc.fillRoundRectangle(bounds.x, bounds.y + 2, Math.min(bounds.width, 420), HEIGHT - 4, 12, 12);
        gc.setForeground(new Color(150, 100, 0));
        gc.drawRoundRectangle(bounds.x, bounds.y + 2, Math.min(bounds.width, 420), HEIGHT - 4, 12, 12);
        gc.setForeground(new Color(60, 40, 0));
        gc.drawText(title(row), bounds.x + 12, bounds.y + 12, true);
        gc.drawText("A card drawn by a contributed renderer", bounds.x + 12, bounds.y + 34, true);
    }

    @Override
    public Control createControl(Composite parent, MessageRow row) {
        Button open = new Button(parent, SWT.PUSH);
        open.setText("Open");
        open.setData("org.parley.ui.tests.card", row.message().seq());
        open.addListener(SWT.Selection, e -> events.add("button " + describe(row)));
        return open;
    }

    @Override
    public Rectangle controlBounds(MessageRow row, Control control, int width, int height) {
        Point size = control.computeSize(SWT.DEFAULT, SWT.DEFAULT);
        return new Rectangle(Math.min(width, 420) - size.x - 12, (height - size.y) / 2, size.x, size.y);
    }

    @Override
    public boolean click(MessageRow row, int x, int y) {
        events.add("click " + describe(row));
        return true;
    }

    @Override
    public boolean isClickable(MessageRow row, int x, int y) {
        return true;
    }

    @Override
    public boolean activate(MessageRow row) {
        events.add("activate " + describe(row));
        return true;
    }

    @Override
    public String text(MessageRow row) {
        return "Card: " + title(row);
    }

    private String describe(MessageRow row) {
        return chat.conversationId() + " " + chat.client().user() + " " + title(row);
    }
}
