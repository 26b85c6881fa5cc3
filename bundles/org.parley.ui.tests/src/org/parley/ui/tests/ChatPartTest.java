package org.parley.ui.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.eclipse.core.runtime.ILogListener;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Platform;
import org.eclipse.e4.core.contexts.ContextInjectionFactory;
import org.eclipse.e4.core.contexts.EclipseContextFactory;
import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.ui.model.application.ui.basic.MBasicFactory;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.chat.ui.internal.ChatNotifications;
import org.parley.chat.ui.internal.ChatPart;
import org.parley.chat.ui.internal.HistoryView;
import org.parley.client.core.ClientListener;
import org.parley.client.core.ParleyClient;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Conversations;
import org.parley.ui.ParleyUi;
import org.parley.ui.testing.ServerProcess;
import org.parley.ui.testing.Ui;
import org.parley.ui.testing.Workbench;

/**
 * The chat part in a real window, with the real client core and a real server: a message from another user
 * appears, typing shows, and what the user types and sends with Enter reaches the other user.
 */
class ChatPartTest {

    @TempDir
    Path temp;

    private ServerProcess server;
    private ParleyClient ann;
    private ParleyClient bob;
    private Display display;
    private Shell shell;

    @BeforeEach
    void start() throws Exception {
        server = ServerProcess.start(temp.resolve("server"));
        ann = new ParleyClient(ParleyClient.Config.of("127.0.0.1", server.port).plaintext());
        bob = new ParleyClient(ParleyClient.Config.of("127.0.0.1", server.port).plaintext());
        ann.register("ann", "password-ann", "Ann").get(30, TimeUnit.SECONDS);
        bob.register("bob", "password-bob", "Bob").get(30, TimeUnit.SECONDS);
        display = Display.getDefault();
        shell = new Shell(display);
        shell.setText("Parley chat test");
        shell.setLayout(new FillLayout());
        shell.setSize(900, 600);
    }

    @AfterEach
    void stop() throws Exception {
        if (shell != null) {
            shell.dispose();
        }
        ann.close();
        bob.close();
        server.close();
    }

    /** Creates bob's chat part as the workbench would: from a context, with its MPart naming the conversation. */
    private ChatPart openChat(long conversation) {
        return openChat(conversation, bob);
    }

    /** As {@link #openChat(long)}, the chat of {@code client}'s user. */
    private ChatPart openChat(long conversation, ParleyClient client) {
        IEclipseContext context = EclipseContextFactory.create("chat test");
        MPart part = MBasicFactory.INSTANCE.createPart();
        part.getPersistedState().put(ParleyUi.CONVERSATION_ID, String.valueOf(conversation));
        context.set(ParleyClient.class, client);
        context.set(MPart.class, part);
        context.set(Composite.class, new Composite(shell, SWT.NONE));
        return ContextInjectionFactory.make(ChatPart.class, context);
    }

    private Text entryField() {
        return Ui.find(shell, Text.class).stream().filter(t -> (t.getStyle() & SWT.MULTI) != 0).findFirst()
                .orElseThrow();
    }

    @Test
    void messagesFlowBothWaysThroughTheChatPart() throws Exception {
        long conversation = bob.openDirect("ann").get(30, TimeUnit.SECONDS).id();
        ann.send(conversation, "hello from ann").get(30, TimeUnit.SECONDS);

        List<Chat.ChatMessage> annReceived = new CopyOnWriteArrayList<>();
        ann.addListener(new ClientListener() {
            @Override
            public void message(Chat.ChatMessage m) {
                annReceived.add(m);
            }
        });

        HistoryView history = openChat(conversation).history();
        shell.layout(true, true);
        shell.open();

        Ui.until(display, "the history", () -> history.visibleText().contains("ann: hello from ann"));

        ann.typing(conversation, true);
        List<Label> labels = Ui.find(shell, Label.class);
        Ui.until(display, "the typing indicator", () -> labels.stream().anyMatch(
                l -> l.getText().equals("Ann is typing…"))); // her display name, found by a search

        Text input = entryField();
        input.setText("reply from bob");
        Event enter = new Event();
        enter.keyCode = SWT.CR;
        enter.character = '\r';
        input.notifyListeners(SWT.KeyDown, enter);

        Ui.until(display, "bob's reply in his history", () -> history.visibleText().contains("bob: reply from bob"));
        Ui.until(display, "ann to receive the reply", () -> !annReceived.isEmpty());
        assertEquals("reply from bob", annReceived.get(0).text());
        assertEquals("", input.getText(), "the entry field is cleared after sending");

        Path shot = Ui.settledScreenshot(shell, "chat-part");
        assertTrue(Files.size(shot) > 1000, "a screenshot was written");
    }

