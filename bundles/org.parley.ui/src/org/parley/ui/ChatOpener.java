package org.parley.ui;

import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.model.application.ui.basic.MPartStack;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.eclipse.e4.ui.workbench.modeling.EPartService.PartState;
import org.parley.protocol.message.Conversations;

/**
 * Opens the chat of a conversation through the chat plug-in's part descriptor (so that no bundle needs the chat
 * bundle), or brings it forward if it is open. In the Parley application chats open in its main stack; where there
 * is none (Parley inside an Eclipse IDE), a {@link Host} in the application's context opens them its way.
 */
public final class ChatOpener {

    /**
     * Opens chats in an application that has no Parley main stack: the IDE integration ({@code org.parley.ide}) puts
     * one into the application's Eclipse context, and opens each chat as a view.
     */
    @FunctionalInterface
    public interface Host {
        /** Shows the conversation's chat, bringing an open one forward; false when it cannot. */
        boolean open(Conversations.ConversationInfo conversation);
    }

    private ChatOpener() {
    }

    /** The open chat part of a conversation, or null. */
    public static MPart find(EPartService parts, long conversationId) {
        for (MPart p : parts.getParts()) {
            if (String.valueOf(conversationId).equals(p.getPersistedState().get(ParleyUi.CONVERSATION_ID))) {
                return p;
            }
        }
        return null;
    }

    /** Shows the chat; false when the chat plug-in is not installed. */
    public static boolean open(EPartService parts, EModelService models, MApplication application,
            Conversations.ConversationInfo c) {
        if (models.find(ParleyUi.MAIN_STACK, application) == null) {
            Host host = application.getContext() == null ? null : application.getContext().get(Host.class);
            return host != null && host.open(c);
        }
        MPart part = find(parts, c.id());
        if (part == null) {
            part = parts.createPart(ParleyUi.CHAT_DESCRIPTOR);
            if (part == null) {
                return false;
            }
            part.getPersistedState().put(ParleyUi.CONVERSATION_ID, String.valueOf(c.id()));
            org.parley.client.core.ParleyClient client = application.getContext() == null ? null
                    : application.getContext().get(org.parley.client.core.ParleyClient.class);
            if (client != null) { // the chat is this account's (kept for it across sign-outs and restarts)
                part.getPersistedState().put(org.parley.ui.internal.layout.KeptLayout.ACCOUNT,
                        org.parley.ui.internal.layout.KeptLayout.account(client));
            }
            // a 1:1 is named by the other member's display name (the chat sets its tooltip)
            part.setLabel(c.kind() == Conversations.Kind.GROUP ? "# " + c.title()
                    : client == null ? c.title() : client.names().of(c.members().stream()
                            .map(Conversations.Member::user).filter(u -> !u.equals(client.user())).findFirst()
                            .orElse(c.title())));
            ((MPartStack) models.find(ParleyUi.MAIN_STACK, application)).getChildren().add(part);
        }
        parts.showPart(part, PartState.ACTIVATE);
        return true;
    }
}
