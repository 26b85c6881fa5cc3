package org.parley.ui.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.parley.ui.testing.Workbench.CONTACTS;
import static org.parley.ui.testing.Workbench.CONVERSATIONS;
import static org.parley.ui.testing.Workbench.REQUESTS;
import static org.parley.ui.testing.Workbench.button;
import static org.parley.ui.testing.Workbench.closeWorkbench;
import static org.parley.ui.testing.Workbench.e4Application;
import static org.parley.ui.testing.Workbench.hasSidebar;
import static org.parley.ui.testing.Workbench.history;
import static org.parley.ui.testing.Workbench.itemText;
import static org.parley.ui.testing.Workbench.rows;
import static org.parley.ui.testing.Workbench.shellWithButton;
import static org.parley.ui.testing.Workbench.sidebarList;
import static org.parley.ui.testing.Workbench.tables;
import static org.parley.ui.testing.Workbench.windowContext;
import static org.parley.ui.testing.Workbench.workbenchShell;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.ui.MUIElement;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.model.application.ui.basic.MWindow;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.equinox.app.IApplication;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.core.ClientListener;
import org.parley.client.core.ConnectionState;
import org.parley.client.core.ParleyClient;
import org.parley.filetransfer.core.FileTransfers;
import org.parley.filetransfer.ui.TransferList;
import org.parley.ui.Desktop;
import org.parley.ui.ParleyUi;
import org.parley.ui.testing.OtherUser;
import org.parley.ui.testing.Script;
import org.parley.ui.testing.ServerProcess;
import org.parley.ui.testing.Ui;
import org.parley.ui.testing.Workbench;

/**
 * Sign out returns to the login dialog in the same window, and whoever signs in next sees only their own
 * contacts and chats; the window title says who is signed in where. Another user on the same server (a client-core
 * client) stays connected throughout: signing out stops nothing but this session.
 */
class SignOutTest {

    @TempDir
    Path temp;

    @Test
    void signOutReturnsToTheLoginDialogAndTheNextUserSeesOnlyTheirOwn() throws Exception {
        try (ServerProcess server = ServerProcess.start(temp.resolve("server"));
                OtherUser ann = OtherUser.register(server.port, "ann", "Ann Lee");
                OtherUser dan = OtherUser.register(server.port, "dan", "Dan Ford")) {
            List<ConnectionState> annStates = new CopyOnWriteArrayList<>();
            ann.client().addListener(new ClientListener() {
                @Override
                public void stateChanged(ConnectionState state) {
                    annStates.add(state);
                }
            });
            // alice: ann's contact, with a chat from ann; bob: dan's contact only.
            befriend(server.port, "alice", "Alice Archer", ann.client());
            befriend(server.port, "bob", "Bob Roy", dan.client());
            long annAndAlice = ann.client().openDirect("alice").get(30, TimeUnit.SECONDS).id();
            ann.client().send(annAndAlice, "hello alice").get(30, TimeUnit.SECONDS);
            Path notes = temp.resolve("notes.txt");
            Files.writeString(notes, "meeting notes");
            new FileTransfers(ann.client()).upload(annAndAlice, notes, FileTransfers.UploadOptions.of("text/plain"),
                    FileTransfers.Progress.NONE).result().get(60, TimeUnit.SECONDS);
            List<String> launched = new CopyOnWriteArrayList<>();
            String[] layout = new String[1];
            Workbench.useHome(temp.resolve("home"));
            String where = "@127.0.0.1:" + server.port;

            Display display = Display.getDefault();
            Script script = new Script(display)
                    .step("the login dialog", () -> shellWithButton(display, "Sign in").isPresent(),
                            () -> signIn(display, server.port, "alice"))
                    .step("alice's contacts and conversation", () -> hasSidebar(display)
                            && itemText(sidebarList(display, CONTACTS)).contains("  ann")
                            && rows(sidebarList(display, CONVERSATIONS)) == 1, () -> {
                                assertEquals("Parley — alice" + where, windowTitle(display));
                                layout[0] = layout(display);
                                Table convs = sidebarList(display, CONVERSATIONS);
                                convs.setSelection(0);
                                convs.notifyListeners(SWT.DefaultSelection, new Event());
                            })
                    .step("alice's chat with ann", () -> history(display).contains("ann: hello alice")
                            && openButton(display).isPresent(), () -> {
                                assertThat(chatTabs(display)).hasSize(1);
                                windowContext(display).get(MApplication.class).getContext().set(
                                        Desktop.Launcher.class, launched::add);
                                openButton(display).orElseThrow().notifyListeners(SWT.Selection, new Event());
                            })
                    .step("alice's download", () -> !launched.isEmpty(), () -> {
                        assertThat(TransferList.all()).hasSize(1);
                        Workbench.chooseMenuItem(display, "Parley", "Sign out");
                    })
                    .step("the question", () -> shellWithButton(display, "OK").isPresent(),
                            () -> button(shellWithButton(display, "OK").orElseThrow(), "OK")
                                    .notifyListeners(SWT.Selection, new Event()))
                    .step("the login dialog again, in front of the same window",
                            () -> shellWithButton(display, "Sign in").isPresent(), () -> {
                                Shell window = workbenchShell(display).orElseThrow();
                                assertThat(window.isVisible()).as("the window stays").isTrue();
                                assertThat(chatTabs(display)).as("alice's chats are closed").isEmpty();
                                assertThat(tables(display)).as("alice's contacts are gone").isEmpty();
                                assertThat(TransferList.all()).as("alice's transfers are gone").isEmpty();
                                assertEquals("Parley", windowTitle(display));
                                assertThat(Workbench.statusLineShows(display, "Signed out")).isTrue();
                            })
                    .settle()
                    .step("the login dialog to show", () -> true, () -> {
                        screenshot(workbenchShell(display).orElseThrow(), "signed-out-window");
                        screenshot(shellWithButton(display, "Sign in").orElseThrow(), "signed-out-login");
                        signIn(display, server.port, "bob");
                    })
                    .step("bob's contacts", () -> Workbench.statusLineShows(display, "● Connected as bob")
                            && hasSidebar(display) && rows(sidebarList(display, CONTACTS)) == 1
                            && itemText(sidebarList(display, CONTACTS)).contains("  dan"), () -> {
                                assertEquals("Parley — bob" + where, windowTitle(display));
                                assertThat(chatTabs(display)).as("no chat of alice's").isEmpty();
                                assertThat(rows(sidebarList(display, CONVERSATIONS))).as("bob has no conversation")
                                        .isZero();
                                assertThat(history(display)).isEmpty();
                                assertThat(TransferList.all()).isEmpty();
                                assertEquals(layout[0], layout(display), "the window's layout, as before");
                            })
                    .settle()
                    .step("the window to show", () -> true,
                            () -> screenshot(workbenchShell(display).orElseThrow(), "signed-in-again"))
                    .step("close", () -> true, () -> closeWorkbench(display));
            script.start();
            Object exit = e4Application().start(new Workbench.TestApplicationContext());

            assertNull(script.failure(), script.failure());
            assertEquals(IApplication.EXIT_OK, exit);
            assertThat(annStates).as("the other user was never disconnected").isEmpty();
            assertEquals(ConnectionState.ONLINE, ann.client().state());
        }
    }