    private void typeAndSend(String text) {
        Text input = entryField();
        input.setText(text);
        Event enter = new Event();
        enter.keyCode = SWT.CR;
        enter.character = '\r';
        input.notifyListeners(SWT.KeyDown, enter);
    }

    /** The outbox strip above the entry field, and the text it shows (empty when hidden). */
    private String outboxText() {
        Composite strip = Ui.find(shell, Composite.class).stream().filter(c -> c.getData("parley.outbox") != null)
                .findFirst().orElseThrow();
        if (!strip.isVisible()) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        for (org.eclipse.swt.widgets.Control c : strip.getChildren()) {
            text.append(c instanceof Label l ? l.getText() : ((org.eclipse.swt.widgets.Link) c).getText()).append('\n');
        }
        return text.toString();
    }

    @Test
    void aMessageTheServerHasNotStoredYetIsShownWaitingThenArrives() throws Exception {
        long conversation = bob.openDirect("ann").get(30, TimeUnit.SECONDS).id();
        HistoryView history = openChat(conversation).history();
        shell.layout(true, true);
        shell.open();
        Ui.until(display, "the chat", () -> history.control().isVisible());

        server.suspend(); // the server stops answering: the message cannot be stored
        try {
            typeAndSend("sent while the server is away");
            assertEquals("", entryField().getText(), "the entry field is cleared: the message is on its way");
            Ui.until(display, "the message shown as waiting", () -> outboxText().contains(
                    "“sent while the server is away”"));
            assertThat(outboxText()).contains("1 message is waiting to be sent");
            Ui.settledScreenshot(shell, "chat-outbox-waiting");
        } finally {
            server.resume();
        }
        Ui.until(display, "the message stored and in the history", 60,
                () -> history.visibleText().contains("bob: sent while the server is away"));
        Ui.until(display, "the strip gone once stored", () -> outboxText().isEmpty());
    }

    @Test
    void aMessageTheServerRefusesKeepsItsTextAndSaysWhy() throws Exception {
        long conversation = bob.openDirect("ann").get(30, TimeUnit.SECONDS).id();
        openChat(conversation);
        shell.layout(true, true);
        shell.open();

        String tooLong = "x".repeat(70_000) + " the end"; // the server's limit is 65,536 bytes
        typeAndSend(tooLong);
        Ui.until(display, "the refusal", () -> outboxText().contains("Not sent:"));
        assertThat(outboxText()).contains("larger than the server's limit").contains("Edit").contains("Discard");
        Ui.settledScreenshot(shell, "chat-outbox-refused");

        org.eclipse.swt.widgets.Link refusal = Ui.find(shell, org.eclipse.swt.widgets.Link.class).stream()
                .filter(l -> l.getData("parley.outbox.failed") != null).findFirst().orElseThrow();
        Event edit = new Event();
        edit.text = "edit";
        refusal.notifyListeners(SWT.Selection, edit);
        assertEquals(tooLong, entryField().getText(), "Edit gives the text back, nothing is lost");
        Ui.until(display, "the strip gone after Edit", () -> outboxText().isEmpty());
        assertEquals(0, bob.pendingCount().get(5, TimeUnit.SECONDS), "nothing is left to send");
    }

    @Test
    void aComposerActionContributedByAnotherPluginAppearsAndWorks() throws Exception {
        long conversation = bob.openDirect("ann").get(30, TimeUnit.SECONDS).id();
        openChat(conversation);
        shell.open();

        org.eclipse.swt.widgets.Button greeting = Ui.find(shell, org.eclipse.swt.widgets.Button.class).stream()
                .filter(b -> "org.parley.ui.tests.greeting".equals(b.getData("parley.composerAction"))).findFirst()
                .orElseThrow(() -> new AssertionError("the contributed action has no button"));
        assertEquals("&Greeting", greeting.getText());
        greeting.notifyListeners(SWT.Selection, new Event());
        Text input = entryField();
        assertEquals("Greetings from conversation " + conversation + "! ", input.getText());
    }

