package org.parley.ui.tests;

import java.util.Locale;

import org.parley.chat.ui.MessageAction;
import org.parley.chat.ui.MessageActionContext;

/** A message action contributed by the test bundle: offered on one's own messages only; repeats one louder. */
public class ShoutAction implements MessageAction {

    @Override
    public boolean isAvailable(MessageActionContext context) {
        return context.isOwn();
    }

    @Override
    public void run(MessageActionContext context) {
        context.insertText(context.message().text().toUpperCase(Locale.ROOT) + " (seq " + context.message().seq()
                + " in " + context.conversationId() + ")");
    }
}
