package org.parley.ui.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.parley.ui.testing.Workbench.client;
import static org.parley.ui.testing.Workbench.window;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.eclipse.equinox.app.IApplication;
import org.eclipse.swt.SWT;
import org.eclipse.swt.dnd.Clipboard;
import org.eclipse.swt.dnd.TextTransfer;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.core.ClientListener;
import org.parley.contacts.ui.internal.ContactsPart;
import org.parley.contacts.ui.internal.ConversationRow;
import org.parley.contacts.ui.internal.PendingRequest;
import org.parley.filetransfer.core.FileTransfers;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Contacts;
import org.parley.protocol.message.Conversations;
import org.parley.ui.testing.NoErrorsLogged;
import org.parley.ui.testing.OtherUser;
import org.parley.ui.testing.Script;
import org.parley.ui.testing.ServerProcess;
import org.parley.ui.testing.Ui;
import org.parley.ui.testing.Workbench;

/**
 * The sidebar as users of Slack and Element expect it, through the whole application against a real server with
 * other users on it: one list of conversations with avatar, display name, last message (fetched at the start and
 * followed live), time and unread badge, newest first and re-sorted as messages come; what a new user sees; contact
 * requests both ways; the context menus' commands (mark as read, copy user name, remove contact, leave group) and
 * the keyboard.
 */
class SidebarTest {

    @TempDir
    Path temp;

    private ServerProcess server;
    @RegisterExtension
    final NoErrorsLogged errors = new NoErrorsLogged();