    /**
     * Message actions contributed through org.parley.chat.ui.messageActions: the menu opened on a message offers
     * Parley's Reply, Quote and Copy Link and, on one's own message only, the test bundle's Shout (order 250), in their
     * order above Copy; a contribution
     * whose class is missing and one that throws are logged and left out; choosing an action runs it on that message.
     */
    @Test
    void contributedMessageActionsAreOfferedPerMessageAndRunOnIt() throws Exception {
        List<IStatus> logged = new CopyOnWriteArrayList<>();
        ILogListener log = (status, plugin) -> logged.add(status);
        Platform.addLogListener(log);
        try {
            long conversation = bob.openDirect("ann").get(30, TimeUnit.SECONDS).id();
            long annSeq = ann.send(conversation, "hello there\nsecond line").get(30, TimeUnit.SECONDS).seq();
            long bobSeq = bob.send(conversation, "mine").get(30, TimeUnit.SECONDS).seq();
            HistoryView history = openChat(conversation).history();
            shell.layout(true, true);
            shell.open();
            Ui.until(display, "the messages", () -> history.visibleText().contains("bob: mine"));

            List<String> onAnns = menuOn(history, annSeq);
            assertThat(onAnns).startsWith("&Reply", "&Quote", "&React…", "Copy &Link", "", "&Copy\tCtrl+C")
                    .doesNotContain("&Shout", "Throwing", "Missing");
            List<String> onBobs = menuOn(history, bobSeq);
            assertThat(onBobs).startsWith("&Reply", "&Quote", "&Shout", "&React…", "&Edit", "Copy &Link", "&Delete…",
                    "", "&Copy\tCtrl+C");
            assertThat(menuOn(history, bobSeq)).as("the menu opened again has each action once").isEqualTo(onBobs);
            assertThat(logged).anyMatch(st -> st.getMessage().contains("org.parley.ui.tests.missingAction")
                    && st.getMessage().contains("cannot be created"));
            assertThat(logged).anyMatch(st -> st.getMessage().contains("org.parley.ui.tests.throwingAction")
                    && st.getMessage().contains("failed in isAvailable"));

            choose(history, annSeq, "&Quote");
            assertEquals("> hello there\n> second line\n\n", entryField().getText());
            entryField().setText("");
            choose(history, bobSeq, "&Shout");
            assertEquals("MINE (seq " + bobSeq + " in " + conversation + ")", entryField().getText());
        } finally {
            Platform.removeLogListener(log);
        }
    }

    /** Opens the history's context menu with the mouse on message {@code seq}; the items' texts, "" for separators. */
    private List<String> menuOn(HistoryView history, long seq) {
        org.eclipse.swt.widgets.Menu menu = openMenuOn(history, seq);
        List<String> items = java.util.Arrays.stream(menu.getItems()).map(org.eclipse.swt.widgets.MenuItem::getText)
                .toList();
        menu.notifyListeners(SWT.Hide, new Event());
        return items;
    }

    private void choose(HistoryView history, long seq, String label) {
        org.eclipse.swt.widgets.Menu menu = openMenuOn(history, seq);
        org.eclipse.swt.widgets.MenuItem item = java.util.Arrays.stream(menu.getItems())
                .filter(i -> i.getText().equals(label)).findFirst().orElseThrow();
        menu.notifyListeners(SWT.Hide, new Event());
        item.notifyListeners(SWT.Selection, new Event());
    }

    private org.eclipse.swt.widgets.Menu openMenuOn(HistoryView history, long seq) {
        Rectangle body = history.bodyBounds(seq);
        org.eclipse.swt.graphics.Point at = history.canvas().toDisplay(body.x + 4, body.y + 4);
        Event detect = new Event();
        detect.detail = SWT.MENU_MOUSE;
        detect.x = at.x;
        detect.y = at.y;
        history.canvas().notifyListeners(SWT.MenuDetect, detect);
        org.eclipse.swt.widgets.Menu menu = history.canvas().getMenu();
        menu.notifyListeners(SWT.Show, new Event());
        return menu;
    }

    @Test
    void shiftEnterStartsANewLineInsteadOfSending() throws Exception {
        long conversation = bob.openDirect("ann").get(30, TimeUnit.SECONDS).id();
        openChat(conversation);
        shell.open();

        Text input = entryField();
        input.setText("first line");
        Event shiftEnter = new Event();
        shiftEnter.keyCode = SWT.CR;
        shiftEnter.stateMask = SWT.SHIFT;
        input.notifyListeners(SWT.KeyDown, shiftEnter);
        Ui.until(display, "events", () -> true);
        assertEquals("first line", input.getText(), "nothing was sent");
        assertEquals(0, bob.pendingCount().get(5, TimeUnit.SECONDS));
    }

