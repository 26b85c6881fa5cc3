package org.parley.chat.ui;

/**
 * An action on one message of the chat history (for example "Quote", "Reply", "Edit", "Delete" or a plug-in's own),
 * offered in the message's context menu. Contributed through the extension point
 * {@code org.parley.chat.ui.messageActions}: implement it, declare it in your plugin.xml, and Parley creates one
 * instance per chat part. API.
 */
public interface MessageAction {

    /**
     * Whether the action is offered for this message (for example only for the user's own messages, or only for
     * text). Runs on the display thread each time the menu opens: keep it quick, no requests to the server.
     */
    default boolean isAvailable(MessageActionContext context) {
        return true;
    }

    /** Runs on the display thread when the user chooses the action. */
    void run(MessageActionContext context);
}
