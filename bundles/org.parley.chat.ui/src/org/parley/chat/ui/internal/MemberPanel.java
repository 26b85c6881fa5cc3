package org.parley.chat.ui.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.parley.client.core.ClientListener;
import org.parley.client.core.ParleyClient;
import org.parley.protocol.message.Contacts;
import org.parley.protocol.message.Conversations;
import org.parley.ui.ParleyUi;
import org.parley.ui.PresenceIcons;

/**
 * A group chat's member list, at the right of the chat as in Slack's and Element's member panels: who is in the
 * group, by display name, the user first, then who is online, away, offline (presence is known for contacts;
 * others show without a dot), with "Add…" when the add-members command is there. Each row carries its member's
 * user name, for actions on members (remove, make admin) where the protocol allows them.
 */
final class MemberPanel {

    /** The member table's key (value: the conversation id), for tests. */
    static final String KEY = "org.parley.chat.members";

    private final ParleyClient client;
    private final Composite panel;
    private final Label title;
    private final Table table;
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
        table.removeAll();
        for (String u : users) {
            TableItem i = new TableItem(table, SWT.NONE);
            String name = client.names().among(u, users);
            i.setText(u.equals(me) ? NLS.bind(Messages.MemberPanel_you, name) : name);
            Contacts.Presence p = presence(u);
            i.setImage(p == null ? null : PresenceIcons.of(table.getDisplay(), p));
            i.setData(u);
            i.setData("presence", p);
            String said = p == Contacts.Presence.ONLINE ? Messages.MemberPanel_online
                    : p == Contacts.Presence.AWAY ? Messages.MemberPanel_away : Messages.MemberPanel_offline;
            i.setData("tip", p == null ? NLS.bind(Messages.MemberPanel_tipNoPresence, client.names().of(u), u)
                    : NLS.bind(Messages.MemberPanel_tip, new Object[] {client.names().of(u), u, said}));
        }
        panel.layout(true, true);
    }
}