    /**
     * Renderers contributed through org.parley.chat.ui.messageRenderers: the test bundle's card renderer draws a
     * taller row with an embedded button and reacts to clicks, Enter and Copy, with the chat's context; a
     * contribution whose class is missing, one with a kind that does not exist, and one that throws while painting
     * are logged and the chat goes on; embedded controls exist only while their row is in view.
     */
    @Test
    void contributedMessageRenderersDrawEmbedAndReactAndBrokenOnesAreSkipped() throws Exception {
        List<IStatus> logged = new CopyOnWriteArrayList<>();
        ILogListener log = (status, plugin) -> logged.add(status);
        Platform.addLogListener(log);
        try {
            long conversation = bob.openDirect("ann").get(30, TimeUnit.SECONDS).id();
            ann.send(conversation, "card: Quarterly report").get(30, TimeUnit.SECONDS);
            ann.send(conversation, "boom: this one breaks its renderer").get(30, TimeUnit.SECONDS);
            ann.send(conversation, "just text").get(30, TimeUnit.SECONDS);
            CardRenderer.events.clear();

            HistoryView history = openChat(conversation).history();
            shell.layout(true, true);
            shell.open();
            Ui.until(display, "the messages", () -> history.visibleText().contains("ann: just text")
                    && !history.visibleText().contains("…"));
            assertThat(history.visibleText()).contains("ann: Card: Quarterly report\n")
                    .contains("ann: boom: this one breaks its renderer\n");
            Ui.until(display, "the broken renderer to be reported", () -> logged.stream().anyMatch(
                    st -> st.getMessage().contains("org.parley.ui.tests.exploding") && st.getMessage().contains(
                            "failed in paint")));
            assertThat(logged).anyMatch(st -> st.getSeverity() == IStatus.ERROR && st.getMessage().contains(
                    "org.parley.ui.tests.missing") && st.getMessage().contains("cannot be created"));
            assertThat(logged).anyMatch(st -> st.getMessage().contains("org.parley.ui.tests.badkind")
                    && st.getMessage().contains("malformed"));

            // The card: a body of the height it measured, with its button inside it.
            Rectangle body = history.bodyBounds(1);
            assertThat(body).isNotNull();
            assertThat(body.height).isEqualTo(CardRenderer.HEIGHT);
            Button open = Ui.find(shell, Button.class).stream().filter(
                    b -> Long.valueOf(1).equals(b.getData("org.parley.ui.tests.card"))).findFirst().orElseThrow();
            assertThat(body.contains(open.getBounds().x, open.getBounds().y)).as(open.getBounds() + " in " + body)
                    .isTrue();
            Ui.settledScreenshot(shell, "message-renderers");

            String who = conversation + " bob Quarterly report";
            open.notifyListeners(SWT.Selection, new Event());
            Event click = new Event();
            click.button = 1;
            click.x = body.x + 20;
            click.y = body.y + 20;
            history.canvas().notifyListeners(SWT.MouseDown, click);
            history.select(1, 1);
            LongHistoryTest.key(history, SWT.CR, 0);
            assertThat(CardRenderer.events).containsExactly("button " + who, "click " + who, "activate " + who);
            LongHistoryTest.key(history, 'c', SWT.MOD1);
            assertThat(LongHistoryTest.clipboard(display)).isEqualTo("Card: Quarterly report");

            // Once the card scrolls out of view, its control is gone (the history is virtual).
            for (int i = 0; i < 60; i++) {
                ann.send(conversation, "filler " + i);
            }
            Ui.until(display, "the newest filler", () -> history.visibleText().contains("ann: filler 59\n"));
            assertThat(history.bodyBounds(1)).isNull();
            assertThat(open.isDisposed()).isTrue();
        } finally {
            Platform.removeLogListener(log);
        }
    }

    /**
     * A code snippet (the chat plug-in's own renderer, as in the standalone application): drawn with its title,
     * long code cut; Copy gives the code; with no SnippetOpener (no IDE) Enter copies the code too; a text that is
     * almost a snippet stays text.
     */
    @Test
    void aSnippetIsDrawnWithItsTitleAndOpeningCopiesItsCodeWithoutAnIde() throws Exception {
        long conversation = bob.openDirect("ann").get(30, TimeUnit.SECONDS).id();
        StringBuilder longCode = new StringBuilder();
        for (int i = 1; i <= 40; i++) {
            longCode.append(i == 1 ? "" : "\n").append("    step(").append(i).append(");");
        }
        org.parley.chat.ui.Snippet snippet = org.parley.chat.ui.Snippet.of("app/src/Steps.java", 100, 139,
                longCode.toString());
        ann.send(conversation, snippet.toMessageText()).get(30, TimeUnit.SECONDS);
        ann.send(conversation, "```java Steps.java\nno line range: plain text\n```").get(30, TimeUnit.SECONDS);

        HistoryView history = openChat(conversation).history();
        shell.layout(true, true);
        shell.open();
        Ui.until(display, "the snippet", () -> history.visibleText().contains("no line range")
                && history.shows("org.parley.chat.ui.snippet", t -> org.parley.chat.ui.Snippet.parse(t)
                        .map(org.parley.chat.ui.Snippet::title).filter("Steps.java, lines 100–139"::equals)
                        .isPresent()));
        assertThat(history.copyText(1)).isEqualTo(snippet.code());
        assertThat(history.copyText(2)).startsWith("```java Steps.java");
        Rectangle body = history.bodyBounds(1);
        assertThat(body.height).as("cut after 15 lines, not 40").isLessThan(20 * 40);
        Ui.settledScreenshot(shell, "snippet");

        history.select(1, 1);
        LongHistoryTest.key(history, 'c', SWT.MOD1);
        assertThat(LongHistoryTest.clipboard(display)).isEqualTo(snippet.code());
        LongHistoryTest.key(history, 'a', SWT.MOD1); // something else on the clipboard
        history.select(2, 2);
        LongHistoryTest.key(history, 'c', SWT.MOD1);
        assertThat(LongHistoryTest.clipboard(display)).startsWith("```java Steps.java");
        history.select(1, 1);
        LongHistoryTest.key(history, SWT.CR, 0);
        assertThat(LongHistoryTest.clipboard(display)).as("Enter copies the code when no opener is installed")
                .isEqualTo(snippet.code());
    }

