package org.parley.chat.ui;

import java.nio.file.Path;
import java.util.List;

import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;

/**
 * An action shown next to a chat's message entry field (for example "Attach file…"), contributed by another
 * plug-in through the extension point {@code org.parley.chat.ui.composerActions}. API: implement it, declare it in
 * your plugin.xml, and Parley creates one instance per chat part.
 */
public interface ComposerAction {

    /** Runs on the display thread when the user chooses the action. */
    void run(ComposerContext context);

    /**
     * Files dropped on the chat, or pasted into its entry field (a copied picture arrives as a PNG file). Return
     * true when this action took them; the first action that does wins. Runs on the display thread.
     */
    default boolean acceptFiles(ComposerContext context, List<Path> files) {
        return false;
    }

    /**
     * A control shown above the entry field (for example the uploads under way to this conversation, with their
     * progress), or null for none. Called once per chat, on the display thread; the control is disposed with the
     * chat. Keep it small and hide it (exclude it from the layout) when it has nothing to show.
     */
    default Control createStatusControl(Composite parent, ComposerContext context) {
        return null;
    }
}
