package org.parley.chat.ui;

import org.eclipse.swt.widgets.Shell;
import org.parley.client.core.ParleyClient;

/** What a {@link ComposerAction} may use: the conversation, the client, the window, and the entry field. */
public interface ComposerContext {

    long conversationId();

    ParleyClient client();

    Shell shell();

    /** Inserts text at the caret of the message entry field. */
    void insertText(String text);
}