    /**
     * Catching up many messages at once (a reconnect after a long absence) shows a summary, not one desktop
     * notification per message.
     */
    @Test
    void aBurstOfMessagesGivesOneSummaryNotification() throws Exception {
        long conversation = bob.openDirect("ann").get(30, TimeUnit.SECONDS).id();
        IEclipseContext context = EclipseContextFactory.create("notifications test");
        context.set(ParleyClient.class, bob);
        ContextInjectionFactory.make(ChatNotifications.class, context);
        org.parley.ui.testing.ToastRecorder toasts = org.parley.ui.testing.ToastRecorder.install(display);
        for (int i = 1; i <= 30; i++) {
            ann.send(conversation, "burst " + i);
        }
        Ui.until(display, "the summary", () -> String.valueOf(toasts.last()).endsWith(
                "Ann: burst 30")); // ann's display name (not bob's contact: found by the user search)
        assertThat(toasts.count()).as("popups for 30 messages").isBetween(1, 3);
        assertThat(toasts.last()).contains(" new messages\n… and ");
        context.dispose();
        toasts.close();
    }

    /** Events already queued for a chat that is then closed are dropped, not run against disposed widgets. */
    @Test
    void aClosedChatIgnoresEventsStillQueued() throws Exception {
        long conversation = bob.openDirect("ann").get(30, TimeUnit.SECONDS).id();
        HistoryView history = openChat(conversation).history();
        shell.open();
        Ui.until(display, "the empty history", () -> history.lastSeq() == 0);
        long seq = ann.send(conversation, "too late").get(30, TimeUnit.SECONDS).seq();
        // Without running the display: once bob's client has handed the message over, it waits in the queue.
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (bob.deliveredUpTo(conversation).get(30, TimeUnit.SECONDS) < seq) {
            assertThat(System.nanoTime()).as("bob's client to receive the message").isLessThan(deadline);
            Thread.sleep(20);
        }
        history.control().getParent().dispose(); // the part closes
        Ui.settle(display); // runs what was queued: nothing may fail
        assertThat(history.control().isDisposed()).isTrue();
    }

    /**
     * The typing indicator does not stick: bob's chat stops showing "ann is typing…" by itself when ann's client
     * stops refreshing it (a sender that vanished); and bob's own entry field tells the others he stopped when he
     * empties it, when it loses the focus, and a few seconds after his last keystroke.
     */
    @Test
    void typingStopsWhenTheEntryEmptiesLosesFocusOrRests() throws Exception {
        long conversation = bob.openDirect("ann").get(30, TimeUnit.SECONDS).id();
        List<Chat.TypingChanged> annSaw = new CopyOnWriteArrayList<>();
        ann.addListener(new ClientListener() {
            @Override
            public void typingChanged(Chat.TypingChanged t) {
                annSaw.add(t);
            }
        });
        openChat(conversation);
        Button elsewhere = new Button(shell, SWT.PUSH);
        elsewhere.setText("elsewhere");
        shell.layout(true, true);
        shell.open();
        shell.forceActive();
        Text input = entryField();
        Ui.until(display, "the window with the keyboard", () -> display.getActiveShell() == shell);

        // ann starts typing, then her client goes silent (no refresh, no "stopped"): the indicator goes by itself
        ann.typing(conversation, true);
        List<Label> labels = Ui.find(shell, Label.class);
        Ui.until(display, "the typing indicator", () -> labels.stream().anyMatch(
                l -> l.getText().equals("Ann is typing…"))); // her display name, found by a search
        Ui.settledScreenshot(shell, "typing-shown");
        Ui.until(display, "the typing indicator to expire", () -> labels.stream().noneMatch(
                l -> l.getText().contains("is typing")));

        // bob types, then empties the entry field
        input.setFocus();
        input.setText("hel");
        Ui.until(display, "ann to see bob typing", () -> last(annSaw).map(Chat.TypingChanged::typing).orElse(false));
        input.setText("");
        Ui.until(display, "ann to see bob stop (entry emptied)", () -> !last(annSaw).orElseThrow().typing());

        // bob types, then moves the focus out of the entry field
        input.setText("hello");
        Ui.until(display, "ann to see bob typing again", () -> last(annSaw).orElseThrow().typing());
        elsewhere.setFocus();
        Ui.until(display, "ann to see bob stop (focus left)", () -> !last(annSaw).orElseThrow().typing());

        // bob types one more key, then rests
        input.setFocus();
        input.setText("hello!");
        Ui.until(display, "ann to see bob typing once more", () -> last(annSaw).orElseThrow().typing());
        Ui.until(display, "ann to see bob stop (resting)", () -> !last(annSaw).orElseThrow().typing());
        assertEquals("hello!", input.getText(), "the text stays");
    }

