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

    /**
     * What a chat's tab says: "# title" for a group; for a 1:1 the other member's display name, with the user name
     * where the display name is another member's too ({@link org.parley.client.core.DisplayNames#among}). The one
     * place the label is made, when the chat opens and each time its conversation or a name changes.
     */
    public static String label(org.parley.client.core.ParleyClient client, Conversations.ConversationInfo c) {
        if (c.kind() == Conversations.Kind.GROUP) {
            return "# " + c.title();
        }
        if (client == null) {
            return c.title();
        }
        java.util.List<String> users = c.members().stream().map(Conversations.Member::user).toList();
        return users.stream().filter(u -> !u.equals(client.user())).findFirst()
                .map(other -> client.names().among(other, users)).orElse(c.title());
    }

    /**
     * Sets a part's label and tooltip, and the text and tooltip of the tab that shows it now. E4's stack renderer
     * follows a label through a UI event ({@code @UIEventTopic}), whose delivery depends on the event supplier that
     * the first workbench of the process injected: in a runtime that had run other workbenches before (the UI
     * tests), the change did not reach the tab although the part's label was right, as the window's title did not
     * reach its shell ({@link WindowTitle}). Call on the display thread.
     */
    public static void label(MPart part, String label, String tooltip) {
        part.setLabel(label);
        if (tooltip != null) {
            part.setTooltip(tooltip);
        }
        if (!(part.getWidget() instanceof org.eclipse.swt.widgets.Control control) || control.isDisposed()) {
            return; // not rendered yet: its tab is made from the label
        }
        for (org.eclipse.swt.widgets.Composite c = control.getParent(); c != null; c = c.getParent()) {
            if (c instanceof org.eclipse.swt.custom.CTabFolder folder) {
                for (org.eclipse.swt.custom.CTabItem item : folder.getItems()) {
                    if (shows(item, control)) {
                        String text = label.replace("&", "&&"); // as the renderer escapes mnemonics
                        if (!text.equals(item.getText())) {
                            item.setText(text);
                        }
                        if (tooltip != null && !tooltip.equals(item.getToolTipText())) {
                            item.setToolTipText(tooltip);
                        }
                    }
                }
                return;
            }
        }
    }

    /** Whether the tab's control is the part's control or holds it. */
    private static boolean shows(org.eclipse.swt.custom.CTabItem item, org.eclipse.swt.widgets.Control control) {
        org.eclipse.swt.widgets.Control shown = item.getControl();
        for (org.eclipse.swt.widgets.Control c = control; c != null && shown != null; c = c.getParent()) {
            if (c == shown) {
                return true;
            }
        }
        return false;
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
            part.setLabel(label(client, c)); // the chat sets its tooltip
            ((MPartStack) models.find(ParleyUi.MAIN_STACK, application)).getChildren().add(part);
        }
        parts.showPart(part, PartState.ACTIVATE);
        return true;
    }
}
