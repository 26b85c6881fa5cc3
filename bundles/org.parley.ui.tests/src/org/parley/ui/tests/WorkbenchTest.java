package org.parley.ui.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parley.ui.testing.Workbench.CONTACTS;
import static org.parley.ui.testing.Workbench.CONVERSATIONS;
import static org.parley.ui.testing.Workbench.REQUESTS;
import static org.parley.ui.testing.Workbench.button;
import static org.parley.ui.testing.Workbench.closeWorkbench;
import static org.parley.ui.testing.Workbench.e4Application;
import static org.parley.ui.testing.Workbench.hasSidebar;
import static org.parley.ui.testing.Workbench.history;
import static org.parley.ui.testing.Workbench.itemText;
import static org.parley.ui.testing.Workbench.labels;
import static org.parley.ui.testing.Workbench.parleyMenu;
import static org.parley.ui.testing.Workbench.presenceOfFirst;
import static org.parley.ui.testing.Workbench.rows;
import static org.parley.ui.testing.Workbench.shellWithButton;
import static org.parley.ui.testing.Workbench.sidebarList;
import static org.parley.ui.testing.Workbench.signUp;
import static org.parley.ui.testing.Workbench.tables;
import static org.parley.ui.testing.Workbench.workbenchShell;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.eclipse.e4.ui.model.application.ui.basic.MWindow;
import org.eclipse.equinox.app.IApplication;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.ProgressBar;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.core.ParleyClient;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Contacts;
import org.parley.ui.secure.SecureStore;
import org.parley.ui.testing.OtherUser;
import org.parley.ui.testing.Script;
import org.parley.ui.testing.ServerProcess;
import org.parley.ui.testing.Ui;
import org.parley.ui.testing.Workbench;

/**
 * The whole Parley application (the product's E4 application, application model and fragments) against a real
 * server, as a user goes through it: sign up in the login dialog, accept a contact request, see the contact come
 * online, get a message (unread count), open the chat, answer with Enter, see the contact's presence change.
 * The other person is a plain client-core user.
 */
@TestMethodOrder(OrderAnnotation.class)
class WorkbenchTest {

    @TempDir
    Path temp;

