package org.parley.contacts.ui.internal;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.ui.services.IServiceConstants;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.dnd.Clipboard;
import org.eclipse.swt.dnd.TextTransfer;
import org.eclipse.swt.dnd.Transfer;
import org.eclipse.swt.widgets.Shell;
import org.parley.client.core.ParleyClient;
import org.parley.protocol.message.Contacts;
import org.parley.protocol.message.Conversations;

import jakarta.inject.Named;

/**
 * The handlers of the sidebar's commands (contributed by the model fragment, run from its context menus and keys
 * on the selected row: a {@link ConversationRow}, a contact ({@link Contacts.UserInfo}) or a
 * {@link PendingRequest}). Each says by CanExecute whether it applies to the selection.
 */
public final class SidebarHandlers {

    private SidebarHandlers() {
    }

    /** The user name a row stands for: a contact, a request, a 1:1's other member; null for a group. */
    static String user(Object s) {
        if (s instanceof Contacts.UserInfo u) {
            return u.user();
        }
        if (s instanceof PendingRequest r) {
            return r.user().user();
        }
        if (s instanceof ConversationRow r && !r.isGroup()) {
            return r.otherUser();
        }
        return null;
    }

    private static String displayName(ParleyClient client, Object s) {
        if (s instanceof Contacts.UserInfo u) {
            return u.displayName();
        }
        return client.names().of(user(s));
    }

    private static String error(Throwable e) {
        return e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
    }

    private static void whenDone(Shell shell, java.util.concurrent.CompletableFuture<?> f) {
        whenDone(shell, f, null);
    }

    /** Says a failure in words; {@code then} runs on the display thread once the request is done (null: nothing). */
    private static void whenDone(Shell shell, java.util.concurrent.CompletableFuture<?> f, Runnable then) {
        f.whenComplete((r, e) -> {
            if (!shell.isDisposed()) {
                shell.getDisplay().asyncExec(() -> {
                    if (shell.isDisposed()) {
                        return;
                    }
                    if (e != null) {
                        MessageDialog.openError(shell, Messages.Error_title, error(e));
                    }
                    if (then != null) {
                        then.run();
                    }
                });
            }
        });
    }

    /** Open chat: a conversation's, or a contact's 1:1. */
    public static final class Open {
        @CanExecute
        boolean can(@Optional @Named(IServiceConstants.ACTIVE_SELECTION) Object s, @Optional ContactsPart part) {
            return part != null && (s instanceof ConversationRow || s instanceof Contacts.UserInfo);
        }

        @Execute
        void run(@Named(IServiceConstants.ACTIVE_SELECTION) Object s, ContactsPart part) {
            if (s instanceof ConversationRow r) {
                part.open(r.conversation());
            } else if (s instanceof Contacts.UserInfo u) {
                part.openDirect(u);
            }
        }
    }

    /** Mark as read: a conversation with unread messages. */
    public static final class MarkRead {
        @CanExecute
        boolean can(@Optional @Named(IServiceConstants.ACTIVE_SELECTION) Object s, @Optional ContactsPart part) {
            return part != null && s instanceof ConversationRow r && r.unread() > 0;
        }

        @Execute
        void run(@Named(IServiceConstants.ACTIVE_SELECTION) Object s, ContactsPart part) {
            Conversations.ConversationInfo c = part.conversation(((ConversationRow) s).conversation().id());
            if (c != null) {
                part.markRead(c);
            }
        }
    }

    /** Copy user name: of a contact, a request, a 1:1's other member. */
    public static final class CopyUser {
        @CanExecute
        boolean can(@Optional @Named(IServiceConstants.ACTIVE_SELECTION) Object s) {
            return user(s) != null;
        }

        @Execute
        void run(@Named(IServiceConstants.ACTIVE_SELECTION) Object s, @Named(IServiceConstants.ACTIVE_SHELL)
                Shell shell) {
            Clipboard clipboard = new Clipboard(shell.getDisplay());
            try {
                clipboard.setContents(new Object[] {user(s)}, new Transfer[] {TextTransfer.getInstance()});
            } finally {
                clipboard.dispose();
            }
        }
    }

    /** Remove contact…: a contact, or the other member of a 1:1 who is a contact; asks first. */
    public static final class RemoveContact {
        @CanExecute
        boolean can(@Optional @Named(IServiceConstants.ACTIVE_SELECTION) Object s, @Optional ContactsPart part) {
            return part != null && (s instanceof Contacts.UserInfo || s instanceof ConversationRow r && !r.isGroup()
                    && part.isContact(r.otherUser()));
        }

        @Execute
        void run(@Named(IServiceConstants.ACTIVE_SELECTION) Object s, ParleyClient client,
                @Named(IServiceConstants.ACTIVE_SHELL) Shell shell) {
            String user = user(s);
            MessageDialog ask = new MessageDialog(shell, Messages.Confirm_removeTitle, null, NLS.bind(
                    Messages.Confirm_remove, displayName(client, s), user), MessageDialog.CONFIRM, 1,
                    Messages.Confirm_removeButton, org.eclipse.jface.dialogs.IDialogConstants.CANCEL_LABEL);
            if (ask.open() == 0) {
                whenDone(shell, client.removeContact(user));
            }
        }
    }

    /** Rename group…: any member may (the server says so to the others, and writes it into the chat). */
    public static final class RenameGroup {
        /** As the server checks it (docs/protocol.md: a group title has 1 to 100 characters). */
        static final int MAX_TITLE = 100;

