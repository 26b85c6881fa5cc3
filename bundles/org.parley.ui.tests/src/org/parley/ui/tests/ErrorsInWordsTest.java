package org.parley.ui.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parley.ui.testing.Workbench.button;
import static org.parley.ui.testing.Workbench.shellWithButton;
import static org.parley.ui.testing.Workbench.windowContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.eclipse.equinox.app.IApplication;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.core.ParleyClient;
import org.parley.filetransfer.core.FileTransfers;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Transfers;
import org.parley.ui.ChatOpener;
import org.parley.ui.Desktop;
import org.parley.ui.testing.OtherUser;
import org.parley.ui.testing.Script;
import org.parley.ui.testing.ServerProcess;
import org.parley.ui.testing.Ui;
import org.parley.ui.testing.Workbench;

/**
 * Errors a user sees say the cause in words: an unknown server in the login dialog; Open on a received file on a
 * computer without a desktop handler for it (the window's {@link Desktop.Launcher} replaced by one that finds
 * none, as SWT's Program does there).
 */
class ErrorsInWordsTest {

    @TempDir
    Path temp;

    @Test
    void anUnknownServerIsNamedInTheLoginDialog() throws Exception {
        Workbench.useHome(temp.resolve("home"));
        Display display = Display.getDefault();
        String[] said = new String[1];
        Script script = new Script(display)
                .step("the login dialog", () -> shellWithButton(display, "Sign in").isPresent(), () -> {
                    Shell login = shellWithButton(display, "Sign in").orElseThrow();
                    List<Text> fields = Workbench.fields(login);
                    fields.get(0).setText("no-such-host.invalid");
                    fields.get(1).setText("7443");
                    fields.get(2).setText("ann");
                    fields.get(3).setText("password-ann");
                    button(login, "Sign in").notifyListeners(SWT.Selection, new Event());
                })
                .step("the error", () -> shellWithButton(display, "Sign in").map(s -> button(s, "Sign in")
                        .isEnabled() && Workbench.message(s).contains("no-such-host.invalid")).orElse(false), () -> {
                            Shell login = shellWithButton(display, "Sign in").orElseThrow();
                            said[0] = Workbench.message(login);
                            screenshot(login, "login-unknown-host");
                            button(login, "Cancel").notifyListeners(SWT.Selection, new Event());
                        });
        script.start();
        Object exit = Workbench.e4Application().start(new Workbench.TestApplicationContext());
        assertNull(script.failure(), script.failure());
        assertEquals(IApplication.EXIT_OK, exit);
        assertThat(said[0]).contains("cannot connect to no-such-host.invalid:7443")
                .contains("unknown server name").doesNotContain("null");
    }

    @Test
    void openWithoutADesktopHandlerSaysSo() throws Exception {
        Path report = temp.resolve("report.odt");
        byte[] bytes = new byte[20_000];
        new Random(3).nextBytes(bytes);
        Files.write(report, bytes);
        List<String> launched = new CopyOnWriteArrayList<>();
        Desktop.Launcher none = fileOrUrl -> {
            launched.add(fileOrUrl);
            return false; // what SWT's Program.launch answers where no handler exists
        };
        // No desktop notification for ann's file: this test closes Parley seconds later, while a popup would
        // still be fading out on a job of its own, which can outlive the display it belonged to.
        org.parley.ui.Preferences.node().putBoolean(org.parley.ui.Preferences.NOTIFICATIONS, false);
        try (ServerProcess server = ServerProcess.start(temp.resolve("server"));
                OtherUser other = OtherUser.register(server.port, "ann", "Ann Lee")) {
            ParleyClient ann = other.client();
            Workbench.useHome(temp.resolve("home2"));
            Display display = Display.getDefault();
            Conversations.ConversationInfo[] conversation = new Conversations.ConversationInfo[1];
            Transfers.UploadDone[] sent = new Transfers.UploadDone[1];
            String[] said = new String[1];
            Script script = new Script(display)
                    .step("the login dialog", () -> shellWithButton(display, "Sign in").isPresent(),
                            () -> Workbench.signUp(display, server.port, "bob", "Bob Roy"))
                    .step("the workbench window", () -> Workbench.workbenchShell(display).isPresent()
                            && Workbench.statusLineShows(display, "● Connected as bob"), () -> {
                                windowContext(display).get(MApplication.class).getContext().set(
                                        Desktop.Launcher.class, none);
                                try { // ann sends a document, as a client of her own would
                                    conversation[0] = ann.openDirect("bob").get(30, TimeUnit.SECONDS);
                                    sent[0] = new FileTransfers(ann).upload(conversation[0].id(), report,
                                            FileTransfers.UploadOptions.of("application/vnd.oasis.opendocument.text"),
                                            FileTransfers.Progress.NONE).result().get(60, TimeUnit.SECONDS);
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                                IEclipseContext ctx = windowContext(display);
                                assertTrue(ChatOpener.open(ctx.get(EPartService.class), ctx.get(EModelService.class),
                                        ctx.get(MApplication.class), conversation[0]));
                            })
                    .step("the file's Open button", () -> openButton(display).isPresent(),
                            () -> openButton(display).orElseThrow().notifyListeners(SWT.Selection, new Event()))
                    .step("the reason it cannot be opened", () -> errorDialog(display).isPresent(), () -> { })
                    .settle()
                    .step("the dialog to show", () -> true, () -> {
                        Shell dialog = errorDialog(display).orElseThrow();
                        said[0] = dialog.getText() + "\n" + Workbench.message(dialog);
                        screenshot(dialog, "open-without-handler");
                        button(dialog, "OK").notifyListeners(SWT.Selection, new Event());
                    })
                    .step("close", () -> errorDialog(display).isEmpty(),
                            () -> Workbench.closeWorkbench(display));
            script.start();
            Object exit = Workbench.e4Application().start(new Workbench.TestApplicationContext());
            assertNull(script.failure(), script.failure());
            assertEquals(IApplication.EXIT_OK, exit);
            assertThat(launched).as("the downloaded file was handed to the desktop").hasSize(1);
            assertThat(launched.get(0)).endsWith("report.odt");
            assertThat(said[0]).contains("Cannot open report.odt").contains("no application on this computer")
                    .contains(launched.get(0));
        } finally {
            org.parley.ui.Preferences.node().remove(org.parley.ui.Preferences.NOTIFICATIONS);
        }
    }

    private static Optional<Button> openButton(Display display) {
        return Ui.find(Workbench.workbenchShell(display).orElseThrow(), Button.class).stream()
                .filter(b -> b.isVisible() && b.getText().equals("Open")).findFirst();
    }

    private static Optional<Shell> errorDialog(Display display) {
        return Arrays.stream(display.getShells()).filter(s -> !s.isDisposed() && s.isVisible()
                && s.getText().startsWith("Cannot open")).findFirst();
    }

    private static void screenshot(Shell shell, String name) {
        try {
            Ui.screenshot(shell, name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
