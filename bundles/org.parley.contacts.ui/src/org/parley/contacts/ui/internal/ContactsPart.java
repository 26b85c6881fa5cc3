package org.parley.contacts.ui.internal;

import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.function.Supplier;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

import org.eclipse.e4.core.commands.ECommandService;
import org.eclipse.e4.core.commands.EHandlerService;
import org.eclipse.e4.core.contexts.EclipseContextFactory;
import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.services.IServiceConstants;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.eclipse.e4.ui.workbench.modeling.ESelectionService;
import org.eclipse.core.commands.ParameterizedCommand;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.jface.resource.LocalResourceManager;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.ColumnViewerToolTipSupport;
import org.eclipse.jface.viewers.DecorationOverlayIcon;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.StyledCellLabelProvider;
import org.eclipse.jface.viewers.StyledString;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.ViewerCell;
import org.eclipse.jface.viewers.ViewerFilter;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
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
 * The sidebar: one list of conversations (1:1 and groups) with avatar, name, last message, time and unread badge,
 * most recent first and re-sorted as messages come; the contact requests (incoming: accept or decline; outgoing:
 * pending, cancel); the contacts with presence. A new user sees what to do instead of empty lists. Enter or a
 * double-click opens a chat; the context menu (right click, Shift+F10, the Menu key) offers the sidebar's commands
 * (E4 commands and handlers, {@link SidebarHandlers}), Delete removes, Ctrl+C copies a user name.
 */
public class ContactsPart {

    /** The key each of the sidebar's tables carries (with {@link #CONVERSATIONS}, {@link #REQUESTS}, ...). */
    public static final String LIST = "org.parley.contacts.ui.list";
    public static final String CONVERSATIONS = "conversations";
    public static final String REQUESTS = "requests";
    public static final String CONTACTS = "contacts";
    /** The empty state's composite carries this key (value "empty"), for tests. */
    public static final String EMPTY = "org.parley.contacts.ui.empty";

    static final String CMD = "org.parley.contacts.ui.command.";
    /** The sidebar's commands, in the context menus' order. */
    static final String OPEN = CMD + "open";
    static final String MARK_READ = CMD + "markRead";
    static final String COPY_USER = CMD + "copyUser";
    static final String REMOVE_CONTACT = CMD + "removeContact";
    static final String LEAVE_GROUP = CMD + "leaveGroup";
    static final String ACCEPT = CMD + "accept";
    static final String DECLINE = CMD + "decline";
    static final String CANCEL_REQUEST = CMD + "cancelRequest";
    static final String ADD_MEMBERS = CMD + "addMembers";
    static final String RENAME_GROUP = CMD + "renameGroup";
    private static final int FETCHES_IN_FLIGHT = 4;

    @Inject
    ParleyClient client;
    // Optional: only needed to open chats and run commands (a test may show the view outside a workbench).
    @Inject
    @Optional
    EPartService parts;
    @Inject
    @Optional
    EModelService models;
    @Inject
    @Optional
    MApplication application;
    @Inject
    @Optional
    EHandlerService handlers;
    @Inject
    @Optional
    ECommandService commands;
    @Inject
    @Optional
    ESelectionService selections;

    /** The clock the times are told by (a seam for tests; the system's by default). */
    Supplier<ZonedDateTime> now = ZonedDateTime::now;

    private Display display;
    private Composite root;
    private Text filter;
    private Composite empty;
    private Label emptyText;
    private Button emptyAction;
    private Label conversationsTitle;
    private TableViewer conversations;
    private Label requestsTitle;
    private TableViewer requests;
    private Composite requestButtons;
    private Button accept;
    private Button decline;
    private Button cancel;
    private Label contactsTitle;
    private TableViewer contacts;
    private ConversationPainter painter;
    private final Map<String, Contacts.UserInfo> contactsByName = new HashMap<>();
    private final List<PendingRequest> pending = new ArrayList<>();
    private final Map<Long, Conversations.ConversationInfo> conversationsById = new HashMap<>();
    /** The newest message of each conversation seen so far (fetched at the start, then as they come). */
    private final Map<Long, Chat.ChatMessage> last = new HashMap<>();
    /**
     * Per conversation, the seqs of the entries that are no message to read (docs/protocol.md, "Receipts and unread
     * counts": edits, deletions, SYSTEM lines, the user's own messages) heard since the list was fetched and above
     * the user's read mark: not unread when the mark moves to before them.
     */
    private final Map<Long, NavigableSet<Long>> changes = new HashMap<>();
    private final Deque<Long> toFetch = new ArrayDeque<>();
    private int fetching;
    private ClientListener listener;
    private ContactDecorators decorators;
    private final Map<String, ContactDecorators.Decorations> decorations = new HashMap<>();
    private LocalResourceManager resources;
    private boolean conversationsDirty;
    private boolean loaded;
    private ColumnLabelProvider contactTips;

