package org.parley.chat.ui.internal;

import org.eclipse.swt.dnd.Clipboard;
import org.eclipse.swt.dnd.TextTransfer;
import org.eclipse.swt.dnd.Transfer;
import org.parley.chat.ui.MessageAction;
import org.parley.chat.ui.MessageActionContext;

/**
 * "Copy Link": puts the message's link ({@code parley:conversation/<id>/message/<seq>}, {@link MessageLinks}) on
 * the clipboard; pasted into a chat and clicked, it opens that chat at that message for its members.
 */
public final class CopyLinkAction implements MessageAction {

    @Override
    public boolean isAvailable(MessageActionContext context) {
        return context.message().seq() > 0;
    }

    @Override
    public void run(MessageActionContext context) {
        Clipboard clipboard = new Clipboard(context.shell().getDisplay());
        try {
            clipboard.setContents(new Object[] {MessageLinks.of(context.conversationId(), context.message().seq())},
                    new Transfer[] {TextTransfer.getInstance()});
        } finally {
            clipboard.dispose();
        }
    }
}
