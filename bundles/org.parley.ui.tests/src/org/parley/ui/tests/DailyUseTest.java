package org.parley.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parley.ui.testing.Workbench.client;
import static org.parley.ui.testing.Workbench.parts;
import static org.parley.ui.testing.Workbench.window;
import static org.parley.ui.testing.Workbench.windowContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.core.runtime.Platform;
import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.eclipse.equinox.app.IApplication;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.parley.chat.ui.internal.ChatPart;
import org.parley.client.core.ClientListener;
import org.parley.client.core.ParleyClient;
import org.parley.filetransfer.core.FileTransfers;
import org.parley.filetransfer.ui.FileChooser;
import org.parley.filetransfer.ui.TransfersPart;
import org.parley.filetransfer.ui.Uploads;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Conversations;
import org.parley.ui.ChatOpener;
import org.parley.ui.UserActivity;
import org.parley.ui.testing.NoErrorsLogged;
import org.parley.ui.testing.OtherUser;
import org.parley.ui.testing.Script;
import org.parley.ui.testing.ServerProcess;
import org.parley.ui.testing.Ui;
import org.parley.ui.testing.Workbench;

/**
 * What a user who keeps Parley open all day runs into, through the whole application against a real server, with
 * real key and mouse events from the X server where the keyboard and the pointer matter: the Transfers view opened
 * after transfers and watching new ones, read receipts only for what the user looked at, keystrokes landing in
 * the chat's entry field after switching windows, and the shortcuts the window advertises.
 */
class DailyUseTest {

    @TempDir
    Path temp;

    private ServerProcess server;
    private OtherUser other;
    @RegisterExtension
    final NoErrorsLogged errors = new NoErrorsLogged();

    @BeforeEach
    void start() throws Exception {
        server = ServerProcess.start(temp.resolve("server"));
        other = OtherUser.register(server.port, "ann", "Ann Lee");
        Workbench.useHome(temp.resolve("home"));
    }

    @AfterEach
    void stop() throws Exception {
        other.close();
        server.close();
    }

    /** The first chat part's object, or null. */
    private static ChatPart chat(Display display) {
        return parts(display).getParts().stream().filter(p -> p.getObject() instanceof ChatPart).findFirst()
                .map(p -> (ChatPart) p.getObject()).orElse(null);
    }

    private static long chatCount(Display display) {
        return parts(display).getParts().stream().filter(p -> p.getObject() instanceof ChatPart
                && p.isToBeRendered()).count();
    }

    /** The chat's entry field (the multi-line text of the visible chat). */
    private static Text entry(Display display) {
        return Ui.find(window(display), Text.class).stream().filter(t -> (t.getStyle() & SWT.MULTI) != 0
                && t.isVisible()).findFirst().orElse(null);
    }

    private static void open(Display display, Conversations.ConversationInfo c) {
        IEclipseContext ctx = windowContext(display);
        assertTrue(ChatOpener.open(ctx.get(EPartService.class), ctx.get(EModelService.class),
                ctx.get(MApplication.class), c));
    }