    /** Registers {@code user}, who becomes {@code friend}'s contact, and leaves. */
    private static void befriend(int port, String user, String displayName, ParleyClient friend) throws Exception {
        try (ParleyClient c = new ParleyClient(ParleyClient.Config.of("127.0.0.1", port).plaintext())) {
            c.register(user, "password-" + user, displayName).get(30, TimeUnit.SECONDS);
            c.requestContact(friend.user()).get(30, TimeUnit.SECONDS);
            friend.answerContact(user, true).get(30, TimeUnit.SECONDS);
        }
    }

    /** Fills the login dialog with an existing account (password "password-" + user) and presses Sign in. */
    private static void signIn(Display display, int port, String user) {
        Shell login = shellWithButton(display, "Sign in").orElseThrow();
        List<Text> fields = Workbench.fields(login);
        fields.get(0).setText("127.0.0.1");
        fields.get(1).setText(String.valueOf(port));
        fields.get(2).setText(user);
        fields.get(3).setText("password-" + user);
        button(login, "Sign in").notifyListeners(SWT.Selection, new Event());
    }

    private static String windowTitle(Display display) {
        return workbenchShell(display).orElseThrow().getText();
    }

    /** The chat parts in the application's model. */
    private static List<MPart> chatTabs(Display display) {
        MWindow window = (MWindow) workbenchShell(display).orElseThrow().getData("modelElement");
        MApplication app = window.getContext().get(MApplication.class);
        return window.getContext().get(EModelService.class).findElements(app, null, MPart.class).stream()
                .filter(p -> p.getPersistedState().containsKey(ParleyUi.CONVERSATION_ID)).toList();
    }

    /** The file card's Open button in the chat. */
    private static Optional<Button> openButton(Display display) {
        return Ui.find(workbenchShell(display).orElseThrow(), Button.class).stream()
                .filter(b -> b.isVisible() && b.getText().equals("Open")).findFirst();
    }

    /** The window's stacks: which are shown, with their share of the window. */
    private static String layout(Display display) {
        IEclipseContext ctx = windowContext(display);
        MApplication app = ctx.get(MApplication.class);
        StringBuilder out = new StringBuilder();
        for (String id : List.of(ParleyUi.SIDE_STACK, ParleyUi.MAIN_STACK)) {
            MUIElement stack = ctx.get(EModelService.class).find(id, app);
            out.append(id).append(stack == null ? " missing" : " rendered=" + stack.isToBeRendered() + " data="
                    + stack.getContainerData() + " parent=" + (stack.getParent() == null ? null
                            : stack.getParent().getElementId())
                    + " width=" + (stack.getWidget() instanceof Control c ? c.getSize().x : -1)).append('\n');
        }
        return out.toString();
    }

    private static void screenshot(Shell shell, String name) {
        try {
            Ui.screenshot(shell, name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