    /**
     * A chat with unread messages opens at the first of them, under a "New messages" line, not at the newest one;
     * the group's SYSTEM lines ("created the group") and the user's own messages are not unread; only the pages
     * around it and the newest are loaded (not the 700 messages in between); the line goes when the user sends. A group with nothing but its SYSTEM lines opens at the newest, without the line.
     */
    @Test
    void aChatOpensAtItsFirstUnreadMessageUnderANewMessagesLine() throws Exception {
        long group = ann.createGroup("Release team", List.of("bob")).get(30, TimeUnit.SECONDS).id();
        bob.send(group, "bob was here first").get(30, TimeUnit.SECONDS);
        long firstUnread = ann.send(group, "new 1").get(30, TimeUnit.SECONDS).seq();
        List<java.util.concurrent.CompletableFuture<Chat.Sent>> sends = new java.util.ArrayList<>();
        for (int i = 2; i <= 700; i++) { // seven pages: only those around the first unread and the newest load
            sends.add(ann.send(group, "new " + i));
        }
        for (var f : sends) {
            f.get(60, TimeUnit.SECONDS);
        }
        long newest = firstUnread + 699;

        ChatPart chat = openChat(group);
        HistoryView history = chat.history();
        shell.layout(true, true);
        shell.open();
        Ui.until(display, "the first unread message under the line", () -> history.unreadDivider() == firstUnread
                && history.visibleText().contains("── New messages ──\nann: new 1\n"));
        assertThat(history.isFollowingTail()).as("not at the newest message").isFalse();
        assertThat(history.visibleSeqs()).doesNotContain(newest);
        assertThat(history.isLoaded(firstUnread + 350)).as("the pages in between are not loaded").isFalse();
        assertThat(history.cachedMessages()).as(history.visibleText()).isLessThanOrEqualTo(500);
        Ui.settledScreenshot(shell, "chat-first-unread");

        typeAndSend("read them");
        Ui.until(display, "bob's message, without the line", () -> history.visibleText().contains("bob: read them")
                && history.unreadDivider() == 0 && !history.visibleText().contains("New messages"));

        history.control().getParent().dispose(); // closed; a group with only its SYSTEM lines
        long quiet = ann.createGroup("Quiet team", List.of("bob")).get(30, TimeUnit.SECONDS).id();
        HistoryView quietHistory = openChat(quiet).history();
        shell.layout(true, true);
        Ui.until(display, "the quiet group's history", () -> quietHistory.lastSeq() > 0
                && !quietHistory.visibleSeqs().isEmpty() && quietHistory.visibleSeqs().stream()
                        .allMatch(quietHistory::isLoaded));
        assertThat(quietHistory.unreadDivider()).as(quietHistory.visibleText()).isZero();
        assertThat(quietHistory.visibleText()).doesNotContain("New messages");
        assertThat(quietHistory.isFollowingTail()).isTrue();
    }

