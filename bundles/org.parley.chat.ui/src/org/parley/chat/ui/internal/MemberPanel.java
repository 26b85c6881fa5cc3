package org.parley.chat.ui.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.parley.client.core.ClientListener;
import org.parley.client.core.ParleyClient;
import org.parley.protocol.message.Contacts;
import org.parley.protocol.message.Conversations;
import org.parley.ui.Desktop;
import org.parley.ui.ParleyUi;
import org.parley.ui.PresenceIcons;

/**
 * A group chat's member list, at the right of the chat as in Slack's and Element's member panels: who is in the
 * group, by display name, the user first, then who is online, away, offline (presence is known for contacts;
 * others show without a dot), with "Add…" when the add-members command is there. The group's admins are marked
 * "Admin" in a second column, as Element marks a room's admins (docs/decisions/group-roles.md). To those who may
 * manage the members ({@link ParleyClient#mayManageMembers}: the group's admins; every member with a server of
 * protocol version 1, which has no roles) each row's context menu (also the Menu key or Shift+F10) offers "Make
 * admin" or "Remove admin" (version 2 only) and "Remove from group…" (also the Delete key), which asks first; to
 * anyone else no menu. What they do is shown as the server tells of it ({@link #members}, from
 * {@code ConversationUpdated}); a refusal is said in words. Each row carries its member's user name.
 */
final class MemberPanel {

    /** The member table's key (value: the conversation id), for tests. */
    static final String KEY = "org.parley.chat.members";

    private final ParleyClient client;
    private final Composite panel;
    private final Label title;
    private final Table table;
    private final TableColumn nameColumn;
    private final TableColumn roleColumn;
    private final Map<String, Contacts.UserInfo> contacts = new HashMap<>();
    private final ClientListener listener;
    private Conversations.ConversationInfo conversation;

    /** {@code addMembers}: runs Add members for the group (null: not offered). */
    MemberPanel(Composite parent, ParleyClient client, Runnable addMembers) {
        this.client = client;
        panel = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().margins(6, 6).numColumns(2).applyTo(panel);
        GridDataFactory.fillDefaults().grab(false, true).hint(200, SWT.DEFAULT).applyTo(panel);
        title = new Label(panel, SWT.NONE);
        title.setFont(JFaceResources.getFontRegistry().getBold(JFaceResources.DEFAULT_FONT));
        GridDataFactory.fillDefaults().grab(true, false).align(SWT.FILL, SWT.CENTER).applyTo(title);
        if (addMembers != null) {
            Button add = new Button(panel, SWT.PUSH);
            add.setText(Messages.MemberPanel_add);
            add.setToolTipText(Messages.MemberPanel_addTip);
            add.addListener(SWT.Selection, e -> addMembers.run());
        } else {
            new Label(panel, SWT.NONE);
        }
        table = new Table(panel, SWT.SINGLE | SWT.FULL_SELECTION | SWT.V_SCROLL);
        GridDataFactory.fillDefaults().grab(true, true).span(2, 1).applyTo(table);
        nameColumn = new TableColumn(table, SWT.LEFT);
        roleColumn = new TableColumn(table, SWT.RIGHT);
        table.addListener(SWT.Resize, e -> fitColumns());
        table.addListener(SWT.KeyDown, e -> {
            if (e.keyCode == SWT.DEL && e.stateMask == 0) {
                Conversations.Member m = selected();
                if (m != null && mayRemove(m)) {
                    remove(m);
                }
            }
        });
        table.addListener(SWT.MouseHover, e -> {
            TableItem i = table.getItem(new org.eclipse.swt.graphics.Point(e.x, e.y));
            table.setToolTipText(i == null ? null : (String) i.getData("tip"));
        });
        listener = ParleyUi.onDisplay(client, table, new ClientListener() {
            @Override
            public void presenceChanged(Contacts.PresenceChanged p) {
                Contacts.UserInfo old = contacts.get(p.user());
                if (old != null) {
                    contacts.put(p.user(), new Contacts.UserInfo(old.user(), old.displayName(), p.presence(),
                            p.statusText()));
                    show();
                }
            }

            @Override
            public void contactAdded(Contacts.UserInfo contact) {
                contacts.put(contact.user(), contact);
                show();
            }

            @Override
            public void contactRemoved(String user) {
                contacts.remove(user);
                show();
            }
        });
        table.addListener(SWT.Dispose, e -> client.removeListener(listener));
        client.listContacts().thenAccept(list -> table.getDisplay().asyncExec(() -> {
            if (!table.isDisposed()) {
                list.contacts().forEach(u -> contacts.put(u.user(), u));
                show();
            }
        }));
    }

    Composite control() {
        return panel;
    }

    /** Shows the group's members as {@code c} lists them. */
    void members(Conversations.ConversationInfo c) {
        conversation = c;
        table.setData(KEY, c.id());
        show();
    }

    private Contacts.Presence presence(String user) {
        if (user.equals(client.user())) {
            return Contacts.Presence.ONLINE; // this client is connected
        }
        Contacts.UserInfo u = contacts.get(user);
        return u == null ? null : u.presence();
    }

    private static int rank(Contacts.Presence p) {
        return p == Contacts.Presence.ONLINE ? 0 : p == Contacts.Presence.AWAY ? 1 : p == null ? 3 : 2;
    }

