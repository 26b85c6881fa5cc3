package org.parley.chat.ui;

/**
 * What a {@link ComposerAction} may use: the chat ({@link ChatContext}) and the message entry field. Provided by
 * Parley; not meant to be implemented by plug-ins.
 */
public interface ComposerContext extends ChatContext {

    /** Inserts text at the caret of the message entry field. */
    void insertText(String text);
}
