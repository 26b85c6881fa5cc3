package org.parley.chat.ui.internal;

import org.parley.chat.ui.MessageAction;
import org.parley.chat.ui.MessageActionContext;
import org.parley.protocol.message.Chat;

/**
 * "Edit": the user's own text message, or the caption of their own file or picture, in the entry field (Enter
 * saves, Esc cancels).
 */
public final class EditAction implements MessageAction {

    @Override
    public boolean isAvailable(MessageActionContext context) {
        Chat.ChatMessage m = context.message();
        return context.isOwn() && (m.kind() == Chat.Kind.TEXT || m.kind() == Chat.Kind.FILE
                || m.kind() == Chat.Kind.MEDIA) && !m.deleted();
    }

    @Override
    public void run(MessageActionContext context) {
        context.editMessage();
    }
}
