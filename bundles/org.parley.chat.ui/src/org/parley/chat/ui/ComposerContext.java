package org.parley.chat.ui;

/**
 * What a {@link ComposerAction} may use: the chat ({@link ChatContext}) and the message entry field. Provided by
 * Parley; not meant to be implemented by plug-ins.
 */
public interface ComposerContext extends ChatContext {

    /** Inserts text at the caret of the message entry field. */
    void insertText(String text);

    /**
     * The message the user is replying to (the "Replying to …" bar above the entry field), for what the action is
     * about to send, such as files: the bar closes, as after sending a reply. 0 when the user is not replying.
     */
    default long takeReply() {
        return 0;
    }
}