    /**
     * A group's member list (the panel at the right of the chat): admins marked "Admin"; "Make admin", "Remove
     * admin" and "Remove from group…" in a member's context menu for the group's admin only, removal (also the
     * Delete key) after a question, and what they do shown as the server tells it. A 1:1 chat has no member list.
     */
    @Test
    void onlyAGroupsAdminIsOfferedRemoveAndMakeAdminAndAdminsAreMarked() throws Exception {
        ParleyClient cat = new ParleyClient(ParleyClient.Config.of("127.0.0.1", server.port).plaintext());
        try {
            cat.register("cat", "password-cat", "Cat").get(30, TimeUnit.SECONDS);
            long group = ann.createGroup("Release team", List.of("bob", "cat")).get(30, TimeUnit.SECONDS).id();
            ChatPart bobsChat = openChat(group);
            shell.layout(true, true);
            shell.open();
            Composite bobsPart = bobsChat.history().control().getParent().getParent();
            Ui.until(display, "bob's list of members", () -> roles(bobsPart).size() == 3);
            assertThat(roles(bobsPart)).containsExactlyInAnyOrderEntriesOf(Map.of("ann", "Admin", "bob", "",
                    "cat", ""));
            Table bobsList = memberList(bobsPart);
            for (int i = 0; i < 3; i++) {
                Workbench.select(bobsList, i);
                assertThat(Workbench.contextMenu(bobsList)).as("bob is no admin: nothing offered").isEmpty();
            }
            bobsPart.dispose();

            ChatPart annsChat = openChat(group, ann);
            shell.layout(true, true);
            Composite annsPart = annsChat.history().control().getParent().getParent();
            Ui.until(display, "ann's list of members", () -> roles(annsPart).size() == 3);
            Table list = memberList(annsPart);
            choose(list, "bob");
            assertThat(Workbench.contextMenu(list)).containsExactly("Make admin", "Remove from group…");
            Workbench.chooseFromContextMenu(list, "Make admin");
            Ui.until(display, "bob marked as admin", () -> "Admin".equals(roles(annsPart).get("bob")));
            assertThat(Workbench.contextMenu(list)).as("bob still selected, now an admin")
                    .containsExactly("Remove admin", "Remove from group…");
            choose(list, "ann");
            assertThat(Workbench.contextMenu(list)).as("oneself: leave the group from the sidebar")
                    .containsExactly("Remove admin");
            shell.setSize(900, 420);
            shell.layout(true, true);
            Ui.settledScreenshot(shell, "group-members-roles");

            choose(list, "cat");
            answerTheQuestion("Cancel");
            Event delete = new Event();
            delete.keyCode = SWT.DEL;
            list.notifyListeners(SWT.KeyDown, delete);
            assertThat(answered).as("Delete asks first").containsExactly("Remove from group");
            assertThat(ann.listConversations().get(30, TimeUnit.SECONDS).stream().filter(c -> c.id() == group)
                    .findFirst().orElseThrow().members()).extracting(Conversations.Member::user).contains("cat");
            answerTheQuestion("Remove");
            Workbench.chooseFromContextMenu(list, "Remove from group…");
            Ui.until(display, "cat removed", () -> roles(annsPart).equals(Map.of("ann", "Admin", "bob", "Admin")));
            assertThat(cat.listConversations().get(30, TimeUnit.SECONDS)).extracting(c -> c.id())
                    .as("cat is out of the group on the server").doesNotContain(group);
            annsPart.dispose();

            long direct = bob.openDirect("ann").get(30, TimeUnit.SECONDS).id();
            bob.send(direct, "just us").get(30, TimeUnit.SECONDS);
            ChatPart directChat = openChat(direct);
            shell.layout(true, true);
            // The history opens once the conversation (its kind and members) is known.
            Ui.until(display, "the 1:1 chat's history", () -> directChat.history().visibleText().contains("just us"));
            assertThat(memberLists(directChat.history().control().getParent().getParent()))
                    .as("no member list in a 1:1 chat").isEmpty();
        } finally {
            cat.close();
        }
    }

    /** The titles of the questions answered by {@link #answerTheQuestion}. */
    private final List<String> answered = new CopyOnWriteArrayList<>();

    /** Answers the next question (a dialog with a button {@code button}) with that button, once it opens. */
    private void answerTheQuestion(String button) {
        Runnable[] poll = new Runnable[1];
        poll[0] = () -> {
            java.util.Optional<Shell> q = Workbench.shellWithButton(display, button);
            if (q.isPresent()) {
                answered.add(q.get().getText());
                Workbench.button(q.get(), button).notifyListeners(SWT.Selection, new Event());
            } else {
                display.timerExec(50, poll[0]);
            }
        };
        answered.clear();
        display.timerExec(50, poll[0]);
    }

    private static List<Table> memberLists(Composite part) {
        return Ui.find(part, Table.class).stream().filter(t -> t.getData("org.parley.chat.members") != null)
                .toList();
    }

    private static Table memberList(Composite part) {
        return memberLists(part).get(0);
    }