    private void show() {
        if (conversation == null || table.isDisposed()) {
            return;
        }
        List<String> users = new ArrayList<>(conversation.members().stream().map(Conversations.Member::user)
                .toList());
        String me = client.user();
        users.sort(Comparator.comparing((String u) -> !u.equals(me)).thenComparing(u -> rank(presence(u)))
                .thenComparing(u -> client.names().among(u, users).toLowerCase()));
        title.setText(NLS.bind(Messages.MemberPanel_title, users.size()));
        Conversations.Member wasSelected = selected();
        table.removeAll();
        for (String u : users) {
            TableItem i = new TableItem(table, SWT.NONE);
            String name = client.names().among(u, users);
            i.setText(0, u.equals(me) ? NLS.bind(Messages.MemberPanel_you, name) : name);
            boolean admin = member(u).admin();
            i.setText(1, admin ? Messages.MemberPanel_admin : "");
            i.setForeground(1, table.getDisplay().getSystemColor(SWT.COLOR_WIDGET_DARK_SHADOW));
            Contacts.Presence p = presence(u);
            i.setImage(p == null ? null : PresenceIcons.of(table.getDisplay(), p));
            i.setData(u);
            i.setData("presence", p);
            String said = p == Contacts.Presence.ONLINE ? Messages.MemberPanel_online
                    : p == Contacts.Presence.AWAY ? Messages.MemberPanel_away : Messages.MemberPanel_offline;
            String tip = p == null ? NLS.bind(Messages.MemberPanel_tipNoPresence, client.names().of(u), u)
                    : NLS.bind(Messages.MemberPanel_tip, new Object[] {client.names().of(u), u, said});
            i.setData("tip", admin ? NLS.bind(Messages.MemberPanel_tipAdmin, tip) : tip);
            if (wasSelected != null && wasSelected.user().equals(u)) {
                table.setSelection(i);
            }
        }
        // The actions on members only for those who may use them: no menu at all for anyone else.
        boolean may = client.mayManageMembers(conversation);
        if (may && table.getMenu() == null) {
            Menu menu = new Menu(table);
            menu.addListener(SWT.Show, e -> fillMenu(menu));
            table.setMenu(menu);
        } else if (!may && table.getMenu() != null) {
            table.getMenu().dispose();
            table.setMenu(null);
        }
        fitColumns();
        panel.layout(true, true);
    }

    /** The name column takes what the role column ("Admin", or nothing) leaves. */
    private void fitColumns() {
        if (table.isDisposed()) {
            return;
        }
        roleColumn.pack();
        nameColumn.setWidth(Math.max(20, table.getClientArea().width - roleColumn.getWidth()));
    }

    private Conversations.Member member(String user) {
        return conversation.members().stream().filter(m -> m.user().equals(user)).findFirst().orElseThrow();
    }

    /** The selected member as last told, or null. */
    private Conversations.Member selected() {
        TableItem[] s = table.getSelection();
        if (s.length == 0 || conversation == null) {
            return null;
        }
        String user = (String) s[0].getData();
        return conversation.members().stream().filter(m -> m.user().equals(user)).findFirst().orElse(null);
    }

    private boolean mayRemove(Conversations.Member m) {
        return client.mayManageMembers(conversation) && !m.user().equals(client.user()); // oneself: Leave group
    }

    /** The selected member's actions (none without a selection): roles with version 2, and removal. */
    private void fillMenu(Menu menu) {
        for (MenuItem old : menu.getItems()) {
            old.dispose();
        }
        Conversations.Member m = selected();
        if (m == null || !client.mayManageMembers(conversation)) {
            return;
        }
        if (client.protocolVersion() >= 2) {
            MenuItem role = new MenuItem(menu, SWT.PUSH);
            role.setText(m.admin() ? Messages.MemberPanel_removeAdmin : Messages.MemberPanel_makeAdmin);
            Conversations.Role to = m.admin() ? Conversations.Role.MEMBER : Conversations.Role.ADMIN;
            role.addListener(SWT.Selection, e -> act(client.setRole(conversation.id(), m.user(), to)));
        }
        if (mayRemove(m)) {
            MenuItem remove = new MenuItem(menu, SWT.PUSH);
            remove.setText(Messages.MemberPanel_remove);
            remove.addListener(SWT.Selection, e -> remove(m));
        }
    }

    /** Remove from group…: asks first, naming the member and the group. */
    private void remove(Conversations.Member m) {
        MessageDialog ask = new MessageDialog(table.getShell(), Messages.MemberPanel_confirmTitle, null,
                NLS.bind(Messages.MemberPanel_confirm, new Object[] {client.names().of(m.user()), m.user(),
                        conversation.title()}), MessageDialog.CONFIRM, 1, Messages.MemberPanel_confirmButton,
                IDialogConstants.CANCEL_LABEL);
        if (ask.open() == 0) {
            act(client.removeMember(conversation.id(), m.user()));
        }
    }

    /** The list changes when the server tells of it; a refusal (not an admin any more, the last admin) in words. */
    private void act(java.util.concurrent.CompletableFuture<Void> request) {
        request.whenComplete((x, error) -> {
            if (error != null && !table.isDisposed()) {
                table.getDisplay().asyncExec(() -> {
                    if (!table.isDisposed()) {
                        MessageDialog.openError(table.getShell(), Messages.MemberPanel_errorTitle,
                                Desktop.inWords(error));
                    }
                });
            }
        });
    }
}
