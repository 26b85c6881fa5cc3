package org.parley.ui.tests;

import org.parley.chat.ui.ComposerAction;
import org.parley.chat.ui.ComposerContext;

/** A composer action contributed by the test bundle through the chat's extension point. */
public class GreetingAction implements ComposerAction {

    @Override
    public void run(ComposerContext context) {
        context.insertText("Greetings from conversation " + context.conversationId() + "! ");
    }
}