    private static void screenshot(Display display, String name) {
        try {
            Ui.screenshot(window(display), name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Another application's window in front (the user switched to it): it has the keyboard. */
    private static Shell otherApplication(Display display) {
        Shell s = new Shell(display);
        s.setText("Another application");
        s.setLayout(new org.eclipse.swt.layout.FillLayout());
        new Text(s, SWT.MULTI | SWT.BORDER);
        s.setBounds(40, 40, 400, 300);
        s.open();
        s.forceActive();
        return s;
    }

    /** Runs the application with a script that signs up as bob and ends by closing it; asserts it went well. */
    private void run(Display display, Script script) throws Exception {
        script.onFailure(() -> Workbench.closeWorkbench(display));
        script.start();
        Object exit = Workbench.e4Application().start(new Workbench.TestApplicationContext());
        assertNull(script.failure(), script.failure());
        assertEquals(IApplication.EXIT_OK, exit);
    }

    private Script signedIn(Display display) {
        return new Script(display)
                .step("the login dialog", () -> Workbench.shellWithButton(display, "Sign in").isPresent(),
                        () -> Workbench.signUp(display, server.port, "bob", "Bob Roy"))
                .step("the workbench window", () -> Workbench.workbenchShell(display).isPresent()
                        && Workbench.statusLineShows(display, "● Connected as bob"), () -> { });
    }

    /** The rows of the Transfers view as shown: each row's visible labels and button, joined. */
    private static String transfersShown(Display display) {
        MPart part = parts(display).findPart("org.parley.filetransfer.ui.transfers");
        if (part == null || !(part.getWidget() instanceof org.eclipse.swt.widgets.Composite c) || c.isDisposed()) {
            return "";
        }
        StringBuilder s = new StringBuilder();
        for (Control w : Ui.find(c, Control.class)) {
            if (!w.isVisible()) {
                continue;
            }
            if (w instanceof Label l) {
                s.append(l.getText()).append('\n');
            } else if (w instanceof Button b) {
                s.append('[').append(b.getText()).append("]\n");
            }
        }
        return s.toString();
    }

    private static boolean internalErrorShown(Display display) {
        for (Shell s : display.getShells()) {
            if (!s.isDisposed() && s.isVisible() && (s.getText().contains("Error") || s.getText().contains("error"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Bug 1: the Transfers view, opened for the first time after real transfers (an upload and a download), lists
     * them without an error, and then follows new transfers while it shows, with no error dialog.
     */
    @Test
    void theTransfersViewOpenedAfterTransfersListsThemAndFollowsNewOnes() throws Exception {
        Display display = Display.getDefault();
        Path files = Files.createDirectories(temp.resolve("files"));
        Path first = Files.write(files.resolve("first.bin"), new Random(1).ints(200_000).mapToObj(
                i -> (byte) i).collect(java.io.ByteArrayOutputStream::new, java.io.ByteArrayOutputStream::write,
                        (a, b) -> { }).toByteArray());
        Path second = Files.write(files.resolve("second.txt"), "the second file\n".repeat(5000).getBytes());
        Path third = Files.write(files.resolve("third.txt"), "a file from ann\n".repeat(5000).getBytes());
        ParleyClient ann = other.client();
        Conversations.ConversationInfo[] conversation = new Conversations.ConversationInfo[1];
        Map<String, Object> done = new ConcurrentHashMap<>();
        Script script = signedIn(display)
                .step("a conversation with ann", () -> true, () -> ann.openDirect("bob").thenAccept(c -> {
                    conversation[0] = c;
                }))
                .step("ann's conversation", () -> conversation[0] != null, () -> {
                    open(display, conversation[0]);
                    // bob sends a file as the chat's Attach file does
                    Uploads.send(client(display), conversation[0].id(),
                            List.of(first));
                })
                .step("the first file to reach ann", () -> other.received().stream().anyMatch(
                        m -> !m.attachments().isEmpty() && m.attachments().get(0).name().equals("first.bin")), () -> {
                            assertTrue(parts(display).findPart("org.parley.filetransfer.ui.transfers")
                                    .getObject() == null, "the Transfers view has not been shown yet");
                            parts(display).showPart("org.parley.filetransfer.ui.transfers",
                                    EPartService.PartState.ACTIVATE);
                        })
                .step("the Transfers view with the upload", () -> transfersShown(display).contains("first.bin"), () -> {
                    assertTrue(parts(display).findPart("org.parley.filetransfer.ui.transfers")
                            .getObject() instanceof TransfersPart, "the view was made");
                    String shown = transfersShown(display);
                    assertTrue(shown.contains("Sent, "), shown);
                    assertTrue(!shown.contains("No transfers yet"), shown);
                    // while it shows: bob sends another file, and ann sends one
                    Uploads.send(client(display), conversation[0].id(),
                            List.of(second));
                    Thread.ofVirtual().start(() -> {
                        try {
                            done.put("third", new FileTransfers(ann).upload(conversation[0].id(), third,
                                    FileTransfers.UploadOptions.of("text/plain"), FileTransfers.Progress.NONE)
                                    .result().get(60, TimeUnit.SECONDS));
                        } catch (Exception e) {
                            done.put("failure", e);
                        }
                    });
                })
                .step("the second upload, done, in the view", () -> transfersShown(display).contains(
                        "second.txt") && transfersShown(display).split("Sent, ", -1).length == 3, () -> { })
                .step("ann's file in the chat", () -> done.containsKey("third") || done.containsKey("failure"),
                        () -> {
                            assertNull(done.get("failure"), "ann's upload");
                            Chat.Attachment a = ((org.parley.protocol.message.Transfers.UploadDone) done.get(
                                    "third")).attachment();
                            org.parley.filetransfer.ui.Downloads.download(client(display),
                                    conversation[0].id(), a, temp.resolve("third-downloaded.txt"));
                        })
                .step("the download, done, in the view", () -> transfersShown(display).contains("third.txt")
                        && transfersShown(display).contains("Downloaded, "), () -> {
                            String shown = transfersShown(display);
                            assertTrue(shown.contains("[Open]"), shown);
                            assertTrue(!shown.contains("No transfers yet"), shown);
                            assertTrue(!internalErrorShown(display), "an error dialog");
                        })
                .settle()
                .step("the view to show", () -> true, () -> screenshot(display, "transfers-view"))
                .step("close", () -> true, () -> Workbench.closeWorkbench(display));
        run(display, script);
        assertEquals(Files.readString(third), Files.readString(temp.resolve("third-downloaded.txt")));
    }

    /**
     * Bug 2: a message is read only when its chat is in front of the user: while the window is minimized, another
     * window has the keyboard, or another chat's tab covers it, it is delivered, not read; it is read once the user
     * comes back (restores the window and moves the mouse, brings the window forward, picks the tab).
     */
    @Test
    void aMessageIsReadOnlyWhenTheUserLooksAtItsChat() throws Exception {
        Display display = Display.getDefault();
        ParleyClient ann = other.client();
        OtherUser cat = OtherUser.register(server.port, "cat", "Cat Moss");
        Map<String, long[]> bobMarks = new ConcurrentHashMap<>();
        ann.addListener(new ClientListener() {
            @Override
            public void receiptChanged(Chat.ReceiptChanged r) {
                if (r.user().equals("bob")) {
                    bobMarks.put("bob", new long[] {r.deliveredUpTo(), r.readUpTo()});
                }
            }
        });
        Conversations.ConversationInfo[] conversation = new Conversations.ConversationInfo[1];
        Conversations.ConversationInfo[] catConversation = new Conversations.ConversationInfo[1];
        long[] seq = new long[1];
        Shell[] elsewhere = new Shell[1];
        Script script = signedIn(display)
                .step("a conversation with ann", () -> true, () -> ann.openDirect("bob").thenAccept(c -> {
                    conversation[0] = c;
                }))
                .step("ann's conversation", () -> conversation[0] != null, () -> {
                    open(display, conversation[0]);
                    window(display).forceActive();
                    ann.send(conversation[0].id(), "first, while bob looks").thenAccept(m -> seq[0] = m.seq());
                })
                .step("the first message read", () -> seq[0] > 0 && read(bobMarks) >= seq[0], () -> {
                    window(display).setMinimized(true);
                    seq[0] = 0;
                    ann.send(conversation[0].id(), "second, while minimized").thenAccept(m -> seq[0] = m.seq());
                })
                .step("the second message delivered", () -> seq[0] > 0 && delivered(bobMarks) >= seq[0]
                        && Workbench.history(display).contains("second, while minimized"), () -> { })
                .settle().settle().settle()
                .step("a moment for a read mark to come", () -> true, () -> {
                    assertTrue(read(bobMarks) < seq[0], "read while minimized");
                    window(display).setMinimized(false);
                    window(display).forceActive();
                    Ui.moveMouseOver(chat(display).history().control()); // the user is back
                })
                .step("the second message read once back", () -> read(bobMarks) >= seq[0], () -> {
                    elsewhere[0] = otherApplication(display);
                })
                .step("another window in front", () -> display.getActiveShell() == elsewhere[0], () -> {
                    seq[0] = 0;
                    ann.send(conversation[0].id(), "third, while bob is elsewhere").thenAccept(m -> seq[0] = m
                            .seq());
                })
                .step("the third message delivered", () -> seq[0] > 0 && delivered(bobMarks) >= seq[0]
                        && Workbench.history(display).contains("third, while bob is elsewhere"), () -> { })
                .settle().settle().settle()
                .step("a moment for a read mark to come", () -> true, () -> {
                    assertTrue(read(bobMarks) < seq[0], "read while another window was in front");
                    elsewhere[0].dispose();
                    window(display).forceActive();
                })
                .step("the third message read once bob's window is back in front",
                        () -> read(bobMarks) >= seq[0], () -> cat.client().openDirect("bob").thenAccept(c -> {
                            catConversation[0] = c;
                        }))
                .step("a conversation with cat", () -> catConversation[0] != null, () -> {
                    open(display, catConversation[0]); // in front of ann's chat, in the same stack
                    seq[0] = 0;
                    ann.send(conversation[0].id(), "fourth, behind another tab").thenAccept(m -> seq[0] = m.seq());
                })
                .step("the fourth message delivered", () -> seq[0] > 0 && delivered(bobMarks) >= seq[0], () -> { })
                .settle().settle().settle()
                .step("a moment for a read mark to come", () -> true, () -> {
                    assertTrue(read(bobMarks) < seq[0], "read while another chat's tab was in front");
                    parts(display).activate(ChatOpener.find(parts(display), conversation[0].id()));
                })
                .step("the fourth message read once its tab is picked", () -> read(bobMarks) >= seq[0],
                        () -> { })
                .settle()
                .step("the window to show", () -> true, () -> screenshot(display, "read-when-looked-at"))
                .step("close", () -> true, () -> Workbench.closeWorkbench(display));
        try {
            run(display, script);
        } finally {
            cat.close();
        }
    }

    /**
     * Bug 2, the user away: with "Away after 1 minute" in the preferences, a message that arrives after a minute
     * without keyboard or mouse in Parley is delivered, not read, though its chat is in front; it is read when the
     * user moves the mouse again. The chat's activity tracker runs on a clock the test moves on by the minute, as
     * the application's context would give it one on the system's clock.
     */
    @Test
    void aMessageToAnAwayUserIsReadWhenTheyAct() throws Exception {
        Display display = Display.getDefault();
        ParleyClient ann = other.client();
        Map<String, long[]> bobMarks = new ConcurrentHashMap<>();
        ann.addListener(new ClientListener() {
            @Override
            public void receiptChanged(Chat.ReceiptChanged r) {
                if (r.user().equals("bob")) {
                    bobMarks.put("bob", new long[] {r.deliveredUpTo(), r.readUpTo()});
                }
            }
        });
        org.parley.ui.Preferences.node().putInt(org.parley.ui.Preferences.IDLE_MINUTES, 1);
        Conversations.ConversationInfo[] conversation = new Conversations.ConversationInfo[1];
        long[] seq = new long[1];
        AtomicLong skipped = new AtomicLong(); // how far the tracker's clock is ahead of the system's, in ns
        UserActivity[] activity = new UserActivity[1];
        Script script = signedIn(display)
                .step("a conversation with ann", () -> true, () -> {
                    activity[0] = new UserActivity(display, () -> System.nanoTime() + skipped.get());
                    windowContext(display).set(UserActivity.class, activity[0]);
                    ann.openDirect("bob").thenAccept(c -> conversation[0] = c);
                })
                .step("ann's conversation", () -> conversation[0] != null, () -> {
                    open(display, conversation[0]);
                    window(display).forceActive();
                    Ui.moveMouseOver(chat(display).history().control());
                    ann.send(conversation[0].id(), "first, while bob is here").thenAccept(m -> seq[0] = m.seq());
                })
                .step("the first message read", () -> seq[0] > 0 && read(bobMarks) >= seq[0], () -> {
                    assertTrue(!activity[0].idle(), "bob counted as here");
                    // a minute and a second without keyboard or mouse
                    skipped.addAndGet(TimeUnit.SECONDS.toNanos(61));
                })
                .step("bob counted as away", () -> activity[0].idle(), () -> {
                    seq[0] = 0;
                    ann.send(conversation[0].id(), "second, while bob is away").thenAccept(m -> seq[0] = m.seq());
                })
                .step("the second message delivered", () -> seq[0] > 0 && delivered(bobMarks) >= seq[0],
                        () -> { })
                .settle().settle().settle()
                .step("a moment for a read mark to come", () -> true, () -> {
                    assertTrue(read(bobMarks) < seq[0], "read while bob was away");
                    assertTrue(display.getActiveShell() == window(display), "bob's window in front all along");
                    Ui.moveMouseOver(window(display)); // bob is back
                })
                .step("the second message read once bob is back", () -> read(bobMarks) >= seq[0], () -> { })
                .step("close", () -> true, () -> Workbench.closeWorkbench(display));
        try {
            run(display, script);
        } finally {
            org.parley.ui.Preferences.node().remove(org.parley.ui.Preferences.IDLE_MINUTES);
            if (activity[0] != null) {
                activity[0].close();
            }
        }
    }

    private static long delivered(Map<String, long[]> marks) {
        long[] m = marks.get("bob");
        return m == null ? 0 : m[0];
    }

    private static long read(Map<String, long[]> marks) {
        long[] m = marks.get("bob");
        return m == null ? 0 : m[1];
    }

    /**
     * Bug 5: opening a chat puts the keyboard in its entry field, and so does coming back to the window after
     * another application had the keyboard, even when the user had clicked into the history before leaving.
     */
    @Test
    void keystrokesLandInTheEntryFieldAfterSwitchingWindows() throws Exception {
        Display display = Display.getDefault();
        ParleyClient ann = other.client();
        Conversations.ConversationInfo[] conversation = new Conversations.ConversationInfo[1];
        Shell[] elsewhere = new Shell[1];
        Script script = signedIn(display)
                .step("a conversation with ann", () -> true, () -> ann.openDirect("bob").thenAccept(c -> {
                    conversation[0] = c;
                }))
                .step("ann's conversation", () -> conversation[0] != null, () -> {
                    window(display).forceActive();
                    open(display, conversation[0]);
                })
                .step("the chat", () -> entry(display) != null && display.getActiveShell() == window(display),
                        () -> Ui.type(display, "hello"))
                .step("typed into the entry after opening", () -> entry(display).getText().equals("hello"), () -> {
                    chat(display).history().canvas().setFocus(); // the user clicked into the history
                    elsewhere[0] = otherApplication(display);
                })
                .step("another window in front", () -> display.getActiveShell() == elsewhere[0], () -> {
                    elsewhere[0].dispose();
                    window(display).forceActive();
                })
                .step("Parley in front again, the chat's entry with the keyboard", () -> display
                        .getActiveShell() == window(display) && entry(display).isFocusControl(),
                        () -> Ui.type(display, " again"))
                .step("typed into the entry after coming back", () -> entry(display).getText().equals(
                        "hello again"), () -> {
                            // the contacts had the focus; the user picks the chat's tab
                            MPart contacts = parts(display).findPart("org.parley.contacts.ui.part");
                            parts(display).activate(contacts);
                            assertTrue(!entry(display).isFocusControl(), "the contacts have the keyboard");
                            parts(display).activate(parts(display).getParts().stream().filter(
                                    p -> p.getObject() instanceof ChatPart).findFirst().orElseThrow());
                            Ui.type(display, " and again");
                        })
                .step("typed into the entry after picking the tab", () -> entry(display).getText().equals(
                        "hello again and again"), () -> { })
                .settle()
                .step("the window to show", () -> true, () -> screenshot(display, "entry-keeps-keys"))
                .step("close", () -> true, () -> Workbench.closeWorkbench(display));
        run(display, script);
    }

    /**
     * Bug 6: the shortcuts the window advertises do what they say, from the keyboard: Ctrl+Shift+A (Attach file's
     * tooltip) asks for files and sends them (the file chooser is a test's, registered as the OSGi service Attach
     * file asks before the desktop's dialog), Ctrl+W closes the chat tab; Ctrl+F (Find in chat, in the Parley menu)
     * is advertised now that it works (SearchTest drives it).
     */
    @Test
    void theAdvertisedShortcutsWork() throws Exception {
        Display display = Display.getDefault();
        ParleyClient ann = other.client();
        Path file = Files.writeString(temp.resolve("shortcut.txt"), "sent with Ctrl+Shift+A\n");
        List<String> asked = new CopyOnWriteArrayList<>();
        BundleContext osgi = Platform.getBundle("org.eclipse.osgi").getBundleContext(); // the framework's
        ServiceRegistration<FileChooser> chooser = osgi.registerService(FileChooser.class, (parent, title) -> {
            asked.add(title);
            return List.of(file);
        }, null);
        Conversations.ConversationInfo[] conversation = new Conversations.ConversationInfo[1];
        Script script = signedIn(display)
                .step("a conversation with ann", () -> true, () -> ann.openDirect("bob").thenAccept(c -> {
                    conversation[0] = c;
                }))
                .step("ann's conversation", () -> conversation[0] != null, () -> {
                    window(display).forceActive();
                    open(display, conversation[0]);
                })
                .step("the chat, its entry with the keyboard", () -> entry(display) != null
                        && display.getActiveShell() == window(display) && entry(display).isFocusControl(), () -> {
                            String advertised = advertised(window(display));
                            assertTrue(advertised.contains("Ctrl+Shift+A"), advertised);
                            assertTrue(advertised.contains("Ctrl+C"), "the history's context menu: " + advertised);
                            assertTrue(advertised.contains("Ctrl+F"), "Find in chat's Ctrl+F: " + advertised);
                            Ui.key(display, 'a', SWT.CTRL | SWT.SHIFT);
                        })
                .step("Attach file to ask for files", () -> !asked.isEmpty(),
                        () -> assertEquals(List.of("Send files to this conversation"), asked))
                .step("the file to reach ann", () -> other.received().stream().anyMatch(m -> !m.attachments()
                        .isEmpty() && m.attachments().get(0).name().equals("shortcut.txt")), () -> {
                            entry(display).setFocus();
                            Ui.key(display, 'w', SWT.CTRL);
                        })
                .step("the chat closed", () -> chatCount(display) == 0, () -> { })
                .settle()
                .step("the window to show", () -> true, () -> screenshot(display, "chat-closed-by-ctrl-w"))
                .step("close", () -> true, () -> Workbench.closeWorkbench(display));
        try {
            run(display, script);
        } finally {
            chooser.unregister();
        }
        assertEquals(1, asked.size(), "one Ctrl+Shift+A, one question");
    }

    /** Every tooltip, placeholder, menu and context menu item text of a window: where shortcuts are advertised. */
    private static String advertised(Shell shell) {
        StringBuilder s = new StringBuilder();
        for (Control c : Ui.find(shell, Control.class)) {
            if (c.getToolTipText() != null) {
                s.append(c.getToolTipText()).append('\n');
            }
            if (c instanceof Text t && t.getMessage() != null) {
                s.append(t.getMessage()).append('\n');
            }
            if (c.getMenu() != null) { // context menus (the history's: Copy, Select All)
                c.getMenu().notifyListeners(SWT.Show, new org.eclipse.swt.widgets.Event());
                for (org.eclipse.swt.widgets.MenuItem i : c.getMenu().getItems()) {
                    s.append(i.getText()).append('\n');
                }
                c.getMenu().notifyListeners(SWT.Hide, new org.eclipse.swt.widgets.Event());
            }
        }
        org.eclipse.swt.widgets.Menu bar = shell.getMenuBar();
        if (bar != null) {
            for (org.eclipse.swt.widgets.MenuItem top : bar.getItems()) {
                top.getMenu().notifyListeners(SWT.Show, new org.eclipse.swt.widgets.Event());
                for (org.eclipse.swt.widgets.MenuItem i : top.getMenu().getItems()) {
                    s.append(i.getText()).append('\n');
                }
                top.getMenu().notifyListeners(SWT.Hide, new org.eclipse.swt.widgets.Event());
            }
        }
        return s.toString();
    }
}
