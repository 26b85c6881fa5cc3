package org.parley.chat.ui.internal;

import org.parley.chat.ui.MessageAction;
import org.parley.chat.ui.MessageActionContext;
import org.parley.protocol.message.Chat;

/**
 * "Reply": the chat shows "Replying to …" above the entry field, and the next message sent answers this one (it
 * shows a quote of it). Offered for every message but the server's SYSTEM lines.
 */
public final class ReplyAction implements MessageAction {

    @Override
    public boolean isAvailable(MessageActionContext context) {
        return context.message().kind() != Chat.Kind.SYSTEM && context.message().seq() > 0;
    }

    @Override
    public void run(MessageActionContext context) {
        context.reply();
    }
}