    @PostConstruct
    void create(Composite parent) {
        display = parent.getDisplay();
        root = parent;
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
        GridLayoutFactory.fillDefaults().margins(6, 6).spacing(4, 4).numColumns(3).applyTo(parent);
        filter = new Text(parent, SWT.SEARCH | SWT.ICON_SEARCH | SWT.ICON_CANCEL);
        filter.setMessage(Messages.Sidebar_filter);
        GridDataFactory.fillDefaults().grab(true, false).hint(0, SWT.DEFAULT).applyTo(filter);
        Button add = iconButton(parent, Icons.ADD_CONTACT, Messages.Sidebar_addContact, "org.parley.contacts.ui"
                + ".command.add", () -> AddContactHandler.ask(parent.getShell(), client));
        iconButton(parent, Icons.NEW_GROUP, Messages.Sidebar_newGroup, "org.parley.contacts.ui.command.group",
                null);
        add.setData(LIST, "add");

        empty = new Composite(parent, SWT.NONE);
        empty.setData(EMPTY, "empty");
        GridLayoutFactory.fillDefaults().margins(8, 16).applyTo(empty);
        GridDataFactory.fillDefaults().grab(true, false).span(3, 1).hint(0, SWT.DEFAULT).applyTo(empty);
        Label emptyTitle = new Label(empty, SWT.WRAP | SWT.CENTER);
        emptyTitle.setText(Messages.Sidebar_emptyTitle);
        emptyTitle.setFont(JFaceResources.getFontRegistry().getBold(JFaceResources.DEFAULT_FONT));
        GridDataFactory.fillDefaults().grab(true, false).hint(0, SWT.DEFAULT).applyTo(emptyTitle);
        emptyText = new Label(empty, SWT.WRAP | SWT.CENTER);
        emptyText.setText(Messages.Sidebar_emptyNoContacts);
        GridDataFactory.fillDefaults().grab(true, false).hint(0, SWT.DEFAULT).indent(0, 4).applyTo(emptyText);
        emptyAction = new Button(empty, SWT.PUSH);
        emptyAction.setText(Messages.Sidebar_addContact);
        emptyAction.setImage(Icons.image(Icons.ADD_CONTACT));
        GridDataFactory.swtDefaults().align(SWT.CENTER, SWT.CENTER).indent(0, 8).applyTo(emptyAction);
        emptyAction.addListener(SWT.Selection, e -> {
            if (contactsByName.isEmpty()) {
                run("org.parley.contacts.ui.command.add", null, () -> AddContactHandler.ask(parent.getShell(),
                        client));
            } else {
                run("org.parley.contacts.ui.command.group", null, null);
            }
        });

        conversationsTitle = title(parent, Messages.Sidebar_conversations);
        painter = new ConversationPainter(() -> now.get());
        conversations = table(parent, CONVERSATIONS, painter, 3);
        conversations.addDoubleClickListener(e -> open(selected(conversations) instanceof ConversationRow r
                ? r.conversation() : null));
        menu(conversations, List.of(OPEN, MARK_READ, COPY_USER, ADD_MEMBERS, RENAME_GROUP, REMOVE_CONTACT,
                LEAVE_GROUP));

        requestsTitle = title(parent, Messages.Sidebar_requests);
        requests = table(parent, REQUESTS, new ColumnLabelProvider() {
            @Override
            public String getText(Object o) {
                PendingRequest r = (PendingRequest) o;
                return NLS.bind(r.incoming() ? Messages.Request_incoming : Messages.Request_outgoing,
                        r.user().displayName(), r.user().user());
            }

            @Override
            public Image getImage(Object o) {
                return Icons.image(Icons.ADD_CONTACT);
            }
        }, 0);
        requestRows(requests.getTable());
        requests.addDoubleClickListener(e -> {
            if (selected(requests) instanceof PendingRequest r && r.incoming()) {
                answer(r.user());
            }
        });
        menu(requests, List.of(ACCEPT, DECLINE, CANCEL_REQUEST, COPY_USER));
        requestButtons = new Composite(parent, SWT.NONE);
        // in a row while they fit, wrapped under each other in a narrow sidebar (never cut)
        org.eclipse.swt.layout.RowLayout buttonRows = new org.eclipse.swt.layout.RowLayout(SWT.HORIZONTAL);
        buttonRows.wrap = true;
        buttonRows.marginLeft = buttonRows.marginRight = buttonRows.marginTop = buttonRows.marginBottom = 0;
        requestButtons.setLayout(buttonRows);
        GridDataFactory.fillDefaults().span(3, 1).hint(0, SWT.DEFAULT).applyTo(requestButtons);
        accept = requestButton(Messages.Request_accept, ACCEPT);
        decline = requestButton(Messages.Request_decline, DECLINE);
        cancel = requestButton(Messages.Request_cancel, CANCEL_REQUEST);
        requests.addSelectionChangedListener(e -> enableRequestButtons());

        contactsTitle = title(parent, Messages.Sidebar_contacts);
        contacts = table(parent, CONTACTS, new ContactLabels(), 2);
        contacts.addDoubleClickListener(e -> openDirect(selected(contacts) instanceof Contacts.UserInfo u ? u
                : null));
        menu(contacts, List.of(OPEN, COPY_USER, REMOVE_CONTACT));
        ColumnViewerToolTipSupport.enableFor(contacts);

        ViewerFilter byName = new ViewerFilter() {
            @Override
            public boolean select(org.eclipse.jface.viewers.Viewer v, Object parentElement, Object o) {
                String f = filter.getText().strip().toLowerCase();
                if (f.isEmpty()) {
                    return true;
                }
                if (o instanceof Contacts.UserInfo u) {
                    return u.user().contains(f) || u.displayName().toLowerCase().contains(f);
                }
                if (o instanceof ConversationRow r) {
                    return r.name().toLowerCase().contains(f) || (r.otherUser() != null && r.otherUser()
                            .contains(f));
                }
                return true;
            }
        };
        contacts.addFilter(byName);
        conversations.addFilter(byName);
        filter.addListener(SWT.Modify, e -> {
            contacts.refresh();
            conversations.refresh();
        });
        // Down from the filter goes to the first conversation, as in Slack's and Element's quick switchers.
        filter.addListener(SWT.KeyDown, e -> {
            if (e.keyCode == SWT.ARROW_DOWN && conversations.getTable().getItemCount() > 0) {
                conversations.getTable().setFocus();
                conversations.getTable().setSelection(0);
                conversations.setSelection(conversations.getSelection(), true);
                e.doit = false;
            }
        });

        listener = ParleyUi.onDisplay(client, contacts.getControl(), new Listener());
        // a display name learnt (a 1:1 with someone who is not a contact) or renamed: the rows show it
        client.names().addListener(namesListener);
        contacts.getControl().addListener(SWT.Dispose, e -> client.names().removeListener(namesListener));
        showSections();
        reload();
        // the times say "Yesterday" once midnight has passed
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            if (!conversations.getControl().isDisposed()) {
                conversations.refresh(true);
                display.timerExec(60_000, tick[0]);
            }
        };
        display.timerExec(60_000, tick[0]);
    }

    private final class Listener implements ClientListener {
        @Override
        public void presenceChanged(Contacts.PresenceChanged p) {
            Contacts.UserInfo old = contactsByName.get(p.user());
            if (old != null) {
                contactsByName.put(p.user(), new Contacts.UserInfo(old.user(), old.displayName(), p.presence(),
                        p.statusText()));
                showContacts();
                showConversations();
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
        public void contactDeclined(String user) {
            reload();
        }

        @Override
        public void contactRemoved(String user) {
            reload();
        }

        @Override
        public void conversationUpdated(Conversations.ConversationInfo c) {
            conversationsById.put(c.id(), c);
            fetchLastIfBehind(c);
            showConversations();
            learnNames(List.of(c));
        }

        @Override
        public void loggedIn(org.parley.protocol.message.Accounts.LoggedIn session) {
            if (loaded) {
                org.parley.ui.NameLookup.forget(client);
                reload(); // back after a reconnect: what changed meanwhile (a contact's new display name, say)
            }
        }

        @Override
        public void conversationRemoved(long id) {
            conversationsById.remove(id);
            last.remove(id);
            showConversations();
        }

        @Override
        public void message(Chat.ChatMessage m) {
            Conversations.ConversationInfo c = conversationsById.get(m.conversationId());
            if (c == null) {
                reload();
                return;
            }
            remember(m);
            boolean showing = isShowing(m.conversationId());
            boolean toRead = m.kind() != Chat.Kind.SYSTEM && !m.sender().equals(client.user());
            if (!toRead) {
                changes.computeIfAbsent(m.conversationId(), id -> new TreeSet<>()).add(m.seq());
            }
            boolean counts = !showing && toRead;
            conversationsById.put(c.id(), with(c, Math.max(c.lastSeq(), m.seq()), counts ? c.unread() + 1
                    : showing ? 0 : c.unread()));
            showConversationsSoon(); // catching up can bring thousands at once: one refresh for all
        }

        @Override
        public void messageEdited(Chat.ChatMessage edit) {
            changed(edit);
        }

        @Override
        public void messageDeleted(Chat.ChatMessage deletion) {
            changed(deletion);
        }

        /** An edit or deletion: not one more unread (docs/protocol.md, "Receipts and unread counts"). */
        private void changed(Chat.ChatMessage entry) {
            if (conversationsById.containsKey(entry.conversationId())) {
                changes.computeIfAbsent(entry.conversationId(), id -> new TreeSet<>()).add(entry.seq());
            }
        }

        @Override
        public void messageSent(Chat.ChatMessage m) {
            Conversations.ConversationInfo c = conversationsById.get(m.conversationId());
            remember(m);
            if (c != null) {
                changes.computeIfAbsent(c.id(), id -> new TreeSet<>()).add(m.seq()); // one's own: not unread
                conversationsById.put(c.id(), with(c, Math.max(c.lastSeq(), m.seq()), c.unread()));
            }
            showConversationsSoon();
        }

        @Override
        public void receiptChanged(Chat.ReceiptChanged r) {
            Conversations.ConversationInfo c = conversationsById.get(r.conversationId());
            if (c != null && r.user().equals(client.user())) {
                conversationsById.put(c.id(), with(c, c.lastSeq(), unreadAfter(c, r.readUpTo())));
                showConversations();
            }
        }
    }

    /**
     * The unread count once the user's read mark is {@code readUpTo}: the entries after it, less those that are no
     * message to read (edits, deletions, SYSTEM lines, one's own), and never more than before (a mark only moves
     * forward; the count before also leaves out such entries from before the list was fetched, which this sidebar
     * never heard of).
     */
    private long unreadAfter(Conversations.ConversationInfo c, long readUpTo) {
        NavigableSet<Long> heard = changes.getOrDefault(c.id(), new TreeSet<>());
        heard.headSet(readUpTo, true).clear(); // read: no longer needed
        long lastSeq = heard.isEmpty() ? c.lastSeq() : Math.max(c.lastSeq(), heard.last());
        long count = Math.max(0, lastSeq - readUpTo - heard.size());
        return Math.min(c.unread(), count);
    }

    /** The conversation with a new last seq and unread count, and everything else as it was. */
    private static Conversations.ConversationInfo with(Conversations.ConversationInfo c, long lastSeq, long unread) {
        return new Conversations.ConversationInfo(c.id(), c.kind(), c.title(), c.members(), lastSeq, unread,
                c.createdAt(), c.reactionRevision());
    }

    private void remember(Chat.ChatMessage m) {
        last.merge(m.conversationId(), m, (a, b) -> b.seq() >= a.seq() ? b : a);
    }

    /** Secondary text (a contact's user name and status) in grey, as Slack and Element show it. */
    private static final StyledString.Styler SECONDARY = new StyledString.Styler() {
        @Override
        public void applyStyles(org.eclipse.swt.graphics.TextStyle style) {
            style.foreground = new Color(0x6b, 0x6f, 0x76);
        }
    };

    /** A contact row: the display name (with the decorations' prefix and suffix), the user name and status in grey. */
    private final class ContactLabels extends StyledCellLabelProvider {
        @Override
        public void update(ViewerCell cell) {
            Contacts.UserInfo u = (Contacts.UserInfo) cell.getElement();
            ContactDecorators.Decorations d = decorations(u);
            StyledString s = new StyledString(d.prefix + u.displayName() + d.suffix);
            s.append("  " + u.user(), SECONDARY);
            if (!u.statusText().isEmpty()) {
                s.append(" \u2014 " + u.statusText(), SECONDARY);
            }
            cell.setText(s.getString());
            cell.setStyleRanges(s.getStyleRanges());
            Image base = org.parley.ui.PresenceIcons.of(display, u.presence());
            cell.setImage(d.hasOverlay ? resources.create(new DecorationOverlayIcon(base, d.overlays,
                    new org.eclipse.swt.graphics.Point(16, 16))) : base);
            if (u.presence() == Contacts.Presence.OFFLINE) {
                cell.setForeground(display.getSystemColor(SWT.COLOR_DARK_GRAY));
            } else {
                cell.setForeground(null);
            }
            super.update(cell);
        }

        @Override
        public String getToolTipText(Object o) {
            return contactToolTip((Contacts.UserInfo) o);
        }
    }

    private Button iconButton(Composite parent, String icon, String label, String command, Runnable fallback) {
        Button b = new Button(parent, SWT.PUSH | SWT.FLAT);
        b.setImage(Icons.image(icon));
        String plain = label.replace("&", "");
        b.setToolTipText(plain);
        b.getAccessible().addAccessibleListener(new org.eclipse.swt.accessibility.AccessibleAdapter() {
            @Override
            public void getName(org.eclipse.swt.accessibility.AccessibleEvent e) {
                e.result = plain;
            }
        });
        b.addListener(SWT.Selection, e -> run(command, null, fallback));
        return b;
    }

    /**
     * A request's row on two lines, each cut with an ellipsis to the sidebar's width: the person (display and user
     * name), then what the request is, in grey. The row's text (the label provider's) stays whole for
     * accessibility.
     */
    private void requestRows(org.eclipse.swt.widgets.Table table) {
        table.addListener(SWT.MeasureItem, e -> e.height = Math.max(e.height,
                2 * e.gc.getFontMetrics().getHeight() + 6));
        table.addListener(SWT.EraseItem, e -> e.detail &= ~SWT.FOREGROUND);
        table.addListener(SWT.PaintItem, e -> {
            if (!(e.item.getData() instanceof PendingRequest r)) {
                return;
            }
            org.eclipse.swt.graphics.GC gc = e.gc;
            org.eclipse.swt.graphics.Rectangle area = table.getClientArea();
            boolean selected = (e.detail & SWT.SELECTED) != 0;
            Image icon = Icons.image(Icons.ADD_CONTACT);
            int line = gc.getFontMetrics().getHeight();
            gc.drawImage(icon, e.x + 2, e.y + 3 + (line - icon.getBounds().height) / 2);
            int x = e.x + 2 + icon.getBounds().width + 6;
            int width = area.x + area.width - x - 4;
            gc.setForeground(display.getSystemColor(selected ? SWT.COLOR_LIST_SELECTION_TEXT
                    : SWT.COLOR_LIST_FOREGROUND));
            gc.drawString(ConversationPainter.fit(gc, r.user().displayName() + "  " + r.user().user(), width), x,
                    e.y + 3, true);
            if (!selected) {
                gc.setForeground(display.getSystemColor(SWT.COLOR_DARK_GRAY));
            }
            gc.drawString(ConversationPainter.fit(gc, r.incoming() ? Messages.Request_incomingLine
                    : Messages.Request_outgoingLine, width), x, e.y + 3 + line, true);
        });
    }

    private Button requestButton(String label, String command) {
        Button b = new Button(requestButtons, SWT.PUSH);
        b.setText(label);
        b.addListener(SWT.Selection, e -> run(command, selected(requests), null));
        return b;
    }

    private void enableRequestButtons() {
        Object s = selected(requests);
        boolean in = s instanceof PendingRequest r && r.incoming();
        boolean out = s instanceof PendingRequest r && !r.incoming();
        accept.setEnabled(in);
        decline.setEnabled(in);
        cancel.setEnabled(out);
    }

    private static Label title(Composite parent, String text) {
        Label l = new Label(parent, SWT.NONE);
        l.setText(text);
        l.setFont(JFaceResources.getFontRegistry().getBold(JFaceResources.DEFAULT_FONT));
        // No width of their own (hint 0): the view's width decides, and a narrow one (a column of an IDE) cuts the
        // long lines instead of pushing the part wider than its view.
        GridDataFactory.fillDefaults().span(3, 1).indent(0, 6).hint(0, SWT.DEFAULT).applyTo(l);
        return l;
    }

    private TableViewer table(Composite parent, String role, org.eclipse.jface.viewers.CellLabelProvider labels,
            int weight) {
        TableViewer v = new TableViewer(parent, SWT.SINGLE | SWT.FULL_SELECTION | SWT.V_SCROLL);
        v.getTable().setData(LIST, role);
        v.setContentProvider(ArrayContentProvider.getInstance());
        v.setLabelProvider(labels);
        GridDataFactory.fillDefaults().grab(true, weight > 0).span(3, 1).hint(0, weight > 0 ? 60 * weight : 60)
                .applyTo(v.getControl());
        v.addSelectionChangedListener(e -> {
            if (selections != null && !e.getSelection().isEmpty()) {
                selections.setSelection(((IStructuredSelection) e.getSelection()).getFirstElement());
            }
        });
        return v;
    }

    /**
     * The context menu of a list: the commands that apply to the selected row (their handlers' CanExecute),
     * with Delete and Ctrl+C shown where they work; the same commands from the keyboard.
     */
    private void menu(TableViewer v, List<String> ids) {
        if (handlers == null || commands == null) {
            return; // outside a workbench (a test of the view alone): no commands to offer
        }
        Menu menu = new Menu(v.getControl());
        menu.addListener(SWT.Show, e -> {
            for (MenuItem i : menu.getItems()) {
                i.dispose();
            }
            Object s = selected(v);
            for (String id : ids) {
                if (s == null || !canRun(id, s)) {
                    continue;
                }
                MenuItem item = new MenuItem(menu, SWT.PUSH);
                item.setText(label(id) + accelerator(id));
                item.setData("org.parley.contacts.ui.command", id);
                item.addListener(SWT.Selection, x -> run(id, s, null));
            }
        });
        v.getControl().setMenu(menu);
        v.getControl().addListener(SWT.KeyDown, e -> {
            Object s = selected(v);
            if (s == null) {
                return;
            }
            String id = e.keyCode == SWT.DEL ? firstRunnable(s, REMOVE_CONTACT, LEAVE_GROUP, CANCEL_REQUEST, DECLINE)
                    : (e.stateMask & SWT.MOD1) != 0 && e.keyCode == 'c' ? COPY_USER : null;
            if (id != null && canRun(id, s)) {
                e.doit = false;
                run(id, s, null);
            }
        });
    }

    private String firstRunnable(Object s, String... ids) {
        for (String id : ids) {
            if (canRun(id, s)) {
                return id;
            }
        }
        return null;
    }

    private static String accelerator(String id) {
        return switch (id) {
            case REMOVE_CONTACT, LEAVE_GROUP, CANCEL_REQUEST, DECLINE -> "\tDelete";
            case COPY_USER -> "\tCtrl+C";
            case OPEN -> "\tEnter";
            default -> "";
        };
    }

    static String label(String id) {
        return switch (id) {
            case OPEN -> Messages.Menu_open;
            case MARK_READ -> Messages.Menu_markRead;
            case COPY_USER -> Messages.Menu_copyUser;
            case REMOVE_CONTACT -> Messages.Menu_removeContact;
            case LEAVE_GROUP -> Messages.Menu_leaveGroup;
            case ACCEPT -> Messages.Request_accept;
            case DECLINE -> Messages.Request_decline;
            case CANCEL_REQUEST -> Messages.Request_cancel;
            case ADD_MEMBERS -> Messages.Menu_addMembers;
            case RENAME_GROUP -> Messages.Menu_renameGroup;
            default -> id;
        };
    }

    private IEclipseContext commandContext(Object selection) {
        IEclipseContext c = EclipseContextFactory.create("sidebar command");
        c.set(IServiceConstants.ACTIVE_SELECTION, selection);
        c.set(ContactsPart.class, this);
        c.set(IServiceConstants.ACTIVE_SHELL, root.getShell());
        return c;
    }

    private boolean canRun(String id, Object selection) {
        if (handlers == null || commands == null) {
            return false;
        }
        ParameterizedCommand cmd = commands.createCommand(id, null);
        if (cmd == null) {
            return false;
        }
        IEclipseContext c = commandContext(selection);
        try {
            return handlers.canExecute(cmd, c);
        } finally {
            c.dispose();
        }
    }

    /** Runs a command on a selection (or on nothing), or {@code fallback} where there are no commands. */
    void run(String id, Object selection, Runnable fallback) {
        ParameterizedCommand cmd = handlers == null || commands == null ? null : commands.createCommand(id, null);
        if (cmd == null) {
            if (fallback != null) {
                fallback.run();
            }
            return;
        }
        IEclipseContext c = commandContext(selection);
        try {
            handlers.executeHandler(cmd, c);
        } finally {
            c.dispose();
        }
    }

    private static Object selected(TableViewer v) {
        return ((IStructuredSelection) v.getSelection()).getFirstElement();
    }

    /** Fetches contacts, requests and conversations from the server (off the UI thread). */
    void reload() {
        client.listContacts().thenAcceptBoth(client.listConversations(), (list, convs) -> display.asyncExec(() -> {
            if (contacts.getControl().isDisposed()) {
                return;
            }
            loaded = true;
            contactsByName.clear();
            list.contacts().forEach(u -> contactsByName.put(u.user(), u));
            pending.clear();
            list.incoming().forEach(u -> pending.add(new PendingRequest(u, true)));
            list.outgoing().forEach(u -> pending.add(new PendingRequest(u, false)));
            requests.setInput(List.copyOf(pending));
            enableRequestButtons();
            conversationsById.clear();
            changes.clear(); // the server's counts leave them out
            convs.forEach(c -> conversationsById.put(c.id(), c));
            convs.forEach(this::fetchLastIfBehind);
            showContacts();
            showConversations();
            learnNames(convs);
        }));
    }

    private final java.util.concurrent.atomic.AtomicBoolean namesDue = new java.util.concurrent.atomic.AtomicBoolean();
    /** Shows display names learnt since the rows were made, once for a burst of them. */
    private final org.parley.client.core.DisplayNames.Listener namesListener = (user, name) -> {
        if (namesDue.compareAndSet(false, true)) {
            display.asyncExec(() -> {
                namesDue.set(false);
                if (!contacts.getControl().isDisposed()) {
                    renamed();
                    showContacts();
                    showConversations();
                }
            });
        }
    };

    /**
     * The contacts and requests under the display names the client knows now (one pushed when its owner changed
     * it, say), not those of the last contact list.
     */
    private void renamed() {
        contactsByName.replaceAll((user, u) -> client.names().knows(user) && !client.names().of(user).equals(
                u.displayName()) ? new Contacts.UserInfo(u.user(), client.names().of(user), u.presence(),
                        u.statusText()) : u);
        boolean changed = false;
        for (int i = 0; i < pending.size(); i++) {
            Contacts.UserInfo u = pending.get(i).user();
            if (client.names().knows(u.user()) && !client.names().of(u.user()).equals(u.displayName())) {
                pending.set(i, new PendingRequest(new Contacts.UserInfo(u.user(), client.names().of(u.user()),
                        u.presence(), u.statusText()), pending.get(i).incoming()));
                changed = true;
            }
        }
        if (changed) {
            requests.setInput(List.copyOf(pending));
            enableRequestButtons();
        }
    }

    /** The display names of the people in 1:1s who are not contacts (they wrote first), asked once. */
    private void learnNames(java.util.Collection<Conversations.ConversationInfo> convs) {
        String me = client.user();
        org.parley.ui.NameLookup.learn(client, convs.stream().filter(c -> c.kind() == Conversations.Kind.DIRECT)
                .flatMap(c -> c.members().stream().map(Conversations.Member::user)).filter(u -> !u.equals(me))
                .distinct().toList());
    }

    /** Asks the server for a conversation's newest message when the sidebar has not seen it (FetchBefore, 1). */
    private void fetchLastIfBehind(Conversations.ConversationInfo c) {
        Chat.ChatMessage known = last.get(c.id());
        if (c.lastSeq() > 0 && (known == null || known.seq() < c.lastSeq()) && !toFetch.contains(c.id())) {
            toFetch.add(c.id());
            fetchNext();
        }
    }

    /** A few fetches at a time: a user in hundreds of conversations does not meet the server's rate limit. */
    private void fetchNext() {
        while (fetching < FETCHES_IN_FLIGHT && !toFetch.isEmpty()) {
            long id = toFetch.poll();
            fetching++;
            // a few: the newest may be entries that edit or delete a message, which are no message to preview
            client.fetchBefore(id, 0, 5).whenComplete((page, e) -> display.asyncExec(() -> {
                fetching--;
                if (conversations.getControl().isDisposed()) {
                    return;
                }
                Chat.ChatMessage last = page == null ? null : page.messages().stream()
                        .filter(m -> !m.isChange()).reduce((a, b) -> b).orElse(null);
                if (last != null) {
                    remember(last);
                    showConversationsSoon();
                }
                fetchNext();
            }));
        }
    }

    /** A contact row's tooltip, as the view shows it on hover (for tests). */
    public String contactToolTip(Contacts.UserInfo u) {
        String presence = switch (u.presence()) {
            case ONLINE -> Messages.Presence_online;
            case AWAY -> Messages.Presence_away;
            default -> Messages.Presence_offline;
        };
        StringBuilder tip = new StringBuilder(NLS.bind(Messages.Contact_tooltip, new Object[] {u.displayName(),
            u.user(), presence}));
        if (!u.statusText().isEmpty()) {
            tip.append(": ").append(u.statusText());
        }
        decorations(u).toolTip.forEach(line -> tip.append('\n').append(line));
        return tip.toString();
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
        sorted.sort((a, b) -> a.presence() == b.presence() ? a.displayName().compareToIgnoreCase(b.displayName())
                : Integer.compare(rank(a.presence()), rank(b.presence())));
        contacts.setInput(sorted);
        showSections();
    }

    private static int rank(Contacts.Presence p) {
        return p == Contacts.Presence.ONLINE ? 0 : p == Contacts.Presence.AWAY ? 1 : 2;
    }

    /** The row a conversation shows as. */
    ConversationRow row(Conversations.ConversationInfo c) {
        String me = client.user();
        String other = null;
        String name = c.title();
        Contacts.Presence presence = null;
        if (c.kind() == Conversations.Kind.DIRECT) {
            other = c.members().stream().map(Conversations.Member::user).filter(u -> !u.equals(me)).findFirst()
                    .orElse(c.title());
            name = client.names().of(other);
            Contacts.UserInfo contact = contactsByName.get(other);
            presence = contact == null ? null : contact.presence();
        }
        Chat.ChatMessage m = last.get(c.id());
        String preview = m != null ? Previews.of(m, c.kind(), me, client.names()) : c.lastSeq() == 0
                ? Messages.Preview_none : "";
        return new ConversationRow(c, name, other, presence, preview, m != null ? Math.max(m.timestamp(),
                c.createdAt()) : c.createdAt());
    }

    private void showConversations() {
        Object was = selected(conversations);
        List<ConversationRow> rows = new ArrayList<>();
        for (Conversations.ConversationInfo c : conversationsById.values()) {
            rows.add(row(c));
        }
        // Most recent activity first (sequence numbers count per conversation, so they cannot order them).
        rows.sort((a, b) -> a.activity() != b.activity() ? Long.compare(b.activity(), a.activity())
                : Long.compare(b.conversation().id(), a.conversation().id()));
        conversations.setInput(rows);
        if (was instanceof ConversationRow w) { // the selection follows its conversation to its new place
            rows.stream().filter(r -> r.conversation().id() == w.conversation().id()).findFirst().ifPresent(
                    r -> conversations.setSelection(new org.eclipse.jface.viewers.StructuredSelection(r)));
        }
        showSections();
    }

    /** Shows what applies: the empty state for a new user, the requests only while there are some. */
    private void showSections() {
        boolean none = loaded && conversationsById.isEmpty();
        emptyText.setText(contactsByName.isEmpty() ? Messages.Sidebar_emptyNoContacts
                : Messages.Sidebar_emptyWithContacts);
        emptyAction.setText(contactsByName.isEmpty() ? Messages.Sidebar_addContact : Messages.Sidebar_newGroup);
        emptyAction.setImage(Icons.image(contactsByName.isEmpty() ? Icons.ADD_CONTACT : Icons.NEW_GROUP));
        boolean changed = show(empty, none);
        changed |= show(conversationsTitle, !none);
        changed |= show(conversations.getControl(), !none);
        boolean anyRequest = !pending.isEmpty();
        changed |= show(requestsTitle, anyRequest);
        changed |= show(requests.getControl(), anyRequest);
        changed |= show(requestButtons, anyRequest);
        boolean anyContact = !contactsByName.isEmpty();
        changed |= show(contactsTitle, anyContact);
        changed |= show(contacts.getControl(), anyContact);
        if (changed) {
            root.layout(true, true);
        } else {
            empty.layout(true, true);
        }
    }

    private static boolean show(Control c, boolean visible) {
        org.eclipse.swt.layout.GridData d = (org.eclipse.swt.layout.GridData) c.getLayoutData();
        if (d.exclude == !visible && c.getVisible() == visible) {
            return false;
        }
        d.exclude = !visible;
        c.setVisible(visible);
        return true;
    }

    // --- what the commands do (SidebarHandlers) ---

    Conversations.ConversationInfo conversation(long id) {
        return conversationsById.get(id);
    }

    boolean isContact(String user) {
        return contactsByName.containsKey(user);
    }

    Contacts.UserInfo contact(String user) {
        return contactsByName.get(user);
    }

    void answer(Contacts.UserInfo from) {
        if (from == null) {
            return;
        }
        boolean yes = MessageDialog.openQuestion(root.getShell(), Messages.Confirm_answerTitle,
                NLS.bind(Messages.Confirm_answer, from.displayName(), from.user()));
        client.answerContact(from.user(), yes).whenComplete((r, e) -> display.asyncExec(this::reload));
    }

    void openDirect(Contacts.UserInfo user) {
        if (user != null) {
            client.openDirect(user.user()).thenAccept(c -> display.asyncExec(() -> open(c)));
        }
    }

    /** Marks the conversation read up to its newest message (the server's receipt then clears the badge). */
    void markRead(Conversations.ConversationInfo c) {
        client.markRead(c.id(), c.lastSeq());
        conversationsById.computeIfPresent(c.id(), (k, v) -> with(v, v.lastSeq(), 0));
        showConversations();
    }

    private boolean isShowing(long conversationId) {
        if (parts == null) {
            return false;
        }
        MPart p = ChatOpener.find(parts, conversationId);
        return p != null && parts.isPartVisible(p);
    }

    void open(Conversations.ConversationInfo c) {
        if (c == null) {
            return;
        }
        if (parts == null || !ChatOpener.open(parts, models, application, c)) {
            MessageDialog.openInformation(root.getShell(), Messages.Error_title, Messages.NoChatPlugin);
            return;
        }
        Conversations.ConversationInfo known = conversationsById.get(c.id());
        conversationsById.put(c.id(), with(known != null ? known : c, Math.max(c.lastSeq(), known != null
                ? known.lastSeq() : 0), 0));
        showConversations();
    }

    @PreDestroy
    void dispose() {
        client.removeListener(listener);
        decorators.dispose();
    }
}