        @CanExecute
        boolean can(@Optional @Named(IServiceConstants.ACTIVE_SELECTION) Object s) {
            return s instanceof ConversationRow r && r.isGroup();
        }

        @Execute
        void run(@Named(IServiceConstants.ACTIVE_SELECTION) Object s, ParleyClient client,
                @Named(IServiceConstants.ACTIVE_SHELL) Shell shell) {
            Conversations.ConversationInfo c = ((ConversationRow) s).conversation();
            org.eclipse.jface.dialogs.InputDialog ask = new org.eclipse.jface.dialogs.InputDialog(shell,
                    Messages.Rename_title, Messages.Rename_message, c.title(), RenameGroup::check);
            if (ask.open() == org.eclipse.jface.window.Window.OK && !ask.getValue().strip().equals(c.title())) {
                whenDone(shell, client.rename(c.id(), ask.getValue().strip()));
            }
        }

        /** What is wrong with a title, in words, or null. */
        static String check(String title) {
            String t = title.strip();
            return t.isEmpty() ? Messages.Rename_empty
                    : t.codePointCount(0, t.length()) > MAX_TITLE ? NLS.bind(Messages.Rename_tooLong, MAX_TITLE)
                    : null;
        }
    }

    /** Leave group…: asks first. */
    public static final class LeaveGroup {
        @CanExecute
        boolean can(@Optional @Named(IServiceConstants.ACTIVE_SELECTION) Object s) {
            return s instanceof ConversationRow r && r.isGroup();
        }

        @Execute
        void run(@Named(IServiceConstants.ACTIVE_SELECTION) Object s, ParleyClient client,
                @Named(IServiceConstants.ACTIVE_SHELL) Shell shell) {
            ConversationRow r = (ConversationRow) s;
            MessageDialog ask = new MessageDialog(shell, Messages.Confirm_leaveTitle, null, NLS.bind(
                    Messages.Confirm_leave, r.name()), MessageDialog.CONFIRM, 1, Messages.Confirm_leaveButton,
                    org.eclipse.jface.dialogs.IDialogConstants.CANCEL_LABEL);
            if (ask.open() == 0) {
                whenDone(shell, client.leave(r.conversation().id()));
            }
        }
    }

    /**
     * Add members…: a group (a sidebar row, or the conversation itself from a chat's member list); the member
     * picker, leaving out who is in already.
     */
    public static final class AddMembers {
        @CanExecute
        boolean can(@Optional @Named(IServiceConstants.ACTIVE_SELECTION) Object s) {
            Conversations.ConversationInfo c = group(s);
            return c != null;
        }

        @Execute
        void run(@Named(IServiceConstants.ACTIVE_SELECTION) Object s, ParleyClient client,
                @Named(IServiceConstants.ACTIVE_SHELL) Shell shell) {
            Conversations.ConversationInfo c = group(s);
            java.util.List<String> members = new java.util.ArrayList<>(c.members().stream()
                    .map(Conversations.Member::user).toList());
            members.add(client.user());
            MemberPickerDialog picker = new MemberPickerDialog(shell, client, c.title(), members);
            if (picker.open() == org.eclipse.jface.window.Window.OK) {
                whenDone(shell, client.addMembers(c.id(), picker.chosen()));
            }
        }

        private static Conversations.ConversationInfo group(Object s) {
            Conversations.ConversationInfo c = s instanceof ConversationRow r ? r.conversation()
                    : s instanceof Conversations.ConversationInfo i ? i : null;
            return c != null && c.kind() == Conversations.Kind.GROUP ? c : null;
        }
    }

    /** Accept: an incoming request. */
    public static final class Accept {
        @CanExecute
        boolean can(@Optional @Named(IServiceConstants.ACTIVE_SELECTION) Object s) {
            return s instanceof PendingRequest r && r.incoming();
        }

        @Execute
        void run(@Named(IServiceConstants.ACTIVE_SELECTION) Object s, ParleyClient client,
                @Named(IServiceConstants.ACTIVE_SHELL) Shell shell) {
            whenDone(shell, client.answerContact(((PendingRequest) s).user().user(), true));
        }
    }

    /** Decline: an incoming request (the server tells only the asker: the sidebar reloads itself). */
    public static final class Decline {
        @CanExecute
        boolean can(@Optional @Named(IServiceConstants.ACTIVE_SELECTION) Object s) {
            return s instanceof PendingRequest r && r.incoming();
        }

        @Execute
        void run(@Named(IServiceConstants.ACTIVE_SELECTION) Object s, ParleyClient client,
                @Named(IServiceConstants.ACTIVE_SHELL) Shell shell, @Optional ContactsPart part) {
            whenDone(shell, client.answerContact(((PendingRequest) s).user().user(), false), part == null ? null
                    : part::reload);
        }
    }

    /** Cancel request: the user's own pending request (RemoveContact cancels it on the server). */
    public static final class CancelRequest {
        @CanExecute
        boolean can(@Optional @Named(IServiceConstants.ACTIVE_SELECTION) Object s) {
            return s instanceof PendingRequest r && !r.incoming();
        }

        @Execute
        void run(@Named(IServiceConstants.ACTIVE_SELECTION) Object s, ParleyClient client,
                @Named(IServiceConstants.ACTIVE_SHELL) Shell shell) {
            whenDone(shell, client.removeContact(((PendingRequest) s).user().user()));
        }
    }
}
