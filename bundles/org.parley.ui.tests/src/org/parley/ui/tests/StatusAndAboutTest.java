package org.parley.ui.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.parley.ui.testing.Workbench.button;
import static org.parley.ui.testing.Workbench.closeWorkbench;
import static org.parley.ui.testing.Workbench.e4Application;
import static org.parley.ui.testing.Workbench.field;
import static org.parley.ui.testing.Workbench.shellWithButton;
import static org.parley.ui.testing.Workbench.statusLineShows;
import static org.parley.ui.testing.Workbench.workbenchShell;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.eclipse.equinox.app.IApplication;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.core.ClientListener;
import org.parley.client.core.ParleyClient;
import org.parley.protocol.message.Contacts;
import org.parley.ui.testing.OtherUser;
import org.parley.ui.testing.Script;
import org.parley.ui.testing.ServerProcess;
import org.parley.ui.testing.Ui;
import org.parley.ui.testing.Workbench;

/**
 * A custom status survives its owner's restart: bob sets "In a meeting", quits, starts Parley again (signed in by
 * the remembered session) and his contact sees him away with that text again. The About box says the
 * application's version and build and the server's name and protocol version, with no placeholder link.
 */
class StatusAndAboutTest {

    @TempDir
    Path temp;

    @Test
    void aCustomStatusSurvivesARestartAndTheAboutBoxNamesVersionAndServer() throws Exception {
        try (ServerProcess server = ServerProcess.start(temp.resolve("server"));
                OtherUser ann = OtherUser.register(server.port, "ann", "Ann Lee")) {
            try (ParleyClient bob = new ParleyClient(ParleyClient.Config.of("127.0.0.1", server.port).plaintext())) {
                bob.register("bob", "password-bob", "Bob Roy").get(30, TimeUnit.SECONDS);
                bob.requestContact("ann").get(30, TimeUnit.SECONDS);
                ann.client().answerContact("bob", true).get(30, TimeUnit.SECONDS);
            }
            List<Contacts.PresenceChanged> seen = new CopyOnWriteArrayList<>();
            ann.client().addListener(new ClientListener() {
                @Override
                public void presenceChanged(Contacts.PresenceChanged change) {
                    seen.add(change);
                }
            });
            Workbench.useHome(temp.resolve("home"));
            Display display = Display.getDefault();
            String[] about = new String[1];
            ParleyClient[] signedIn = new ParleyClient[1];
            Script first = new Script(display)
                    .step("the login dialog", () -> shellWithButton(display, "Sign in").isPresent(), () -> {
                        Shell login = shellWithButton(display, "Sign in").orElseThrow();
                        field(login, "host").setText("127.0.0.1");
                        field(login, "port").setText(String.valueOf(server.port));
                        field(login, "user").setText("bob");
                        field(login, "password").setText("password-bob");
                        button(login, "Sign in").notifyListeners(SWT.Selection, new Event());
                    })
                    .step("bob signed in", () -> workbenchShell(display).isPresent()
                            && statusLineShows(display, "● Connected as bob"),
                            () -> Workbench.chooseMenuItem(display, "Parley", "Set status…"))
                    .step("the status dialog", () -> shell(display, "Set status").isPresent(), () -> {
                        Shell dialog = shell(display, "Set status").orElseThrow();
                        Ui.find(dialog, Text.class).stream().filter(t -> (t.getStyle() & SWT.READ_ONLY) == 0)
                                .findFirst().orElseThrow().setText("In a meeting");
                        button(dialog, "OK").notifyListeners(SWT.Selection, new Event());
                    })
                    .step("ann sees bob in a meeting", () -> away(seen), () -> {
                        Workbench.chooseMenuItem(display, "Help", "About Parley");
                    })
                    .step("the About box", () -> shell(display, "About Parley").isPresent(),
                            () -> about[0] = Workbench.message(shell(display, "About Parley").orElseThrow()))
                    .settle()
                    .step("the About box to show", () -> true, () -> {
                        Shell box = shell(display, "About Parley").orElseThrow();
                        screenshot(box, "about");
                        button(box, "OK").notifyListeners(SWT.Selection, new Event());
                    })
                    .step("close", () -> shell(display, "About Parley").isEmpty(), () -> {
                        signedIn[0] = ((org.eclipse.e4.ui.model.application.ui.basic.MWindow) workbenchShell(display)
                                .orElseThrow().getData("modelElement")).getContext().get(ParleyClient.class);
                        closeWorkbench(display);
                    });
            first.start();
            Object exit = e4Application().start(new Workbench.TestApplicationContext());
            assertNull(first.failure(), first.failure());
            assertEquals(IApplication.EXIT_OK, exit);
            assertThat(about[0]).contains("Parley 0.1.0 (build ").contains("Server: 127.0.0.1:" + server.port
                    + " (parley/").contains(", protocol version " + org.parley.protocol.Protocol.MAX_VERSION + ")")
                    .contains("Signed in as bob")
                    .doesNotContain("https://github.com/ (").doesNotContain("null");

            // Parley quits (its process would end: the test closes the client's connection); ann sees bob offline.
            // The next start signs in by itself, and bob is in a meeting again.
            signedIn[0].close();
            waitFor(() -> !seen.isEmpty() && seen.get(seen.size() - 1).presence() == Contacts.Presence.OFFLINE);
            seen.clear();
            Display next = Display.getDefault(); // the first run disposed its display
            Script second = new Script(next)
                    .step("bob signed in again", () -> workbenchShell(next).isPresent()
                            && statusLineShows(next, "● Connected as bob") && away(seen),
                            () -> closeWorkbench(next));
            second.start();
            exit = e4Application().start(new Workbench.TestApplicationContext());
            assertNull(second.failure(), second.failure());
            assertEquals(IApplication.EXIT_OK, exit);
        }
    }

    /** Whether the newest presence ann saw of bob is away "In a meeting". */
    private static boolean away(List<Contacts.PresenceChanged> seen) {
        return !seen.isEmpty() && seen.get(seen.size() - 1).user().equals("bob")
                && seen.get(seen.size() - 1).presence() == Contacts.Presence.AWAY
                && seen.get(seen.size() - 1).statusText().equals("In a meeting");
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 600 && !condition.getAsBoolean(); i++) {
            Thread.sleep(50);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }

    private static Optional<Shell> shell(Display display, String title) {
        return Arrays.stream(display.getShells()).filter(s -> !s.isDisposed() && s.isVisible()
                && s.getText().equals(title)).findFirst();
    }

    private static void screenshot(Shell shell, String name) {
        try {
            Ui.screenshot(shell, name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
