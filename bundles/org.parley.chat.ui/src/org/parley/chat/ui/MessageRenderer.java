package org.parley.chat.ui;

import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.parley.protocol.message.Chat;

/**
 * Shows some messages in a chat's history in its own way: a picture's thumbnail, a video poster with a play
 * button, a file with a Download button. Contributed through the extension point
 * {@code org.parley.chat.ui.messageRenderers}, which says which messages a renderer may claim (by kind and by
 * attachment media type); {@link #claims} can narrow that further.
 *
 * <p>Parley draws the frame of every row (day separator, sender, time, delivery and read state, selection) and
 * hands the renderer the <em>body</em> of the row: a rectangle as wide as the history allows, as high as
 * {@link #measure} said. The history is virtual: only the rows in view are measured, painted and given controls,
 * so a renderer must be quick and keep no per-row SWT resources beyond {@link #forget}.
 *
 * <p>Each chat part creates its own instance (public no-argument constructor) and calls {@link #init} once
 * before anything else. Every method runs on the display thread. A renderer that throws is logged and replaced by
 * Parley's own rendering for the rest of that chat.
 */
public interface MessageRenderer {

    /** Called once, before any other method, with the chat this instance renders for. */
    default void init(ChatContext chat) {
    }

    /** Whether this renderer shows the message; called only for messages its declaration matches. */
    default boolean claims(Chat.ChatMessage message) {
        return true;
    }

    /**
     * The body's height in pixels for the given width. {@code gc} has the history's font, for measuring text.
     * Called again when the width changes and after {@link MessageRow#refresh()}.
     */
    int measure(MessageRow row, int width, GC gc);

    /**
     * Paints the body into {@code bounds}. The GC's font, foreground and background are the history's (the
     * selection colours when the row is selected); the row's background is already painted. Restore any GC state
     * you change beyond colours, font, line and alpha settings (Parley resets those after each row).
     */
    void paint(MessageRow row, GC gc, Rectangle bounds);

    /**
     * A control to embed in the body (for example a Download button or a progress bar), or null for none. Created
     * when the row comes into view, given the body's bounds by the history, and disposed when the row leaves the
     * view; so keep state (download progress, …) in the renderer by sequence number, not in the control.
     */
    default Control createControl(Composite parent, MessageRow row) {
        return null;
    }

    /**
     * Where the control from {@link #createControl} goes, relative to the body's top left corner, for a body of
     * {@code width} × {@code height}. The default fills the body; a Download button would ask for its
     * {@code computeSize} at the right, leaving the rest to {@link #paint}.
     */
    default Rectangle controlBounds(MessageRow row, Control control, int width, int height) {
        return new Rectangle(0, 0, width, height);
    }

    /**
     * A mouse click at {@code (x, y)}, relative to the body's top left corner. Return true when handled (the
     * history then does not treat it as a selection click).
     */
    default boolean click(MessageRow row, int x, int y) {
        return false;
    }

    /** Whether {@code (x, y)} in the body reacts to clicks (the history shows a hand cursor). */
    default boolean isClickable(MessageRow row, int x, int y) {
        return false;
    }

    /** Tooltip text at {@code (x, y)} in the body, or null. */
    default String toolTipText(MessageRow row, int x, int y) {
        return null;
    }

    /**
     * The user chose the message with the keyboard (Enter) or by double-clicking it: do what a click on the main
     * thing in the body does (play, open, download). Return true when handled.
     */
    default boolean activate(MessageRow row) {
        return false;
    }

    /**
     * The message as plain text, for Copy and for screen readers. The default is the message text, followed by the
     * names of its attachments.
     */
    default String text(MessageRow row) {
        Chat.ChatMessage m = row.message();
        StringBuilder s = new StringBuilder(m.text());
        for (Chat.Attachment a : m.attachments()) {
            s.append(s.isEmpty() ? "" : "\n").append("[").append(a.name()).append("]");
        }
        return s.toString();
    }

    /** The row has left the history's cache: free what was kept for it (images, …). */
    default void forget(Chat.ChatMessage message) {
    }

    /** The chat is closing: free everything. */
    default void dispose() {
    }
}
