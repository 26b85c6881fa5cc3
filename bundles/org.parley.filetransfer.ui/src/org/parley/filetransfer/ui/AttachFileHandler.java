package org.parley.filetransfer.ui;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.core.di.annotations.Optional;
import org.parley.chat.ui.ComposerContext;

/**
 * Attach file (Ctrl+Shift+A, as the button's tooltip says): the same as the button of the chat in front. The chat
 * part puts its {@link ComposerContext} into its own Eclipse context, so the handler finds it only while a chat is
 * the active part.
 */
public class AttachFileHandler {

    @CanExecute
    boolean canExecute(@Optional ComposerContext chat) {
        return chat != null;
    }

    @Execute
    void execute(ComposerContext chat) {
        new AttachFileAction().run(chat);
    }
}
