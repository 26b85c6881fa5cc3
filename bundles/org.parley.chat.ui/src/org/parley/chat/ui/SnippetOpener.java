package org.parley.chat.ui;

import org.eclipse.swt.widgets.Shell;

/**
 * Opens a received {@link Snippet} where the user can read and use it: in an Eclipse IDE, an editor. Provided as an
 * OSGi service by the plug-in that can (Parley's IDE integration, {@code org.parley.ide}, registers one); the chat
 * asks it when the user opens a snippet (Enter or a double-click on it, or the "Open" link in its header). With no
 * opener, as in the standalone Parley application, opening a snippet copies its code to the clipboard.
 */
public interface SnippetOpener {

    /**
     * Opens the snippet; runs on the display thread. {@code shell} is the chat's window, as a parent for dialogs.
     * Return false when it could not be opened (the chat then copies the code instead).
     */
    boolean open(Snippet snippet, Shell shell);
}
