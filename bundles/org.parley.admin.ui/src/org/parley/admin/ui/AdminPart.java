package org.parley.admin.ui;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.dialogs.InputDialog;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.window.Window;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.TabFolder;
import org.eclipse.swt.widgets.TabItem;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.parley.admin.core.AdminClient;
import org.parley.client.core.ParleyClient;
import org.parley.protocol.message.Admin;

import jakarta.annotation.PostConstruct;

/**
 * The Administration part: users, invitations, groups, the server's status and the audit log, each a tab. Every
 * request runs in a {@link Job} and its answer is shown on the display thread; a failure is shown in words in the
 * status line at the bottom. An account that is not an administrator sees only a sentence saying so.
 */
public final class AdminPart {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneId.systemDefault());

    private AdminClient admin;
    private Composite root;
    private Label status;
    private Text search;
    private Table users;
    private Table invitations;
    private Table groups;
    private Table audit;
    private Label serverStatus;
    private String lastUser = "";
    private long oldestAudit;

    @PostConstruct
    void create(Composite parent, ParleyClient client) {
        admin = new AdminClient(client);
        root = parent;
        parent.setLayout(new GridLayout(1, false));
        if (!admin.isAdmin()) {
            Label no = new Label(parent, SWT.WRAP);
            no.setText(Messages.Admin_notAdmin);
            no.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
            return;
        }
        TabFolder tabs = new TabFolder(parent, SWT.TOP);
        tabs.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        tab(tabs, Messages.Tab_users, this::usersTab);
        tab(tabs, Messages.Tab_invitations, this::invitationsTab);
        tab(tabs, Messages.Tab_groups, this::groupsTab);
        tab(tabs, Messages.Tab_status, this::statusTab);
        tab(tabs, Messages.Tab_audit, this::auditTab);
        status = new Label(parent, SWT.WRAP);
        status.setLayoutData(new GridData(SWT.FILL, SWT.BOTTOM, true, false));
        loadUsers(true);
        loadInvitations();
        loadGroups();
        loadStatus();
        loadAudit(true);
    }

    private static void tab(TabFolder tabs, String label, Consumer<Composite> content) {
        TabItem item = new TabItem(tabs, SWT.NONE);
        item.setText(label);
        Composite c = new Composite(tabs, SWT.NONE);
        c.setLayout(new GridLayout(1, false));
        content.accept(c);
        item.setControl(c);
    }

    private static Composite buttons(Composite parent) {
        Composite row = new Composite(parent, SWT.NONE);
        row.setLayout(new org.eclipse.swt.layout.RowLayout(SWT.HORIZONTAL));
        return row;
    }

    private static Button button(Composite row, String label, Runnable action) {
        Button b = new Button(row, SWT.PUSH);
        b.setText(label);
        b.addListener(SWT.Selection, e -> action.run());
        return b;
    }

    private static Table table(Composite parent, String columns) {
        Table t = new Table(parent, SWT.BORDER | SWT.FULL_SELECTION | SWT.SINGLE);
        t.setHeaderVisible(true);
        t.setLinesVisible(true);
        t.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        for (String name : columns.split("\\|")) {
            TableColumn c = new TableColumn(t, SWT.NONE);
            c.setText(name);
            c.setWidth(110);
        }
        return t;
    }

    /** Widens each column to its header and contents (dates and names are never cut). */
    private static void fit(Table t) {
        for (TableColumn c : t.getColumns()) {
            c.pack();
            c.setWidth(Math.max(c.getWidth() + 8, 70));
        }
    }

    private static String time(long epochMillis) {
        return epochMillis <= 0 ? Messages.Users_never : TIME.format(Instant.ofEpochMilli(epochMillis));
    }

    static String bytes(long n) {
        if (n < 0) {
            return Messages.Status_unknown;
        }
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? n + " B" : String.format("%.1f %s", v, units[u]);
    }

    /**
     * Runs a request in a job and hands its answer to {@code done} on the display thread, if the part is still
     * there; a failure is shown in the status line, in words.
     */
    private <T> void run(String what, Supplier<CompletableFuture<T>> request, Consumer<T> done) {
        Job job = Job.create(Messages.Admin_title + ": " + what, (IProgressMonitor monitor) -> {
            T value;
            try {
                value = request.get().join();
            } catch (RuntimeException e) {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                show(NLS.bind(Messages.Admin_failed, what, cause.getMessage()));
                return Status.OK_STATUS;
            }
            root.getDisplay().asyncExec(() -> {
                if (!root.isDisposed()) {
                    done.accept(value);
                }
            });
            return Status.OK_STATUS;
        });
        job.setSystem(false);
        job.schedule();
    }

    private void show(String text) {
        root.getDisplay().asyncExec(() -> {
            if (status != null && !status.isDisposed()) {
                status.setText(text);
                status.getParent().layout(true, true);
            }
        });
    }

    private static void selected(Table t, Consumer<TableItem> action) {
        TableItem[] s = t.getSelection();
        if (s.length == 1) {
            action.accept(s[0]);
        }
    }

    // ---------------------------------------------------------------- users

    private void usersTab(Composite c) {
        Composite top = new Composite(c, SWT.NONE);
        top.setLayout(new GridLayout(3, false));
        top.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        search = new Text(top, SWT.BORDER | SWT.SEARCH);
        search.setMessage(Messages.Users_search);
        search.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        search.addListener(SWT.DefaultSelection, e -> loadUsers(true));
        button(top, Messages.Users_refresh, () -> loadUsers(true));
        button(top, Messages.Users_more, () -> loadUsers(false));
        users = table(c, Messages.Users_columns);
        Composite row = buttons(c);
        button(row, Messages.Users_create, this::createAccount);
        button(row, Messages.Users_disable, () -> selected(users, i -> {
            String user = i.getText(0);
            if (MessageDialog.openConfirm(root.getShell(), Messages.Admin_title,
                    NLS.bind(Messages.Users_confirmDisable, user))) {
                change(Messages.Users_disable + " " + user, () -> admin.disable(user));
            }
        }));
        // What a request needs is read from the row here, on the display thread; the request runs in a job.
        button(row, Messages.Users_enable, () -> selected(users, i -> {
            String user = i.getText(0);
            change(Messages.Users_enable + " " + user, () -> admin.enable(user));
        }));
        button(row, Messages.Users_reset, () -> selected(users, i -> {
            String user = i.getText(0);
            run(Messages.Users_reset, () -> admin.resetPassword(user), code -> MessageDialog.openInformation(
                    root.getShell(), Messages.Users_resetTitle, NLS.bind(Messages.Users_resetMessage,
                            new Object[] {code.user(), code.code(), time(code.expiresAt())})));
        }));
        button(row, Messages.Users_makeAdmin, () -> selected(users, i -> {
            String user = i.getText(0);
            change(Messages.Users_makeAdmin + " " + user, () -> admin.setAdmin(user, true));
        }));
        button(row, Messages.Users_unmakeAdmin, () -> selected(users, i -> {
            String user = i.getText(0);
            change(Messages.Users_unmakeAdmin + " " + user, () -> admin.setAdmin(user, false));
        }));
    }

    /** Makes a change, says it is done, and reloads what it may have changed. */
    private void change(String what, Supplier<CompletableFuture<Void>> request) {
        run(what, request, x -> {
            status.setText(NLS.bind(Messages.Done, what));
            status.getParent().layout(true, true);
            loadUsers(true);
            loadInvitations();
            loadGroups();
            loadAudit(true);
        });
    }

    private void createAccount() {
        InputDialog name = new InputDialog(root.getShell(), Messages.Users_createTitle, Messages.Users_createName, "",
                null);
        if (name.open() != Window.OK) {
            return;
        }
        InputDialog password = new InputDialog(root.getShell(), Messages.Users_createTitle,
                Messages.Users_createPassword, "", null) {
            @Override
            protected int getInputTextStyle() {
                return SWT.SINGLE | SWT.BORDER | SWT.PASSWORD;
            }
        };
        if (password.open() != Window.OK) {
            return;
        }
        InputDialog display = new InputDialog(root.getShell(), Messages.Users_createTitle,
                Messages.Users_createDisplayName, "", null);
        if (display.open() != Window.OK) {
            return;
        }
        String user = name.getValue().strip();
        change(Messages.Users_create + " " + user, () -> admin.createAccount(user, password.getValue(),
                display.getValue().strip()));
    }

    private void loadUsers(boolean fromStart) {
        String query = search.getText();
        String after = fromStart ? "" : lastUser;
        run(Messages.Tab_users, () -> admin.users(query, after, 100), page -> {
            if (fromStart) {
                users.removeAll();
            }
            for (Admin.UserSummary u : page.users()) {
                TableItem item = new TableItem(users, SWT.NONE);
                item.setText(new String[] {u.user(), u.displayName(), u.admin() ? Messages.Users_yes : "",
                    u.disabled() ? Messages.Users_disabled : Messages.Users_enabled, time(u.createdAt()),
                    time(u.lastLoginAt()), bytes(u.quotaUsed()), String.valueOf(u.connections())});
                lastUser = u.user();
            }
            fit(users);
        });
    }

    // ---------------------------------------------------------------- invitations

    private void invitationsTab(Composite c) {
        invitations = table(c, Messages.Invitations_columns);
        Composite row = buttons(c);
        button(row, Messages.Invitations_create, () -> run(Messages.Invitations_create, admin::createInvitation,
                created -> {
                    MessageDialog.openInformation(root.getShell(), Messages.Tab_invitations,
                            NLS.bind(Messages.Invitations_created, created.code(), time(created.expiresAt())));
                    loadInvitations();
                }));
        button(row, Messages.Invitations_revoke, () -> selected(invitations, i -> {
            long id = Long.parseLong(i.getText(0));
            change(Messages.Invitations_revoke + " " + id, () -> admin.revokeInvitation(id));
        }));
    }

    private void loadInvitations() {
        run(Messages.Tab_invitations, admin::invitations, list -> {
            invitations.removeAll();
            for (Admin.InvitationInfo i : list) {
                TableItem item = new TableItem(invitations, SWT.NONE);
                item.setText(new String[] {String.valueOf(i.id()), i.createdBy(), time(i.createdAt()),
                    time(i.expiresAt()), i.usedBy(), i.revoked() ? Messages.Invitations_revoked
                            : i.usedBy().isEmpty() ? Messages.Invitations_unused : time(i.usedAt())});
            }
            fit(invitations);
        });
    }

    // ---------------------------------------------------------------- groups

    private void groupsTab(Composite c) {
        groups = table(c, Messages.Groups_columns);
        Composite row = buttons(c);
        button(row, Messages.Users_refresh, this::loadGroups);
        button(row, Messages.Groups_delete, () -> selected(groups, i -> {
            long id = Long.parseLong(i.getText(0));
            if (MessageDialog.openConfirm(root.getShell(), Messages.Groups_delete,
                    NLS.bind(Messages.Groups_confirmDelete, i.getText(1), i.getText(2)))) {
                change(Messages.Groups_delete + " " + i.getText(1), () -> admin.deleteGroup(id));
            }
        }));
    }

    private void loadGroups() {
        run(Messages.Tab_groups, () -> allGroups(), list -> {
            groups.removeAll();
            for (Admin.GroupSummary g : list) {
                TableItem item = new TableItem(groups, SWT.NONE);
                item.setText(new String[] {String.valueOf(g.id()), g.title(), String.valueOf(g.memberCount()),
                    String.valueOf(g.lastSeq()), time(g.createdAt()), String.join(", ", g.members())});
            }
            fit(groups);
        });
    }

    /** Every group, page after page (runs in the job). */
    private CompletableFuture<List<Admin.GroupSummary>> allGroups() {
        List<Admin.GroupSummary> out = new java.util.ArrayList<>();
        long after = 0;
        Admin.GroupPage page;
        do {
            page = admin.groups(after, 100).join();
            out.addAll(page.groups());
            if (!page.groups().isEmpty()) {
                after = page.groups().get(page.groups().size() - 1).id();
            }
        } while (page.more() && !page.groups().isEmpty() && out.size() < 10_000);
        return CompletableFuture.completedFuture(out);
    }

    // ---------------------------------------------------------------- status

    private void statusTab(Composite c) {
        serverStatus = new Label(c, SWT.WRAP);
        serverStatus.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        button(buttons(c), Messages.Users_refresh, this::loadStatus);
    }

    private void loadStatus() {
        run(Messages.Tab_status, admin::status, s -> {
            serverStatus.setText(NLS.bind(Messages.Status_text, new Object[] {s.version(), time(s.startedAt()),
                (s.now() - s.startedAt()) / 3_600_000, s.connections(), s.onlineUsers(), s.accounts(),
                bytes(s.storedBytes()), bytes(s.freeBytes()), bytes(s.quotaBytes())}));
            serverStatus.getParent().layout(true, true);
        });
    }

    // ---------------------------------------------------------------- audit log

    private void auditTab(Composite c) {
        audit = table(c, Messages.Audit_columns);
        Composite row = buttons(c);
        button(row, Messages.Users_refresh, () -> loadAudit(true));
        button(row, Messages.Audit_older, () -> loadAudit(false));
    }

    private void loadAudit(boolean fromNewest) {
        long before = fromNewest ? 0 : oldestAudit;
        run(Messages.Tab_audit, () -> admin.auditLog(before, 100), page -> {
            if (fromNewest) {
                audit.removeAll();
            }
            for (Admin.AuditEntry e : page.entries()) {
                TableItem item = new TableItem(audit, SWT.NONE);
                item.setText(new String[] {time(e.at()), e.actor(), e.action(), e.target(), e.detail()});
                oldestAudit = e.id();
            }
            fit(audit);
        });
    }

    /** For tests: the part's top control. */
    Control control() {
        return root;
    }
}
