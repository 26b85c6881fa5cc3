package org.parley.ide.internal;

import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.swt.widgets.Display;
import org.parley.chat.ui.internal.ChatPart;
import org.parley.client.core.ParleyClient;
import org.parley.protocol.message.Conversations;
import org.parley.ui.ParleyUi;

/**
 * One conversation's chat, as a view whose secondary id is the conversation id (so each conversation has its
 * own, and the IDE restores them). Hosts the Parley application's chat part.
 */
public final class ChatView extends ParleyViewPart {

    public static final String ID = "org.parley.ide.chat";

    private long conversationId() {
        String secondary = getViewSite().getSecondaryId();
        try {
            return secondary == null ? 0 : Long.parseLong(secondary);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    protected Class<?> partClass() {
        return conversationId() > 0 ? ChatPart.class : null;
    }

    @Override
    protected String promptText() {
        return conversationId() > 0 ? "This chat shows once you are signed in to Parley."
                : "Open a chat from the Parley Contacts view: double-click a contact or a conversation.";
    }

    @Override
    protected void prepare(IEclipseContext context) {
        // The chat part reads its conversation from its MPart, as the application's chat descriptor sets it.
        context.get(MPart.class).getPersistedState().put(ParleyUi.CONVERSATION_ID, String.valueOf(conversationId()));
        long id = conversationId();
        ParleySession.get().title(id).ifPresentOrElse(this::showTitle, () -> {
            ParleyClient client = ParleySession.get().client();
            Display display = Display.getCurrent();
            client.listConversations().thenAccept(all -> all.stream().filter(c -> c.id() == id).findFirst()
                    .ifPresent(c -> display.asyncExec(() -> {
                        String title = c.kind() == Conversations.Kind.GROUP ? "# " + c.title() : c.title();
                        ParleySession.get().rememberTitle(id, title);
                        showTitle(title);
                    })));
        });
    }

    private void showTitle(String title) {
        if (getPartName() != null && !getSite().getShell().isDisposed()) {
            setPartName(title);
            setTitleToolTip("Parley chat: " + title);
        }
    }

    @Override
    public void setFocus() {
        super.setFocus();
        if (conversationId() > 0) {
            ParleySession.get().chatInFront(conversationId());
        }
    }
}
