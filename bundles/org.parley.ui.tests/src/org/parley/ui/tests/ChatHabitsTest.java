package org.parley.ui.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.parley.ui.testing.Workbench.parts;
import static org.parley.ui.testing.Workbench.window;
import static org.parley.ui.testing.Workbench.windowContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.eclipse.core.runtime.Platform;
import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.ui.model.application.MAddon;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.eclipse.equinox.app.IApplication;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.chat.ui.internal.ChatNotifications;
import org.parley.chat.ui.internal.ChatPart;
import org.parley.chat.ui.internal.Markdown;
import org.parley.client.core.ParleyClient;
import org.parley.protocol.message.Conversations;
import org.parley.ui.ChatOpener;
import org.parley.ui.testing.NoErrorsLogged;
import org.parley.ui.testing.OtherUser;
import org.parley.ui.testing.Script;
import org.parley.ui.testing.ServerProcess;
import org.parley.ui.testing.Ui;
import org.parley.ui.testing.Workbench;

/**
 * Per-chat habits through the whole application, bob against a real server with ann and cat as other clients
 * (issue 13, item 7): an unsent draft stays with its chat across tab switches, signing out and in, and a restart;
 * a muted chat shows no toast (its unread count still counts) but a message that mentions bob does, and the mute
 * survives a restart.
 */
class ChatHabitsTest {

    @TempDir
    Path temp;

    private ServerProcess server;
    private OtherUser ann;
    private OtherUser cat;
    @RegisterExtension
    final NoErrorsLogged errors = new NoErrorsLogged();

    @BeforeEach
    void start() throws Exception {
        server = ServerProcess.start(temp.resolve("server"));
        ann = OtherUser.register(server.port, "ann", "Ann Lee");
        cat = OtherUser.register(server.port, "cat", "Cat Moss");
        Workbench.useHome(temp.resolve("home"));
    }

    @AfterEach
    void stop() throws Exception {
        ann.close();
        cat.close();
        server.close();
    }

    private static void open(Display display, Conversations.ConversationInfo c) {
        IEclipseContext ctx = windowContext(display);
        ChatOpener.open(ctx.get(EPartService.class), ctx.get(EModelService.class), ctx.get(MApplication.class), c);
    }

    private static ChatPart chat(Display display, long conversationId) {
        MPart p = ChatOpener.find(parts(display), conversationId);
        return p == null || !(p.getObject() instanceof ChatPart c) ? null : c;
    }

    /** The entry field of the chat in front (the visible multi-line text). */
    private static Text entry(Display display) {
        return Ui.find(window(display), Text.class).stream().filter(t -> (t.getStyle() & SWT.MULTI) != 0
                && t.isVisible()).findFirst().orElse(null);
    }

    /** The toasts shown now, top to bottom. */
    private static List<Shell> toastShells(Display display) {
        MApplication app = windowContext(display).get(MApplication.class);
        ChatNotifications n = app.getAddons().stream().map(MAddon::getObject)
                .filter(ChatNotifications.class::isInstance).map(ChatNotifications.class::cast).findFirst()
                .orElseThrow();
        return n.toasts().stream().filter(s -> !s.isDisposed()).toList();
    }

    /** The toasts shown now: their labels' texts, one string per toast. */
    private static List<String> toasts(Display display) {
        return toastShells(display).stream().map(s -> String.join("\n", Workbench.labels(s))).toList();
    }