    /** The member list's rows: each member (by user name) and what marks their role ("Admin" or ""). */
    private static Map<String, String> roles(Composite part) {
        List<Table> lists = memberLists(part);
        Map<String, String> out = new java.util.LinkedHashMap<>();
        if (!lists.isEmpty()) {
            for (org.eclipse.swt.widgets.TableItem i : lists.get(0).getItems()) {
                out.put((String) i.getData(), i.getText(1));
            }
        }
        return out;
    }

    /** Selects a member's row, as a click would. */
    private static void choose(Table list, String user) {
        org.eclipse.swt.widgets.TableItem[] items = list.getItems();
        for (int i = 0; i < items.length; i++) {
            if (user.equals(items[i].getData())) {
                Workbench.select(list, i);
                return;
            }
        }
        throw new AssertionError(user + " is not listed");
    }

    /**
     * Consecutive messages of one sender within a few minutes share one header (the sender's avatar and display
     * name); another sender starts a new one. Members are named by display name (a contact's from the contact
     * list, another's found by the user search), and by both names where two members share a display name.
     */
    @Test
    void messagesOfOneSenderAreGroupedUnderTheirAvatarAndDisplayName() throws Exception {
        ParleyClient ann2 = new ParleyClient(ParleyClient.Config.of("127.0.0.1", server.port).plaintext());
        ParleyClient cat = new ParleyClient(ParleyClient.Config.of("127.0.0.1", server.port).plaintext());
        try {
            ann2.register("ann2", "password-ann2", "Ann").get(30, TimeUnit.SECONDS);
            cat.register("cat", "password-cat", "Cat Moss").get(30, TimeUnit.SECONDS);
            for (ParleyClient other : List.of(ann, ann2)) { // ann and ann2 are bob's contacts; cat is not
                bob.requestContact(other.user()).get(30, TimeUnit.SECONDS);
                other.answerContact("bob", true).get(30, TimeUnit.SECONDS);
            }
            long group = ann.createGroup("Release team", List.of("bob", "ann2", "cat")).get(30, TimeUnit.SECONDS)
                    .id();
            long first = ann.send(group, "the build is green").get(30, TimeUnit.SECONDS).seq();
            long second = ann.send(group, "tagging 1.0 now").get(30, TimeUnit.SECONDS).seq();
            long third = ann.send(group, "done").get(30, TimeUnit.SECONDS).seq();
            long fromAnn2 = ann2.send(group, "thanks!").get(30, TimeUnit.SECONDS).seq();
            long fromCat = cat.send(group, "release notes are up").get(30, TimeUnit.SECONDS).seq();
            bob.markRead(group, fromCat);

            HistoryView history = openChat(group).history();
            shell.layout(true, true);
            shell.open();
            Ui.until(display, "the messages with their headers", () -> history.visibleSeqs().contains(fromCat)
                    && history.visibleSeqs().stream().allMatch(history::isLoaded)
                    && "Ann (ann)".equals(history.headerName(first)));
            assertThat(history.headerName(second)).as("grouped under ann's header").isNull();
            assertThat(history.headerName(third)).as("grouped under ann's header").isNull();
            assertThat(history.headerName(fromAnn2)).as("the same display name, told apart").isEqualTo("Ann (ann2)");
            // not a contact: her display name all the same, found by the user search (NameLookup)
            Ui.until(display, "cat's display name", () -> "Cat Moss".equals(history.headerName(fromCat)));
            Ui.settledScreenshot(shell, "chat-grouped-avatars");
        } finally {
            ann2.close();
            cat.close();
        }
    }

    /** The avatar of a name: initials, a colour fixed by the user name. */
    @Test
    void avatarsShowInitialsOnAColourOfTheUserName() {
        assertEquals("AA", org.parley.ui.Avatars.initials("Alice Archer"));
        assertEquals("A", org.parley.ui.Avatars.initials("alice"));
        assertEquals("AL", org.parley.ui.Avatars.initials("Ann Lee (ann2)"));
        assertEquals("JD", org.parley.ui.Avatars.initials("  jean-luc  de  Dupont "));
        assertEquals("?", org.parley.ui.Avatars.initials(" "));
        assertEquals(org.parley.ui.Avatars.colour("alice"), org.parley.ui.Avatars.colour("alice"));
        assertThat(java.util.stream.Stream.of("alice", "bob", "cat", "dan", "eve", "fay").map(
                org.parley.ui.Avatars::colour).distinct().count()).as("neighbours told apart").isGreaterThan(3);
    }

    private static java.util.Optional<Chat.TypingChanged> last(List<Chat.TypingChanged> seen) {
        return seen.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(seen.get(seen.size() - 1));
    }
}
