package org.parley.chat.ui.internal;

import org.parley.protocol.message.Chat;

/** What the chat part offers the message actions beyond the entry field: editing a message, the user's role. */
interface ChatEditing {

    /** Puts the message's text in the entry field to be edited ("Editing message — Esc to cancel"). */
    void startEditing(Chat.ChatMessage message);

    /** Whether the signed-in user is an admin of this group. */
    boolean isGroupAdmin();
}
