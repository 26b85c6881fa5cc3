package org.parley.chat.ui;

import org.parley.protocol.message.Chat;

/**
 * One message as the chat history shows it, handed to a {@link MessageRenderer}. Provided by Parley; not meant to
 * be implemented by plug-ins (methods may be added).
 */
public interface MessageRow {

    /** The message (text, kind, attachments, sender, time, sequence number). */
    Chat.ChatMessage message();

    /** True when the signed-in user sent it. */
    boolean isOwn();

    /** True when the row is selected (paint with the selection colours the GC was given). */
    boolean isSelected();

    /** The chat this row belongs to: conversation, client, window. */
    ChatContext chat();

    /**
     * Measures and paints this row again, on the display thread: call it when what the renderer shows has changed,
     * for example when a thumbnail has been downloaded. Safe to call from any thread; ignored once the row has left
     * the history.
     */
    void refresh();
}