    private static void screenshot(Display display, String name) {
        try {
            Ui.screenshot(window(display), name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void signIn(Display display, int port, String user) {
        Shell login = Workbench.shellWithButton(display, "Sign in").orElseThrow();
        List<Text> fields = Workbench.fields(login);
        fields.get(0).setText("127.0.0.1");
        fields.get(1).setText(String.valueOf(port));
        fields.get(2).setText(user);
        fields.get(3).setText("password-" + user);
        Workbench.button(login, "Sign in").notifyListeners(SWT.Selection, new Event());
    }

    private void run(Display display, Script script) throws Exception {
        script.onFailure(() -> Workbench.closeWorkbench(display));
        script.start();
        Object exit = Workbench.e4Application().start(new Workbench.TestApplicationContext());
        assertNull(script.failure(), script.failure());
        assertEquals(IApplication.EXIT_OK, exit);
    }

    /** Where this plug-in's preferences are written (the instance location's settings). */
    private static Path chatPreferencesFile() throws Exception {
        return Path.of(Platform.getInstanceLocation().getURL().toURI())
                .resolve(".metadata/.plugins/org.eclipse.core.runtime/.settings/org.parley.chat.ui.prefs");
    }

    @Test
    void aDraftStaysWithItsChatAcrossTabsSignOutAndRestarts() throws Exception {
        Display display = Display.getDefault();
        Conversations.ConversationInfo[] conversations = new Conversations.ConversationInfo[2];
        Script script = new Script(display)
                .step("the login dialog", () -> Workbench.shellWithButton(display, "Sign in").isPresent(),
                        () -> Workbench.signUp(display, server.port, "bob", "Bob Roy"))
                .step("the workbench window", () -> Workbench.workbenchShell(display).isPresent()
                        && Workbench.statusLineShows(display, "● Connected as bob"), () -> {
                            ann.client().openDirect("bob").thenAccept(c -> conversations[0] = c);
                            cat.client().openDirect("bob").thenAccept(c -> conversations[1] = c);
                        })
                .step("conversations with ann and cat", () -> conversations[0] != null && conversations[1] != null,
                        () -> {
                            window(display).forceActive();
                            open(display, conversations[0]);
                        })
                .step("ann's chat with the keyboard", () -> chat(display, conversations[0].id()) != null
                        && entry(display) != null && entry(display).isFocusControl(),
                        () -> Ui.type(display, "half a thought for ann"))
                .step("the draft typed", () -> entry(display).getText().equals("half a thought for ann"),
                        () -> open(display, conversations[1]))
                .step("cat's chat in front, its entry empty", () -> chat(display, conversations[1].id()) != null
                        && entry(display) != null && entry(display).isFocusControl()
                        && entry(display).getText().isEmpty(), () -> Ui.type(display, "and one for cat"))
                .step("cat's draft typed", () -> entry(display).getText().equals("and one for cat"),
                        () -> parts(display).activate(ChatOpener.find(parts(display), conversations[0].id())))
                .step("ann's draft back with ann's tab", () -> entry(display).getText().equals(
                        "half a thought for ann"), () -> { })
                .settle()
                .step("the window to show", () -> true, () -> {
                    screenshot(display, "draft-kept");
                    Workbench.chooseMenuItem(display, "Parley", "Sign out");
                })
                .step("the question", () -> Workbench.shellWithButton(display, "OK").isPresent(),
                        () -> Workbench.button(Workbench.shellWithButton(display, "OK").orElseThrow(), "OK")
                                .notifyListeners(SWT.Selection, new Event()))
                .step("the login dialog after signing out", () -> Workbench.shellWithButton(display, "Sign in")
                        .isPresent(), () -> signIn(display, server.port, "bob"))
                .step("signed in again", () -> Workbench.statusLineShows(display, "● Connected as bob"), () -> {
                    window(display).forceActive();
                    open(display, conversations[0]);
                })
                .step("ann's draft after signing out and in", () -> chat(display, conversations[0].id()) != null
                        && entry(display) != null && entry(display).getText().equals("half a thought for ann"),
                        () -> Workbench.closeWorkbench(display));
        run(display, script);
        assertThat(Files.readString(chatPreferencesFile())).as("the drafts are on disk for the next start")
                .contains("half a thought for ann").contains("and one for cat");

        Display next = Display.getDefault();
        Script again = new Script(next)
                .step("signed in by itself", () -> Workbench.workbenchShell(next).isPresent()
                        && Workbench.statusLineShows(next, "● Connected as bob"), () -> {
                            window(next).forceActive();
                            open(next, conversations[1]);
                        })
                .step("cat's draft after a restart", () -> chat(next, conversations[1].id()) != null && entry(next) != null
                        && entry(next).getText().equals("and one for cat"), () -> {
                            Event enter = new Event(); // Enter, as WorkbenchTest sends it
                            enter.keyCode = SWT.CR;
                            enter.character = '\r';
                            entry(next).notifyListeners(SWT.KeyDown, enter);
                        })
                .step("the draft sent to cat", () -> cat.received().stream().anyMatch(
                        m -> m.text().equals("and one for cat")), () -> { })
                .step("the entry empty after sending", () -> entry(next).getText().isEmpty(),
                        () -> Workbench.closeWorkbench(next));
        run(next, again);
        assertThat(Files.readString(chatPreferencesFile())).as("a sent draft is gone").doesNotContain(
                "and one for cat").contains("half a thought for ann");
    }

    @Test
    void aMutedChatShowsNoToastButAMentionDoes() throws Exception {
        Display display = Display.getDefault();
        ParleyClient annClient = ann.client();
        Conversations.ConversationInfo[] conversations = new Conversations.ConversationInfo[2];
        Script script = new Script(display)
                .step("the login dialog", () -> Workbench.shellWithButton(display, "Sign in").isPresent(),
                        () -> Workbench.signUp(display, server.port, "bob", "Bob Roy"))
                .step("the workbench window", () -> Workbench.workbenchShell(display).isPresent()
                        && Workbench.statusLineShows(display, "● Connected as bob"), () -> {
                            annClient.createGroup("Release team", List.of("bob", "cat"))
                                    .thenAccept(c -> conversations[0] = c);
                            cat.client().openDirect("bob").thenAccept(c -> conversations[1] = c);
                        })
                .step("the group and cat's conversation", () -> conversations[0] != null
                        && conversations[1] != null, () -> {
                            window(display).forceActive();
                            open(display, conversations[0]);
                        })
                .step("the group's chat", () -> chat(display, conversations[0].id()) != null, () -> {
                    assertThat(chat(display, conversations[0].id()).isMuted()).isFalse();
                    Workbench.chooseMenuItem(display, "Parley", "Mute This Chat");
                })
                .step("the group muted", () -> chat(display, conversations[0].id()).isMuted() && Ui.find(window(display),
                        Label.class).stream().anyMatch(l -> l.isVisible() && l.getText().startsWith("Muted")),
                        () -> annClient.send(conversations[0].id(), "a message while bob looks at the muted group"))
                .step("the message in the group", () -> chat(display, conversations[0].id()).history().lastSeq()
                        >= 2, () -> { })
                .settle()
                .step("the muted chat to show", () -> true, () -> {
                    screenshot(display, "chat-muted");
                    open(display, conversations[1]); // the group's tab behind: its messages would toast
                })
                .step("cat's chat in front", () -> chat(display, conversations[1].id()) != null
                        && parts(display).isPartVisible(ChatOpener.find(parts(display), conversations[1].id())), () -> {
                            annClient.send(conversations[0].id(), "an ordinary message in the muted group");
                            cat.client().send(conversations[0].id(), "and another one");
                        })
                .step("the messages in the group's history", () -> chat(display, conversations[0].id()).history()
                        .lastSeq() >= 4, () -> { })
                .settle().settle().settle()
                .step("a moment for a toast to come", () -> true, () -> {
                    assertThat(toasts(display)).as("no toast from a muted chat").isEmpty();
                    assertThat(Workbench.tables(display).stream().flatMap(t -> java.util.Arrays.stream(t.getItems()))
                            .map(i -> i.getText()).filter(t -> t.contains("Release team")).toList())
                            .as("the muted group's unread count still counts (the two messages behind its tab)")
                            .anyMatch(t -> t.matches(".*\\(([2-9]|\\d\\d+) unread\\).*"));
                    annClient.send(conversations[0].id(), "can you check this, " + Markdown.mention("bob", "Bob Roy") + "?");
                })
                .step("a toast for the mention", () -> toasts(display).stream().anyMatch(
                        t -> t.contains("mentioned you") && t.contains("@Bob Roy")), () -> {
                            assertThat(toasts(display)).allMatch(t -> !t.contains("ordinary message"));
                        })
                .settle()
                .step("the toast to show", () -> true, () -> {
                    try {
                        Ui.screenshot(toastShells(display).get(0), "mention-toast");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })
                .step("close", () -> true, () -> Workbench.closeWorkbench(display));
        run(display, script);
        assertThat(Files.readString(chatPreferencesFile())).contains("muted=true");

        Display next = Display.getDefault();
        Script again = new Script(next)
                .step("signed in by itself", () -> Workbench.workbenchShell(next).isPresent()
                        && Workbench.statusLineShows(next, "● Connected as bob"), () -> {
                            window(next).forceActive();
                            open(next, conversations[0]);
                        })
                .step("the group still muted after a restart", () -> chat(next, conversations[0].id()) != null
                        && chat(next, conversations[0].id()).isMuted(), () -> Workbench.chooseMenuItem(next, "Parley",
                                "Mute This Chat"))
                .step("unmuted", () -> !chat(next, conversations[0].id()).isMuted(), () -> Workbench.closeWorkbench(next));
        run(next, again);
    }
}