    @BeforeEach
    void start() throws Exception {
        server = ServerProcess.start(temp.resolve("server"));
        Workbench.useHome(temp.resolve("home"));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private static Table list(Display display, String role) {
        return Workbench.sidebarList(display, role);
    }

    /** The conversation rows as the sidebar lists them, top to bottom. */
    private static List<ConversationRow> rows(Display display) {
        Table t = list(display, Workbench.CONVERSATIONS);
        return t == null ? List.of() : Arrays.stream(t.getItems()).map(i -> (ConversationRow) i.getData()).toList();
    }

    private static List<String> texts(Table t) {
        return t == null ? List.of() : Arrays.stream(t.getItems()).map(TableItem::getText).toList();
    }

    private static int indexOf(Table t, java.util.function.Predicate<Object> row) {
        for (int i = 0; i < t.getItemCount(); i++) {
            if (row.test(t.getItem(i).getData())) {
                return i;
            }
        }
        throw new AssertionError("no such row in " + texts(t));
    }

    /** The sidebar's empty state, when it shows. */
    private static Composite emptyState(Display display) {
        return Ui.find(window(display), Composite.class).stream().filter(c -> "empty".equals(c.getData(
                ContactsPart.EMPTY)) && c.isVisible()).findFirst().orElse(null);
    }

    /** Whether the chat area shows its empty state ("No chat open", with buttons to start a chat). */
    private static boolean chatAreaEmptyState(Display display) {
        return Ui.find(window(display), Label.class).stream().anyMatch(l -> !l.isDisposed() && l.isVisible()
                && l.getText().equals("No chat open"));
    }

    private static String said(Composite c) {
        StringBuilder s = new StringBuilder();
        Ui.find(c, Label.class).forEach(l -> s.append(l.getText()).append('\n'));
        Ui.find(c, Button.class).forEach(b -> s.append('[').append(b.getText().replace("&", "")).append("]\n"));
        return s.toString();
    }

    /** Closes the desktop notifications that stand over the window: they are not part of its picture. */
    private static void closeToasts(Display display) {
        Arrays.stream(display.getShells()).filter(s -> s != window(display) && !s.isDisposed() && s.getParent()
                == null && s.getData("modelElement") == null && s.isVisible()).forEach(Shell::close);
    }

    private static void screenshot(Display display, String name) {
        try {
            Ui.screenshot(window(display), name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void press(Display display, String button) {
        Workbench.button(Workbench.shellWithButton(display, button).orElseThrow(), button).notifyListeners(
                SWT.Selection, new Event());
    }

    private void run(Display display, Script script) throws Exception {
        script.start();
        Object exit = Workbench.e4Application().start(new Workbench.TestApplicationContext());
        assertNull(script.failure(), script.failure());
        assertEquals(IApplication.EXIT_OK, exit);
    }

    private static Path picture(Path file) {
        Display display = Display.getDefault();
        Image image = new Image(display, 64, 48);
        GC gc = new GC(image);
        gc.setBackground(display.getSystemColor(SWT.COLOR_DARK_CYAN));
        gc.fillRectangle(0, 0, 64, 48);
        gc.dispose();
        ImageLoader loader = new ImageLoader();
        loader.data = new ImageData[] {image.getImageData()};
        loader.save(file.toString(), SWT.IMAGE_PNG);
        image.dispose();
        return file;
    }

    /**
     * Bob's sidebar at the start lists his three conversations newest first, each with the last message fetched
     * from the server (a group's with its sender, a picture as "Photo", a file as "📎 name", none yet), display
     * names, presence and unread counts; a new message moves its conversation to the top with one more unread.
     */
    @Test
    void theSidebarListsConversationsWithTheirLastMessageNewestFirst() throws Exception {
        Display display = Display.getDefault();
        Path photo = picture(temp.resolve("lunch.png"));
        Path notes = Files.writeString(temp.resolve("notes.txt"), "release notes\n");
        try (OtherUser ann = OtherUser.register(server.port, "ann", "Ann Lee");
                OtherUser cat = OtherUser.register(server.port, "cat", "Cat Moss")) {
            // What happened while bob's Parley was closed: contacts, a 1:1 with cat without messages, a picture
            // from ann, a group with a file from cat.
            try (OtherUser bob = OtherUser.register(server.port, "bob", "Bob Roy")) {
                ann.client().requestContact("bob").get(30, TimeUnit.SECONDS);
                cat.client().requestContact("bob").get(30, TimeUnit.SECONDS);
                bob.client().answerContact("ann", true).get(30, TimeUnit.SECONDS);
                bob.client().answerContact("cat", true).get(30, TimeUnit.SECONDS);
            }
            cat.client().openDirect("bob").get(30, TimeUnit.SECONDS);
            Conversations.ConversationInfo direct = ann.client().openDirect("bob").get(30, TimeUnit.SECONDS);
            new FileTransfers(ann.client()).upload(direct.id(), photo, FileTransfers.UploadOptions.of("image/png"),
                    FileTransfers.Progress.NONE).result().get(60, TimeUnit.SECONDS);
            Conversations.ConversationInfo group = ann.client().createGroup("Release team", List.of("bob", "cat"))
                    .get(30, TimeUnit.SECONDS);
            new FileTransfers(cat.client()).upload(group.id(), notes, FileTransfers.UploadOptions.of("text/plain"),
                    FileTransfers.Progress.NONE).result().get(60, TimeUnit.SECONDS);

            Script script = new Script(display).onFailure(() -> {
                System.err.println("rows: " + rows(display));
                Workbench.closeWorkbench(display);
            })
                    .step("the login dialog", () -> Workbench.shellWithButton(display, "Sign in").isPresent(),
                            () -> Workbench.signIn(display, server.port, "bob"))
                    .step("three conversations with their last messages", () -> Workbench.hasSidebar(display)
                            && rows(display).size() == 3 && rows(display).stream().noneMatch(r -> r.preview()
                                    .isEmpty()), () -> {
                                        List<ConversationRow> rows = rows(display);
                                        assertThat(rows).extracting(ConversationRow::name).containsExactly(
                                                "Release team", "Ann Lee", "Cat Moss");
                                        assertThat(rows).extracting(ConversationRow::preview).containsExactly(
                                                "Cat Moss: \uD83D\uDCCE notes.txt", "Photo", "No messages yet");
                                        assertThat(rows).extracting(ConversationRow::unread).containsExactly(1L,
                                                1L, 0L);
                                        assertThat(rows).extracting(ConversationRow::presence).containsExactly(
                                                null, Contacts.Presence.ONLINE, Contacts.Presence.ONLINE);
                                        assertThat(texts(list(display, Workbench.CONVERSATIONS)).get(0))
                                                .startsWith("Release team (1 unread) \u2014 Cat Moss: ");
                                        assertThat(emptyState(display)).as("no empty state").isNull();
                                        // contacts by display name, the user name second
                                        assertThat(texts(list(display, Workbench.CONTACTS))).containsExactly(
                                                "Ann Lee [VIP]  ann", "Cat Moss  cat"); // VIP: VipDecorator
                                        ann.client().send(direct.id(), "are you there?");
                                    })
                    .step("ann's conversation back on top", () -> rows(display).get(0).name().equals("Ann Lee")
                            && rows(display).get(0).preview().equals("are you there?"), () -> {
                                assertThat(rows(display)).extracting(ConversationRow::name).containsExactly(
                                        "Ann Lee", "Release team", "Cat Moss");
                                assertThat(rows(display).get(0).unread()).isEqualTo(2);
                                cat.client().send(group.id(), "ship it");
                            })
                    .step("the group on top again", () -> rows(display).get(0).name().equals("Release team")
                            && rows(display).get(0).preview().equals("Cat Moss: ship it"), () -> {
                                assertThat(rows(display).get(0).unread()).isEqualTo(2);
                                window(display).setSize(1000, 640);
                                closeToasts(display);
                            })
                    .settle()
                    .step("the window to show", () -> true, () -> {
                        screenshot(display, "sidebar");
                        Table conversations = list(display, Workbench.CONVERSATIONS);
                        Workbench.select(conversations, indexOf(conversations, o -> ((ConversationRow) o).name()
                                .equals("Ann Lee")));
                        conversations.notifyListeners(SWT.DefaultSelection, new Event());
                    })
                    .step("ann's chat, read", () -> Workbench.history(display).contains("are you there?")
                            && rows(display).stream().filter(r -> r.name().equals("Ann Lee")).findFirst()
                                    .orElseThrow().unread() == 0, () -> closeToasts(display))
                    .settle()
                    .step("the chat to show", () -> true, () -> screenshot(display, "sidebar-chat"))
                    .step("close", () -> true, () -> Workbench.closeWorkbench(display));
            run(display, script);
        }
    }

    /**
     * One rule for unread counts (docs/protocol.md, "Receipts and unread counts"): a group's SYSTEM lines ("Ann Lee
     * added Dan Ode", shown with display names) are not unread, neither live in the sidebar nor in the count the
     * server gives after a restart; only ann's message is.
     */
    @Test
    void systemLinesAreNotUnreadLiveNorAfterARestart() throws Exception {
        Display display = Display.getDefault();
        Path data = temp.resolve("server");
        int port = server.port;
        try (OtherUser ann = OtherUser.register(port, "ann", "Ann Lee");
                OtherUser cat = OtherUser.register(port, "cat", "Cat Moss");
                OtherUser dan = OtherUser.register(port, "dan", "Dan Ode")) {
            try (OtherUser bob = OtherUser.register(port, "bob", "Bob Roy")) {
                for (OtherUser o : List.of(ann, dan)) {
                    o.client().requestContact("bob").get(30, TimeUnit.SECONDS);
                    bob.client().answerContact(o.client().user(), true).get(30, TimeUnit.SECONDS);
                }
            }
            Conversations.ConversationInfo group = ann.client().createGroup("Team", List.of("bob"))
                    .get(30, TimeUnit.SECONDS);
            Script script = new Script(display).onFailure(() -> {
                System.err.println("rows: " + rows(display));
                Workbench.closeWorkbench(display);
            })
                    .step("the login dialog", () -> Workbench.shellWithButton(display, "Sign in").isPresent(),
                            () -> Workbench.signIn(display, port, "bob"))
                    .step("the group, nothing unread", () -> Workbench.hasSidebar(display) && rows(display).size() == 1
                            && rows(display).get(0).unread() == 0, () -> {
                                try {
                                    ann.client().rename(group.id(), "Team 2").get(30, TimeUnit.SECONDS);
                                    ann.client().addMembers(group.id(), List.of("cat")).get(30, TimeUnit.SECONDS);
                                    ann.client().send(group.id(), "hello").get(30, TimeUnit.SECONDS);
                                    ann.client().addMembers(group.id(), List.of("dan")).get(30, TimeUnit.SECONDS);
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                            })
                    .step("live: the last line names people by display name; one unread", () -> rows(display).get(0)
                            .name().equals("Team 2") && rows(display).get(0).preview().equals("Ann Lee added Dan Ode"),
                            () -> {
                                assertThat(rows(display).get(0).unread()).as("ann's message, not the three SYSTEM "
                                        + "lines").isEqualTo(1);
                                try {
                                    server.close(); // the group renamed in storage: the sign that the list came again
                                    ServerProcess.sql(data, "UPDATE conversations SET title = 'Team 3' WHERE id = "
                                            + group.id());
                                    server = ServerProcess.start(data, port);
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                            })
                    .step("the server back (its restart took this step's time)", () -> true, () -> { })
                    .step("after the restart, the server's count", () -> Workbench.statusLineShows(display,
                            "● Connected as bob") && rows(display).size() == 1
                            && rows(display).get(0).name().equals("Team 3"), () -> {
                                assertThat(rows(display).get(0).unread()).as("the server's count agrees").isEqualTo(1);
                                closeToasts(display);
                            })
                    .settle()
                    .step("the sidebar painted", () -> true, () -> {
                        screenshot(display, "sidebar-system-lines");
                        Workbench.closeWorkbench(display);
                    });
            run(display, script);
        }
    }

    /**
     * A new user sees what to do rather than an empty panel, then handles requests both ways (decline, accept with
     * the button, cancel their own with the Delete key) and uses the context menus: copy a user name, mark a group
     * read, leave it (asked first), remove a contact (asked first).
     */
    @Test
    void contactsAndRequestsFromTheSidebar() throws Exception {
        Display display = Display.getDefault();
        try (OtherUser ann = OtherUser.register(server.port, "ann", "Ann Lee");
                OtherUser cat = OtherUser.register(server.port, "cat", "Cat Moss");
                OtherUser dan = OtherUser.register(server.port, "dan", "Dan Ode")) {
            List<String> catHeard = new CopyOnWriteArrayList<>();
            long[] catSawRead = new long[1];
            cat.client().addListener(new ClientListener() {
                @Override
                public void contactRemoved(String user) {
                    catHeard.add("removed " + user);
                }

                @Override
                public void receiptChanged(Chat.ReceiptChanged r) {
                    if (r.user().equals("bob")) {
                        catSawRead[0] = Math.max(catSawRead[0], r.readUpTo());
                    }
                }
            });
            List<String> danHeard = new CopyOnWriteArrayList<>();
            dan.client().addListener(new ClientListener() {
                @Override
                public void contactDeclined(String user) {
                    danHeard.add("declined by " + user);
                }
            });
            Conversations.ConversationInfo[] group = new Conversations.ConversationInfo[1];
            long[] shipIt = new long[1];
            Script script = new Script(display)
                    .step("the login dialog", () -> Workbench.shellWithButton(display, "Sign in").isPresent(),
                            () -> Workbench.signUp(display, server.port, "bob", "Bob Roy"))
                    .step("the empty state", () -> Workbench.hasSidebar(display) && emptyState(display) != null,
                            () -> {
                                String said = said(emptyState(display));
                                assertThat(said).contains("No conversations yet", "Add contact", "[Add contact…]");
                                assertThat(list(display, Workbench.CONVERSATIONS).isVisible()).isFalse();
                                assertThat(chatAreaEmptyState(display)).as("the chat area's empty state").isTrue();
                                Composite home = Ui.find(window(display), Label.class).stream().filter(l -> l
                                        .getText().equals("No chat open")).findFirst().orElseThrow().getParent();
                                assertThat(said(home)).contains("Pick a conversation on the left",
                                        "[Add contact…]", "[New group…]");
                            })
                    .settle()
                    .step("the empty state to show", () -> true, () -> {
                        screenshot(display, "sidebar-empty");
                        Ui.find(emptyState(display), Button.class).get(0).notifyListeners(SWT.Selection, new Event());
                    })
                    .step("the Add contact dialog", () -> Workbench.shellWithButton(display, "Ask to be contacts")
                            .isPresent(), () -> {
                                press(display, "Cancel");
                                dan.client().requestContact("bob");
                                cat.client().requestContact("bob");
                                client(display).requestContact("ann");
                            })
                    .step("three requests", () -> Workbench.rows(list(display, Workbench.REQUESTS)) == 3, () -> {
                        assertThat(texts(list(display, Workbench.REQUESTS))).containsExactlyInAnyOrder(
                                "Dan Ode (dan) wants to be your contact", "Cat Moss (cat) wants to be your contact",
                                "Ann Lee (ann) \u2014 pending");
                    })
                    .settle()
                    .step("the requests to show", () -> true, () -> {
                        Table requests = list(display, Workbench.REQUESTS);
                        screenshot(display, "sidebar-requests");
                        Workbench.select(requests, indexOf(requests, o -> ((PendingRequest) o).user().user()
                                .equals("dan")));
                        assertThat(Workbench.contextMenu(requests)).containsExactly("Accept", "Decline",
                                "Copy user name");
                        Workbench.chooseFromContextMenu(requests, "Decline");
                    })
                    .step("dan declined", () -> danHeard.contains("declined by bob")
                            && Workbench.rows(list(display, Workbench.REQUESTS)) == 2, () -> {
                                Table requests = list(display, Workbench.REQUESTS);
                                Workbench.select(requests, indexOf(requests, o -> ((PendingRequest) o).user()
                                        .user().equals("ann")));
                                assertThat(Workbench.contextMenu(requests)).containsExactly("Cancel request",
                                        "Copy user name");
                                window(display).forceActive();
                                requests.setFocus();
                            })
                    .step("the requests with the keyboard", () -> display.getActiveShell() == window(display)
                            && list(display, Workbench.REQUESTS).isFocusControl(),
                            () -> Ui.key(display, SWT.DEL, 0))
                    .step("the request to ann cancelled", () -> Workbench.rows(list(display, Workbench.REQUESTS))
                            == 1, () -> {
                                try {
                                    assertThat(ann.client().listContacts().get(30, TimeUnit.SECONDS).incoming())
                                            .as("ann's requests").isEmpty();
                                } catch (Exception e) {
                                    throw new AssertionError(e);
                                }
                                Table requests = list(display, Workbench.REQUESTS);
                                Workbench.select(requests, 0);
                                press(display, "Accept");
                            })
                    .step("cat a contact, no requests", () -> Workbench.rows(list(display, Workbench.CONTACTS)) == 1
                            && !list(display, Workbench.REQUESTS).isVisible() && emptyState(display) != null
                            && said(emptyState(display)).contains("[New group…]"), () -> {
                                Table contacts = list(display, Workbench.CONTACTS);
                                assertThat(Workbench.itemText(contacts)).isEqualTo("Cat Moss  cat");
                                Workbench.select(contacts, 0);
                                assertThat(Workbench.contextMenu(contacts)).containsExactly("Open chat",
                                        "Copy user name", "Remove contact…");
                                Workbench.chooseFromContextMenu(contacts, "Copy user name");
                                Clipboard clipboard = new Clipboard(display);
                                try {
                                    assertThat(clipboard.getContents(TextTransfer.getInstance())).isEqualTo("cat");
                                } finally {
                                    clipboard.dispose();
                                }
                                Workbench.chooseFromContextMenu(contacts, "Open chat");
                            })
                    .step("the 1:1 with cat", () -> Workbench.rows(list(display, Workbench.CONVERSATIONS)) == 1
                            && emptyState(display) == null && !chatAreaEmptyState(display), () -> cat.client()
                                    .createGroup("Release team",
                                    List.of("bob")).thenAccept(g -> {
                                        group[0] = g;
                                        cat.client().send(g.id(), "ship it").thenAccept(s -> shipIt[0] = s.seq());
                                    }))
                    .step("the group, unread", () -> rows(display).size() == 2 && rows(display).get(0).unread() == 1
                            && shipIt[0] > 0 && rows(display).get(0).conversation().lastSeq() >= shipIt[0]
                            && rows(display).get(0).preview().equals("Cat Moss: ship it"), () -> {
                                Table conversations = list(display, Workbench.CONVERSATIONS);
                                Workbench.select(conversations, 0);
                                assertThat(Workbench.contextMenu(conversations)).containsExactly("Open chat",
                                        "Mark as read", "Add members…", "Rename group…", "Leave group…");
                                Workbench.chooseFromContextMenu(conversations, "Mark as read");
                            })
                    .step("the group read", () -> rows(display).get(0).unread() == 0, () -> { })
                    .step("cat told so", () -> catSawRead[0] >= shipIt[0], () -> {
                                Table conversations = list(display, Workbench.CONVERSATIONS);
                                Workbench.select(conversations, 0);
                                Workbench.chooseFromContextMenu(conversations, "Rename group…");
                            })
                    .step("asked for the new name", () -> Workbench.shellWithButton(display, "OK")
                            .filter(s -> s.getText().equals("Rename group")).isPresent(), () -> {
                                Shell ask = Workbench.shellWithButton(display, "OK").orElseThrow();
                                Text name = Ui.find(ask, Text.class).get(0);
                                assertThat(name.getText()).isEqualTo("Release team");
                                name.setText("   ");
                                assertThat(Workbench.button(ask, "OK").isEnabled()).as("no empty name").isFalse();
                                name.setText("Release crew");
                                press(display, "OK");
                            })
                    .step("the group renamed, for cat too", () -> rows(display).get(0).name().equals("Release crew"),
                            () -> {
                                try {
                                    assertThat(cat.client().listConversations().get(30, TimeUnit.SECONDS).stream()
                                            .filter(c -> c.id() == group[0].id()).findFirst().orElseThrow().title())
                                            .isEqualTo("Release crew");
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                                Table conversations = list(display, Workbench.CONVERSATIONS);
                                Workbench.select(conversations, 0);
                                Workbench.chooseFromContextMenu(conversations, "Leave group…");
                            })
                    .step("asked before leaving", () -> Workbench.shellWithButton(display, "Leave").isPresent(),
                            () -> press(display, "Leave"))
                    .step("the group gone", () -> rows(display).size() == 1 && rows(display).get(0).name().equals(
                            "Cat Moss"), () -> {
                                Table conversations = list(display, Workbench.CONVERSATIONS);
                                Workbench.select(conversations, 0);
                                assertThat(Workbench.contextMenu(conversations)).containsExactly("Open chat",
                                        "Copy user name", "Remove contact…");
                                Workbench.chooseFromContextMenu(conversations, "Remove contact…");
                            })
                    .step("asked before removing", () -> Workbench.shellWithButton(display, "Remove").isPresent(),
                            () -> press(display, "Remove"))
                    .step("cat no longer a contact", () -> catHeard.contains("removed bob")
                            && Workbench.rows(list(display, Workbench.CONTACTS)) == 0, () -> {
                                assertThat(rows(display).get(0).presence()).as("no presence for a non-contact")
                                        .isNull();
                            })
                    .settle()
                    .step("the window to show", () -> true, () -> screenshot(display, "sidebar-after-removal"))
                    .step("close", () -> true, () -> Workbench.closeWorkbench(display));
            script.onFailure(() -> {
                System.err.println("rows: " + rows(display) + "; cat saw bob read up to " + catSawRead[0]
                        + ", ship it: " + shipIt[0]);
                Workbench.closeWorkbench(display);
            });
            run(display, script);
        }
    }
}