    @Test
    @Order(1)
    void signUpAcceptAContactAndChat() throws Exception {
        try (ServerProcess server = ServerProcess.start(temp.resolve("server"));
                OtherUser other = OtherUser.register(server.port, "ann", "Ann Lee")) {
            ParleyClient ann = other.client();
            List<Chat.ChatMessage> annGot = other.received();
            Workbench.useHome(temp.resolve("home"));

            Display display = Display.getDefault();
            org.parley.ui.testing.ToastRecorder toasts = org.parley.ui.testing.ToastRecorder.install(display);
            long[] conversation = new long[1];
            Script script = new Script(display)
                    .step("the login dialog", () -> shellWithButton(display, "Sign in").isPresent(),
                            () -> signUp(display, server.port, "bob", "Bob Roy"))
                    .step("the workbench window", () -> hasSidebar(display), () -> {
                        List<String> items = parleyMenu(display);
                        assertEquals(List.of("Add contact…", "New group…", "Find in chat…", "Search all chats…",
                                "Set status…", "Change display name…", "Change password…", "Invite someone…",
                                "Preferences…", "Administration…", "Mute This Chat", "", "Sign out", "Quit"), items, "the Parley menu, with the contacts "
                                + "plug-in's items first, then the chat's search, the administration plug-in's item "
                                + "(disabled for bob, who is no administrator), and the chat's mute before Sign out");
                        ann.requestContact("bob");
                    })
                    .step("ann's contact request", () -> rows(sidebarList(display, REQUESTS)) == 1, () -> {
                        Table requests = sidebarList(display, REQUESTS);
                        requests.setSelection(0);
                        requests.notifyListeners(SWT.DefaultSelection, new Event());
                    })
                    .step("the accept question", () -> shellWithButton(display, "Yes").isPresent(),
                            () -> button(shellWithButton(display, "Yes").orElseThrow(), "Yes")
                                    .notifyListeners(SWT.Selection, new Event()))
                    .step("ann online in the contacts", () -> presenceOfFirst(sidebarList(display, CONTACTS))
                            == Contacts.Presence.ONLINE
                            && itemText(sidebarList(display, CONTACTS)).startsWith("Ann Lee"),
                            () -> ann.openDirect("bob").thenCompose(c -> {
                                conversation[0] = c.id();
                                return ann.send(c.id(), "hello bob");
                            }))
                    .step("an unread conversation", () -> itemText(sidebarList(display, CONVERSATIONS))
                            .contains("(1 unread)")
                            && toasts.last() != null,
                            () -> {
                                assertEquals("Ann Lee\nhello bob",
                                        toasts.last(),
                                        "a desktop notification for a chat not in front (by display name)");
                                Arrays.stream(display.getShells()).filter(s -> s.isVisible()
                                        && !(s.getData("modelElement") instanceof MWindow)).findFirst()
                                        .ifPresent(popup -> {
                                            try {
                                                Ui.screenshot(popup, "notification");
                                            } catch (Exception e) {
                                                throw new IllegalStateException(e);
                                            }
                                        });
                                Table convs = sidebarList(display, CONVERSATIONS);
                                convs.setSelection(0);
                                convs.notifyListeners(SWT.DefaultSelection, new Event());
                            })
                    .step("ann's message in the chat", () -> history(display).contains("ann: hello bob"), () -> {
                        Text input = workbenchShell(display).map(s -> Ui.find(s, Text.class)).orElseThrow().stream()
                                .filter(t -> (t.getStyle() & SWT.MULTI) != 0).findFirst().orElseThrow();
                        input.setText("hi ann, got it");
                        Event enter = new Event();
                        enter.keyCode = SWT.CR;
                        input.notifyListeners(SWT.KeyDown, enter);
                    })
                    .step("the reply to reach ann", () -> !annGot.isEmpty() && history(display).contains("bob: hi ann"),
                            () -> ann.markRead(conversation[0], annGot.get(0).seq()))
                    .step("ann's read receipt on bob's message", () -> history(display).contains(
                            "bob: hi ann, got it ✓✓ read"), () -> ann.setPresence(Contacts.Presence.AWAY, "lunch"))
                    .step("ann away", () -> presenceOfFirst(sidebarList(display, CONTACTS))
                            == Contacts.Presence.AWAY && itemText(sidebarList(display, CONTACTS))
                                    .equals("Ann Lee [VIP]  ann — lunch"), () -> { })
                    .settle()
                    .step("the workbench to show", () -> true, () -> {
                        try {
                            Ui.screenshot(workbenchShell(display).orElseThrow(), "workbench");
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .step("close", () -> true, () -> closeWorkbench(display));
            script.start();

            Object exit = e4Application().start(new org.parley.ui.testing.Workbench.TestApplicationContext());
            ParleyClient.class.getName(); // the workbench has returned

            assertNull(script.failure(), script.failure());
            assertEquals(IApplication.EXIT_OK, exit);
            assertEquals("hi ann, got it", annGot.get(0).text());
            assertTrue(conversation[0] > 0);

            // Stay signed in: the session token is in secure storage, encrypted, and the next start signs in by
            // itself (nobody types a password).
            SecureStore store = SecureStore.of(temp.resolve("home"));
            String token = store.token("127.0.0.1", server.port, "bob").orElseThrow();
            Path file = temp.resolve("home").resolve("secure_storage");
            assertThat(Files.readString(file)).doesNotContain(token)
                    .as("encrypted by Parley's password provider").contains("org.parley.ui.masterpassword");
            assertThat(Files.getPosixFilePermissions(temp.resolve("home").resolve("secure_storage.key")))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            Display next = Display.getDefault(); // the application disposed the display it ran on
            Script again = new Script(next)
                    .step("signed in by itself", () -> Workbench.statusLineShows(next, "● Connected as bob"),
                            () -> { })
                    .step("close", () -> true, () -> closeWorkbench(next));
            again.start();
            exit = e4Application().start(new org.parley.ui.testing.Workbench.TestApplicationContext());
            assertNull(again.failure(), again.failure());
            assertEquals(IApplication.EXIT_OK, exit);
        }
    }

    /**
     * Signing in and out never freezes the window: a refused port gives an error at once; a server that does not
     * answer (suspended) leaves the login dialog usable, and Cancel stops the attempt; signing out from a server
     * that does not answer runs as a job in the status line, whose Cancel goes on to the login dialog at once
     * (where Cancel closes Parley).
     */
    @Test
    @Order(2)
    void signingInAndOutNeverFreezeTheWindow() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort(); // free once closed: nothing listens there
        }
        try (ServerProcess server = ServerProcess.start(temp.resolve("server3"))) {
            Workbench.useHome(temp.resolve("home3"));
            Display display = Display.getDefault();
            boolean[] cancelledSignOut = new boolean[1];
            Script script = new Script(display)
                    .step("the login dialog", () -> shellWithButton(display, "Sign in").isPresent(),
                            () -> signUp(display, closedPort, "eve", "Eve Ash"))
                    .step("the refusal", () -> signUpShell(display).map(s -> Workbench.message(s)
                            .toLowerCase().contains("refused") && button(s, "Create account").isEnabled())
                            .orElse(false), () -> {
                                try {
                                    server.suspend();
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                                Shell login = signUpShell(display).orElseThrow();
                                Workbench.fields(login).get(1).setText(String.valueOf(server.port));
                                button(login, "Create account").notifyListeners(SWT.Selection, new Event());
                            })
                    .step("signing in, with progress", () -> signUpShell(display).map(s -> Ui.find(s,
                            ProgressBar.class).stream().anyMatch(ProgressBar::isVisible)
                            && !button(s, "Create account").isEnabled()).orElse(false), () -> {
                                try {
                                    Ui.screenshot(signUpShell(display).orElseThrow(), "login-signing-in");
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                                button(signUpShell(display).orElseThrow(), "Cancel")
                                        .notifyListeners(SWT.Selection, new Event());
                            })
                    .step("the attempt cancelled, the dialog still there", () -> signUpShell(display).map(
                            s -> Workbench.message(s).contains("cancelled")
                                    && button(s, "Create account").isEnabled())
                            .orElse(false), () -> {
                                        try {
                                            server.resume();
                                        } catch (Exception e) {
                                            throw new IllegalStateException(e);
                                        }
                                        button(signUpShell(display).orElseThrow(), "Create account")
                                                .notifyListeners(SWT.Selection, new Event());
                                    })
                    .step("the workbench, connected", () -> Workbench.statusLineShows(display,
                            "● Connected as eve"), () -> {
                                try {
                                    server.suspend();
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                                Workbench.chooseMenuItem(display, "Parley", "Sign out");
                            })
                    .step("the question", () -> shellWithButton(display, "OK").isPresent(),
                            () -> button(shellWithButton(display, "OK").orElseThrow(), "OK")
                                    .notifyListeners(SWT.Selection, new Event()))
                    .step("signing out, in the status line", () -> workbenchShell(display).map(s -> labels(s)
                            .contains("Signing out of Parley")).orElse(false), () -> {
                                screenshotOf(display, "signing-out");
                                cancelledSignOut[0] = true;
                                Workbench.cancelJob(display);
                            })
                    .step("the login dialog, at once", () -> loginShell(display).isPresent(),
                            () -> button(loginShell(display).orElseThrow(), "Cancel")
                                    .notifyListeners(SWT.Selection, new Event())) // Cancel there closes Parley
                    .onFailure(() -> closeWorkbench(display));
            script.start();
            Object exit = e4Application().start(new org.parley.ui.testing.Workbench.TestApplicationContext());
            server.resume();
            assertNull(script.failure(), script.failure());
            assertEquals(IApplication.EXIT_OK, exit);
            assertTrue(cancelledSignOut[0]);
            assertThat(SecureStore.of(temp.resolve("home3")).token("127.0.0.1", server.port, "eve"))
                    .as("signing out forgets the session").isEmpty();
        }
    }

    /** The login dialog (the shell with a Sign in button). */
    private static Optional<Shell> loginShell(Display display) {
        return shellWithButton(display, "Sign in");
    }

    /** The login dialog while "Create a new account" is ticked (its button says Create account). */
    private static Optional<Shell> signUpShell(Display display) {
        return shellWithButton(display, "Create account");
    }

    private static void screenshotOf(Display display, String name) {
        try {
            Ui.screenshot(workbenchShell(display).orElseThrow(), name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
