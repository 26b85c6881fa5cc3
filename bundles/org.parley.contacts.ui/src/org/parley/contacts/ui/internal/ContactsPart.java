package org.parley.contacts.ui.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.jface.resource.LocalResourceManager;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnViewerToolTipSupport;
import org.eclipse.jface.viewers.DecorationOverlayIcon;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.ViewerFilter;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.parley.client.core.ClientListener;
import org.parley.client.core.ParleyClient;
import org.parley.contacts.ui.ContactsContext;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Contacts;
import org.parley.protocol.message.Conversations;
import org.parley.ui.ChatOpener;
import org.parley.ui.Icons;
import org.parley.ui.ParleyUi;

/**
 * Contacts with their presence, the contact requests waiting for an answer, and the conversations with their
 * unread counts. Double-click a contact or a conversation to open its chat.
 */
public class ContactsPart {

    @Inject
    ParleyClient client;
    // Optional: only needed to open chats (a test may show the view outside a workbench).
    @Inject
    @Optional
    EPartService parts;
    @Inject
    @Optional
    EModelService models;
    @Inject
    @Optional
    MApplication application;

    private Display display;
    private Text filter;
    private TableViewer contacts;
    private TableViewer requests;
    private TableViewer conversations;
    private final Map<String, Contacts.UserInfo> contactsByName = new HashMap<>();
    private final Map<Long, Conversations.ConversationInfo> conversationsById = new HashMap<>();
    private ClientListener listener;
    private java.util.Map<Contacts.Presence, org.eclipse.swt.graphics.Image> presenceIcons;
    private ContactDecorators decorators;
    private final Map<String, ContactDecorators.Decorations> decorations = new HashMap<>();
    private LocalResourceManager resources;
    private boolean conversationsDirty;
    /** When something last happened in each conversation this session (messages seen), for the order. */
    private final Map<Long, Long> activity = new HashMap<>();
    private ColumnLabelProvider contactLabels;

