package org.parley.chat.ui.internal;

import org.parley.chat.ui.MessageAction;
import org.parley.chat.ui.MessageActionContext;
import org.parley.protocol.message.Chat;

/**
 * "Quote": puts the message's text into the entry field as a Markdown block quote ("> " before each line), followed
 * by an empty line for the answer. Offered for messages that have text.
 */
public final class QuoteAction implements MessageAction {

    @Override
    public boolean isAvailable(MessageActionContext context) {
        return !context.message().text().isBlank();
    }

    @Override
    public void run(MessageActionContext context) {
        context.insertText(quote(context.message()));
    }

    static String quote(Chat.ChatMessage message) {
        StringBuilder b = new StringBuilder();
        for (String line : message.text().strip().split("\\R", -1)) {
            b.append(line.isEmpty() ? ">" : "> " + line).append('\n');
        }
        return b.append('\n').toString();
    }
}
