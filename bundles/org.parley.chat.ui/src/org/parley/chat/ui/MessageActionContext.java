package org.parley.chat.ui;

import org.parley.protocol.message.Chat;

/**
 * What a {@link MessageAction} may use: the message it was chosen on, and the chat with its entry field
 * ({@link ComposerContext}). Provided by Parley; not meant to be implemented by plug-ins (methods may be added).
 */
public interface MessageActionContext extends ComposerContext {

    /** The message the action was chosen on (text, kind, attachments, sender, time, sequence number). */
    Chat.ChatMessage message();

    /** True when the signed-in user sent the message. */
    boolean isOwn();

    /**
     * Starts a reply to the message: the chat shows "Replying to …" above its entry field (Esc or ✕ cancels), and
     * the next message the user sends there answers this one.
     */
    void reply();

    /**
     * True when the signed-in user is an admin of this chat's group (who may delete others' messages); false in a
     * 1:1 chat.
     */
    boolean isGroupAdmin();

    /**
     * Starts editing the message in the chat's entry field: its text (a file's or picture's caption) there,
     * "Editing message — Esc to cancel" ("Editing the caption — …") above it; Enter saves the new text
     * ({@code Edit}), Esc gives the field back as it was. Only the user's own messages can be edited (the server
     * refuses the rest).
     */
    void editMessage();
}