    @PostConstruct
    void create(Composite parent) {
        display = parent.getDisplay();
        presenceIcons = presenceIcons(display);
        resources = new LocalResourceManager(JFaceResources.getResources(), parent);
        decorators = new ContactDecorators(new ContactsContext() {
            @Override
            public ParleyClient client() {
                return client;
            }

            @Override
            public Shell shell() {
                return parent.getShell();
            }

            @Override
            public void refresh() {
                display.asyncExec(() -> {
                    if (!contacts.getControl().isDisposed()) {
                        decorations.clear();
                        contacts.refresh(true);
                    }
                });
            }
        });
        GridLayoutFactory.fillDefaults().margins(6, 6).numColumns(2).applyTo(parent);
        filter = new Text(parent, SWT.SEARCH | SWT.ICON_SEARCH | SWT.ICON_CANCEL);
        filter.setMessage("Filter");
        GridDataFactory.fillDefaults().grab(true, false).applyTo(filter);
        Button add = new Button(parent, SWT.PUSH);
        add.setText("&Add contact…");
        add.setImage(Icons.image(Icons.ADD_CONTACT));
        add.addListener(SWT.Selection, e -> AddContactHandler.ask(add.getShell(), client));

        contacts = table(parent, "Contacts", contactLabels = new ColumnLabelProvider() {
            @Override
            public String getText(Object o) {
                Contacts.UserInfo u = (Contacts.UserInfo) o;
                String status = u.statusText().isEmpty() ? "" : " — " + u.statusText();
                ContactDecorators.Decorations d = decorations(u);
                return d.prefix + u.displayName() + " (" + u.user() + ")" + status + d.suffix;
            }

            @Override
            public org.eclipse.swt.graphics.Image getImage(Object o) {
                Contacts.UserInfo u = (Contacts.UserInfo) o;
                org.eclipse.swt.graphics.Image base = presenceIcons.get(u.presence());
                ContactDecorators.Decorations d = decorations(u);
                return d.hasOverlay ? resources.create(new DecorationOverlayIcon(base, d.overlays,
                        new org.eclipse.swt.graphics.Point(16, 16))) : base;
            }

            @Override
            public String getToolTipText(Object o) {
                Contacts.UserInfo u = (Contacts.UserInfo) o;
                StringBuilder tip = new StringBuilder(u.displayName() + " (" + u.user() + ") is "
                        + u.presence().name().toLowerCase());
                if (!u.statusText().isEmpty()) {
                    tip.append(": ").append(u.statusText());
                }
                decorations(u).toolTip.forEach(line -> tip.append('\n').append(line));
                return tip.toString();
            }

            @Override
            public Color getForeground(Object o) {
                return ((Contacts.UserInfo) o).presence() == Contacts.Presence.OFFLINE
                        ? display.getSystemColor(SWT.COLOR_DARK_GRAY) : null;
            }
        });
        ColumnViewerToolTipSupport.enableFor(contacts);
        contacts.addFilter(new ViewerFilter() {
            @Override
            public boolean select(org.eclipse.jface.viewers.Viewer v, Object parentElement, Object o) {
                String f = filter.getText().strip().toLowerCase();
                Contacts.UserInfo u = (Contacts.UserInfo) o;
                return f.isEmpty() || u.user().contains(f) || u.displayName().toLowerCase().contains(f);
            }
        });
        filter.addListener(SWT.Modify, e -> contacts.refresh());
        contacts.addDoubleClickListener(e -> openDirect(
                (Contacts.UserInfo) ((IStructuredSelection) e.getSelection()).getFirstElement()));

        requests = table(parent, "Contact requests (double-click to accept)", new ColumnLabelProvider() {
            @Override
            public String getText(Object o) {
                Contacts.UserInfo u = (Contacts.UserInfo) o;
                return u.displayName() + " (" + u.user() + ") wants to be your contact";
            }
        });
        requests.addDoubleClickListener(e -> answer(
                (Contacts.UserInfo) ((IStructuredSelection) e.getSelection()).getFirstElement()));

        conversations = table(parent, "Conversations", new ColumnLabelProvider() {
            @Override
            public String getText(Object o) {
                Conversations.ConversationInfo c = (Conversations.ConversationInfo) o;
                String prefix = c.kind() == Conversations.Kind.GROUP ? "# " : "@ ";
                return prefix + c.title() + (c.unread() > 0 ? "   (" + c.unread() + " unread)" : "");
            }
        });
        conversations.addDoubleClickListener(e -> open(
                (Conversations.ConversationInfo) ((IStructuredSelection) e.getSelection()).getFirstElement()));

        listener = ParleyUi.onDisplay(client, contacts.getControl(), new ClientListener() {
            @Override
            public void presenceChanged(Contacts.PresenceChanged p) {
                Contacts.UserInfo old = contactsByName.get(p.user());
                if (old != null) {
                    contactsByName.put(p.user(), new Contacts.UserInfo(old.user(), old.displayName(), p.presence(),
                            p.statusText()));
                    showContacts();
                }
            }

            @Override
            public void contactRequested(Contacts.UserInfo from) {
                reload();
            }

            @Override
            public void contactAdded(Contacts.UserInfo contact) {
                reload();
            }

            @Override
            public void contactRemoved(String user) {
                reload();
            }

            @Override
            public void conversationUpdated(Conversations.ConversationInfo c) {
                conversationsById.put(c.id(), c);
                showConversations();
            }

            @Override
            public void conversationRemoved(long id) {
                conversationsById.remove(id);
                showConversations();
            }

            @Override
            public void message(Chat.ChatMessage m) {
                Conversations.ConversationInfo c = conversationsById.get(m.conversationId());
                if (c == null) {
                    reload();
                    return;
                }
                activity.merge(m.conversationId(), m.timestamp(), Math::max);
                boolean showing = isShowing(m.conversationId());
                conversationsById.put(c.id(), new Conversations.ConversationInfo(c.id(), c.kind(), c.title(),
                        c.members(), Math.max(c.lastSeq(), m.seq()), showing ? 0 : c.unread() + 1, c.createdAt()));
                showConversationsSoon(); // catching up can bring thousands at once: one refresh for all
            }

            @Override
            public void messageSent(Chat.ChatMessage m) {
                activity.merge(m.conversationId(), m.timestamp(), Math::max);
                showConversationsSoon();
            }

            @Override
            public void receiptChanged(Chat.ReceiptChanged r) {
                Conversations.ConversationInfo c = conversationsById.get(r.conversationId());
                if (c != null && r.user().equals(client.user())) {
                    conversationsById.put(c.id(), new Conversations.ConversationInfo(c.id(), c.kind(), c.title(),
                            c.members(), c.lastSeq(), Math.max(0, c.lastSeq() - r.readUpTo()), c.createdAt()));
                    showConversations();
                }
            }
        });
        reload();
    }

    /** Presence as a small coloured disc: green online, amber away, hollow grey offline. */
    private static java.util.Map<Contacts.Presence, org.eclipse.swt.graphics.Image> presenceIcons(Display d) {
        java.util.Map<Contacts.Presence, org.eclipse.swt.graphics.Image> icons = new java.util.EnumMap<>(
                Contacts.Presence.class);
        int[][] rgb = {{46, 160, 67}, {230, 160, 20}, {150, 150, 150}};
        Contacts.Presence[] order = {Contacts.Presence.ONLINE, Contacts.Presence.AWAY, Contacts.Presence.OFFLINE};
        for (int i = 0; i < order.length; i++) {
            org.eclipse.swt.graphics.ImageData data = new org.eclipse.swt.graphics.ImageData(16, 16, 32,
                    new org.eclipse.swt.graphics.PaletteData(0xFF0000, 0xFF00, 0xFF));
            data.alphaData = new byte[16 * 16];
            org.eclipse.swt.graphics.Image img = new org.eclipse.swt.graphics.Image(d, data);
            org.eclipse.swt.graphics.GC gc = new org.eclipse.swt.graphics.GC(img);
            gc.setAntialias(SWT.ON);
            Color c = new Color(rgb[i][0], rgb[i][1], rgb[i][2]);
            if (order[i] == Contacts.Presence.OFFLINE) {
                gc.setForeground(c);
                gc.setLineWidth(2);
                gc.drawOval(3, 3, 9, 9);
            } else {
                gc.setBackground(c);
                gc.fillOval(2, 2, 12, 12);
            }
            gc.dispose();
            icons.put(order[i], img);
        }
        return icons;
    }

