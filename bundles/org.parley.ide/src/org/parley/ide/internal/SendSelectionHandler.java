package org.parley.ide.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.eclipse.core.runtime.Adapters;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.text.BadLocationException;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.ITextSelection;
import org.eclipse.jface.viewers.LabelProvider;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.dialogs.ElementListSelectionDialog;
import org.eclipse.ui.handlers.HandlerUtil;
import org.eclipse.ui.texteditor.ITextEditor;
import org.parley.chat.ui.Snippet;
import org.parley.client.core.ParleyClient;
import org.parley.protocol.message.Conversations;

/**
 * Send Selection to Parley Chat (text editors' context menu, Ctrl+Alt+P): the lines the selection touches go as a
 * code snippet to the conversation the user picks, the chat last in front offered first; its chat then opens.
 * Signs in first when needed.
 */
public final class SendSelectionHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) throws ExecutionException {
        IEditorPart editor = HandlerUtil.getActiveEditorChecked(event);
        ITextEditor text = Adapters.adapt(editor, ITextEditor.class);
        Shell shell = HandlerUtil.getActiveShellChecked(event);
        if (text == null || !(text.getSelectionProvider().getSelection() instanceof ITextSelection selection)) {
            return null;
        }
        IDocument document = text.getDocumentProvider().getDocument(text.getEditorInput());
        Snippet snippet;
        try {
            snippet = Snippets.fromSelection(document, selection.getOffset(), selection.getLength(),
                    Snippets.pathOf(text.getEditorInput()));
        } catch (BadLocationException e) {
            throw new ExecutionException("The selection is not in the document", e);
        }
        if (Snippets.tooLarge(snippet)) {
            MessageDialog.openInformation(shell, "Send Selection to Parley Chat", "The selection ("
                    + snippet.lineCount() + " lines) is too large for a chat message. Select fewer lines, or send "
                    + "the file with Attach file in the chat.");
            return null;
        }
        if (!ParleySession.get().signIn(shell)) {
            return null;
        }
        ParleyClient client = ParleySession.get().client();
        Display display = shell.getDisplay();
        client.listConversations().whenComplete((all, error) -> display.asyncExec(() -> {
            if (shell.isDisposed()) {
                return;
            }
            if (error != null) {
                MessageDialog.openError(shell, "Send Selection to Parley Chat",
                        "Your conversations could not be listed: " + error.getMessage());
                return;
            }
            pickAndSend(shell, client, all, snippet);
        }));
        return null;
    }

    private static void pickAndSend(Shell shell, ParleyClient client, List<Conversations.ConversationInfo> all,
            Snippet snippet) {
        if (all.isEmpty()) {
            MessageDialog.openInformation(shell, "Send Selection to Parley Chat",
                    "You have no conversations yet: open a chat from the Parley Contacts view first.");
            return;
        }
        long last = ParleySession.get().lastChat();
        List<Conversations.ConversationInfo> choices = new ArrayList<>(all);
        choices.sort(Comparator.comparing((Conversations.ConversationInfo c) -> c.id() != last));
        ElementListSelectionDialog picker = new ElementListSelectionDialog(shell, new LabelProvider() {
            @Override
            public String getText(Object element) {
                Conversations.ConversationInfo c = (Conversations.ConversationInfo) element;
                return (c.kind() == Conversations.Kind.GROUP ? "# " : "") + c.title();
            }
        });
        picker.setTitle("Send Selection to Parley Chat");
        picker.setMessage("Send " + snippet.title() + " to:");
        picker.setElements(choices.toArray());
        picker.setInitialSelections(choices.get(0));
        picker.setMultipleSelection(false);
        picker.setAllowDuplicates(true);
        if (picker.open() != Window.OK || picker.getFirstResult() == null) {
            return;
        }
        Conversations.ConversationInfo to = (Conversations.ConversationInfo) picker.getFirstResult();
        client.send(to.id(), snippet.toMessageText()); // kept and resent if offline, like any message
        ParleySession.get().openChat(to);
    }
}
