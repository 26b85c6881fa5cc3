package org.parley.chat.ui.internal;

import java.util.concurrent.CompletionException;

import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.widgets.Display;
import org.parley.chat.ui.MessageAction;
import org.parley.chat.ui.MessageActionContext;
import org.parley.protocol.message.Chat;

/**
 * "Delete": deletes a message for everyone after asking; offered on the user's own messages and, to a group's
 * admins, on everyone's. The history shows "Message deleted" once the server has stored it (the client's
 * messageDeleted event); a refusal (the window has passed, …) is said in words.
 */
public final class DeleteAction implements MessageAction {

    @Override
    public boolean isAvailable(MessageActionContext context) {
        Chat.ChatMessage m = context.message();
        boolean deletable = m.kind() == Chat.Kind.TEXT || m.kind() == Chat.Kind.FILE || m.kind() == Chat.Kind.MEDIA;
        return deletable && !m.deleted() && (context.isOwn() || context.isGroupAdmin());
    }

    @Override
    public void run(MessageActionContext context) {
        Chat.ChatMessage m = context.message();
        String question = context.isOwn() ? Messages.DeleteMessage_question
                : NLS.bind(Messages.DeleteMessage_othersQuestion, context.client().names().of(m.sender()));
        MessageDialog dialog = new MessageDialog(context.shell(), Messages.DeleteMessage_title, null, question,
                MessageDialog.QUESTION, 1, Messages.DeleteMessage_button, IDialogConstants.CANCEL_LABEL);
        if (dialog.open() != 0) {
            return;
        }
        Display display = context.shell().getDisplay();
        context.client().deleteMessage(context.conversationId(), m.seq()).whenComplete((sent, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                display.asyncExec(() -> {
                    if (!context.shell().isDisposed()) {
                        MessageDialog.openError(context.shell(), Messages.DeleteMessage_title,
                                NLS.bind(Messages.DeleteMessage_failed, cause.getMessage()));
                    }
                });
            }
        });
    }
}