    private TableViewer table(Composite parent, String title, ColumnLabelProvider labels) {
        Label l = new Label(parent, SWT.NONE);
        l.setText(title);
        // No width of their own (hint 0): the view's width decides, and a narrow one (a column of an IDE) cuts the
        // long lines instead of pushing the part wider than its view.
        GridDataFactory.fillDefaults().span(2, 1).indent(0, 6).hint(0, SWT.DEFAULT).applyTo(l);
        TableViewer v = new TableViewer(parent, SWT.BORDER | SWT.SINGLE | SWT.FULL_SELECTION);
        v.setContentProvider(ArrayContentProvider.getInstance());
        v.setLabelProvider(labels);
        GridDataFactory.fillDefaults().grab(true, true).span(2, 1).hint(0, SWT.DEFAULT).applyTo(v.getControl());
        return v;
    }

    /** Fetches contacts, requests and conversations from the server (off the UI thread). */
    private void reload() {
        client.listContacts().thenAcceptBoth(client.listConversations(), (list, convs) -> display.asyncExec(() -> {
            if (contacts.getControl().isDisposed()) {
                return;
            }
            contactsByName.clear();
            list.contacts().forEach(u -> contactsByName.put(u.user(), u));
            requests.setInput(list.incoming());
            conversationsById.clear();
            convs.forEach(c -> conversationsById.put(c.id(), c));
            showContacts();
            showConversations();
        }));
    }

    /** A contact row's tooltip, as the view shows it on hover (for tests). */
    public String contactToolTip(Contacts.UserInfo contact) {
        return contactLabels.getToolTipText(contact);
    }

    /** Every decorator's say about a contact, asked once per refresh. */
    private ContactDecorators.Decorations decorations(Contacts.UserInfo u) {
        return decorations.computeIfAbsent(u.user(), k -> decorators.decorate(u));
    }

    private void showConversationsSoon() {
        if (!conversationsDirty) {
            conversationsDirty = true;
            display.asyncExec(() -> {
                conversationsDirty = false;
                if (!conversations.getControl().isDisposed()) {
                    showConversations();
                }
            });
        }
    }

    private void showContacts() {
        decorations.clear();
        List<Contacts.UserInfo> sorted = new ArrayList<>(contactsByName.values());
        sorted.sort((a, b) -> a.presence() == b.presence() ? a.user().compareTo(b.user())
                : Integer.compare(rank(a.presence()), rank(b.presence())));
        contacts.setInput(sorted);
    }

    private static int rank(Contacts.Presence p) {
        return p == Contacts.Presence.ONLINE ? 0 : p == Contacts.Presence.AWAY ? 1 : 2;
    }

    private void showConversations() {
        List<Conversations.ConversationInfo> sorted = new ArrayList<>(conversationsById.values());
        // Most recent activity first (sequence numbers count per conversation, so they cannot order them).
        sorted.sort((a, b) -> Long.compare(activity.getOrDefault(b.id(), b.createdAt()),
                activity.getOrDefault(a.id(), a.createdAt())));
        conversations.setInput(sorted);
    }

    private void answer(Contacts.UserInfo from) {
        if (from == null) {
            return;
        }
        boolean accept = MessageDialog.openQuestion(contacts.getControl().getShell(), "Contact request",
                "Accept " + from.displayName() + " (" + from.user() + ") as a contact?");
        client.answerContact(from.user(), accept).whenComplete((r, e) -> display.asyncExec(this::reload));
    }

    private void openDirect(Contacts.UserInfo user) {
        if (user != null) {
            client.openDirect(user.user()).thenAccept(c -> display.asyncExec(() -> open(c)));
        }
    }

    private boolean isShowing(long conversationId) {
        if (parts == null) {
            return false;
        }
        MPart p = ChatOpener.find(parts, conversationId);
        return p != null && parts.isPartVisible(p);
    }

    private void open(Conversations.ConversationInfo c) {
        if (c == null) {
            return;
        }
        if (parts == null || !ChatOpener.open(parts, models, application, c)) {
            MessageDialog.openInformation(contacts.getControl().getShell(), "Parley",
                    "The chat plug-in is not installed.");
            return;
        }
        conversationsById.put(c.id(), new Conversations.ConversationInfo(c.id(), c.kind(), c.title(), c.members(),
                c.lastSeq(), 0, c.createdAt()));
        showConversations();
    }

    @PreDestroy
    void dispose() {
        client.removeListener(listener);
        decorators.dispose();
        presenceIcons.values().forEach(org.eclipse.swt.graphics.Image::dispose);
    }
}
