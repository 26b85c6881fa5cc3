package org.parley.chat.ui.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.parley.client.core.ParleyClient;
import org.parley.protocol.message.Conversations;

/**
 * A group's members, its admins marked (docs/decisions/group-roles.md). "Make admin" and "Remove" are offered only
 * to those who may use them ({@link ParleyClient#mayManageMembers}): the group's admins (every member with a server
 * of protocol version 1, which has no roles and no "Make admin"). A window of its own, not modal: it follows the
 * group as the server tells of changes ({@link #show}), and a refusal is said in it.
 */
final class MembersWindow {

    /** What marks an admin in the list. */
    static final String ADMIN_MARK = " — admin";

    private final ParleyClient client;
    private final Shell shell;
    private final Table table;
    private final Button makeAdmin;
    private final Button remove;
    private final Label problem;
    private Conversations.ConversationInfo info;

    MembersWindow(Shell parent, ParleyClient client, Conversations.ConversationInfo info) {
        this.client = client;
        shell = new Shell(parent, SWT.DIALOG_TRIM | SWT.RESIZE);
        GridLayoutFactory.swtDefaults().numColumns(2).applyTo(shell);
        table = new Table(shell, SWT.BORDER | SWT.SINGLE | SWT.FULL_SELECTION);
        GridDataFactory.fillDefaults().grab(true, true).span(2, 1).hint(320, 220).applyTo(table);
        makeAdmin = new Button(shell, SWT.PUSH);
        makeAdmin.setText("Make admin");
        makeAdmin.setToolTipText("Make the selected member an admin of the group");
        remove = new Button(shell, SWT.PUSH);
        remove.setText("Remove");
        remove.setToolTipText("Remove the selected member from the group");
        GridDataFactory.swtDefaults().applyTo(makeAdmin);
        GridDataFactory.swtDefaults().applyTo(remove);
        problem = new Label(shell, SWT.WRAP);
        GridDataFactory.fillDefaults().grab(true, false).span(2, 1).applyTo(problem);
        table.addListener(SWT.Selection, e -> enable());
        makeAdmin.addListener(SWT.Selection, e -> act(user -> client.setRole(info().id(), user,
                Conversations.Role.ADMIN)));
        remove.addListener(SWT.Selection, e -> act(user -> client.removeMember(info().id(), user)));
        show(info);
        shell.pack();
        shell.open();
    }

    private Conversations.ConversationInfo info() {
        return info;
    }

    Shell shell() {
        return shell;
    }

    boolean isDisposed() {
        return shell.isDisposed();
    }

    /** Shows the group as now told: its members (admins marked) and what the user may do. */
    void show(Conversations.ConversationInfo c) {
        if (shell.isDisposed()) {
            return;
        }
        info = c;
        shell.setText("Members of " + c.title());
        String selected = selectedUser();
        table.removeAll();
        List<String> users = c.members().stream().map(Conversations.Member::user).toList();
        for (Conversations.Member m : c.members()) {
            TableItem item = new TableItem(table, SWT.NONE);
            String name = client.names().among(m.user(), users);
            String shown = name.equals(m.user()) ? name : name + " (" + m.user() + ")";
            item.setText(shown + (m.admin() ? ADMIN_MARK : ""));
            item.setData(m);
            if (m.user().equals(selected)) {
                table.setSelection(item);
            }
        }
        boolean may = client.mayManageMembers(c);
        // Version 1 servers have no roles: nobody is named admin there.
        for (Button b : List.of(makeAdmin, remove)) {
            boolean shows = may && (b != makeAdmin || client.protocolVersion() >= 2);
            b.setVisible(shows);
            ((org.eclipse.swt.layout.GridData) b.getLayoutData()).exclude = !shows;
        }
        shell.layout(true, true);
        enable();
    }

    private String selectedUser() {
        TableItem[] s = table.getSelection();
        return s.length == 0 ? null : ((Conversations.Member) s[0].getData()).user();
    }

    private Conversations.Member selected() {
        TableItem[] s = table.getSelection();
        return s.length == 0 ? null : (Conversations.Member) s[0].getData();
    }

    private void enable() {
        Conversations.Member m = selected();
        boolean other = m != null && !m.user().equals(client.user());
        makeAdmin.setEnabled(other && !m.admin());
        remove.setEnabled(other);
    }

    private void act(java.util.function.Function<String, CompletableFuture<Void>> request) {
        Conversations.Member m = selected();
        if (m == null) {
            return;
        }
        problem.setText("");
        request.apply(m.user()).whenComplete((x, error) -> shell.getDisplay().asyncExec(() -> {
            if (error != null && !problem.isDisposed()) {
                Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                problem.setText(String.valueOf(cause.getMessage()));
                shell.layout(true, true);
            }
        }));
    }
}
