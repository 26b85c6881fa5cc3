package org.parley.chat.ui;

/**
 * An action shown next to a chat's message entry field (for example "Attach file…"), contributed by another
 * plug-in through the extension point {@code org.parley.chat.ui.composerActions}. API: implement it, declare it in
 * your plugin.xml, and Parley creates one instance per chat part.
 */
public interface ComposerAction {

    /** Runs on the display thread when the user chooses the action. */
    void run(ComposerContext context);
}
