package org.parley.ui.tests;

import org.parley.chat.ui.MessageAction;
import org.parley.chat.ui.MessageActionContext;

/** A broken message action: it throws when asked whether it applies. Parley must log it and leave it out. */
public class ThrowingMessageAction implements MessageAction {

    @Override
    public boolean isAvailable(MessageActionContext context) {
        throw new IllegalStateException("broken on purpose");
    }

    @Override
    public void run(MessageActionContext context) {
        throw new AssertionError("never offered, so never run");
    }
}
