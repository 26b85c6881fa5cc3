package org.parley.ui.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.parley.ui.testing.Workbench.button;
import static org.parley.ui.testing.Workbench.closeWorkbench;
import static org.parley.ui.testing.Workbench.e4Application;
import static org.parley.ui.testing.Workbench.shellWithButton;
import static org.parley.ui.testing.Workbench.workbenchShell;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.model.application.ui.basic.MWindow;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.eclipse.equinox.app.IApplication;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.core.ConnectionState;
import org.parley.client.core.ParleyClient;
import org.parley.ui.testing.OtherUser;
import org.parley.ui.testing.Script;
import org.parley.ui.testing.ServerProcess;
import org.parley.ui.testing.Ui;
import org.parley.ui.testing.Workbench;

/**
 * The Administration plug-in: an administrator disables a user, who is signed out at once and refused at the next
 * sign-in, and enables them again; a user who is not an administrator gets no Administration (the menu item is
 * disabled, and the part, opened anyway, only says why).
 */
class AdministrationTest {

    private static final String MENU_ITEM = "Administration\u2026";

    @TempDir
    Path temp;

    @Test
    void anAdministratorDisablesAUserWhoIsSignedOutAndEnablesThemAgain() throws Exception {
        try (ServerProcess server = ServerProcess.start(temp.resolve("server"), "--admins", "root");
                OtherUser mallory = OtherUser.register(server.port, "mallory", "Mallory Kay")) {
            register(server.port, "root", "Root Admin");
            Workbench.useHome(temp.resolve("home"));
            Display display = Display.getDefault();
            Script script = new Script(display)
                    .step("the login dialog", () -> shellWithButton(display, "Sign in").isPresent(),
                            () -> signIn(display, server.port, "root"))
                    .step("the workbench", () -> Workbench.statusLineShows(display, "\u25cf Connected as root"),
                            () -> {
                                assertThat(menuItem(display).getEnabled()).as("enabled for an admin").isTrue();
                                Workbench.chooseMenuItem(display, "Parley", MENU_ITEM);
                            })
                    .step("mallory in the users' table", () -> row(display, "mallory").isPresent(), () -> {
                        select(display, "mallory");
                        press(display, "Disable");
                    })
                    .step("the question", () -> shellWithButton(display, "OK").isPresent(),
                            () -> button(shellWithButton(display, "OK").orElseThrow(), "OK")
                                    .notifyListeners(SWT.Selection, new Event()))
                    .step("mallory disabled", () -> row(display, "mallory").map(i -> i.getText(3))
                            .filter("disabled"::equals).isPresent()
                            && mallory.client().state() != ConnectionState.ONLINE, () -> {
                                screenshot(workbenchShell(display).orElseThrow(), "admin-users-disabled");
                                assertThatThrownBy(() -> login(server.port, "mallory")).as("refused")
                                        .hasMessageContaining("disabled");
                                select(display, "mallory");
                                press(display, "Enable");
                            })
                    .step("mallory enabled", () -> row(display, "mallory").map(i -> i.getText(3))
                            .filter("active"::equals).isPresent(), () -> {
                                login(server.port, "mallory");
                                audit(display);
                            })
                    .settle()
                    .step("the audit log", () -> true, () -> {
                        screenshot(workbenchShell(display).orElseThrow(), "admin-audit-log");
                        closeWorkbench(display);
                    });
            script.start();
            Object exit = e4Application().start(new Workbench.TestApplicationContext());
            assertNull(script.failure(), script.failure());
            assertEquals(IApplication.EXIT_OK, exit);
        }
    }

    @Test
    void aUserWhoIsNotAnAdministratorGetsNoAdministration() throws Exception {
        try (ServerProcess server = ServerProcess.start(temp.resolve("server"), "--admins", "root")) {
            register(server.port, "bob", "Bob Roy");
            Workbench.useHome(temp.resolve("home"));
            Display display = Display.getDefault();
            Script script = new Script(display)
                    .step("the login dialog", () -> shellWithButton(display, "Sign in").isPresent(),
                            () -> signIn(display, server.port, "bob"))
                    .step("the workbench", () -> Workbench.statusLineShows(display, "\u25cf Connected as bob"),
                            () -> {
                                assertThat(menuItem(display).getEnabled()).as("disabled for others").isFalse();
                                // Opened anyway (a saved layout, a shortcut): the part only says why.
                                MWindow window = (MWindow) workbenchShell(display).orElseThrow()
                                        .getData("modelElement");
                                EPartService parts = window.getContext().get(EPartService.class);
                                MPart part = parts.createPart("org.parley.admin.ui.part");
                                parts.showPart(part, EPartService.PartState.ACTIVATE);
                            })
                    .step("the sentence", () -> labels(display).stream().anyMatch(
                            l -> l.startsWith("Administration is for the server's administrators")), () -> {
                                assertThat(Ui.find(workbenchShell(display).orElseThrow(), Button.class).stream()
                                        .filter(b -> b.isVisible() && b.getText().equals("Disable"))).isEmpty();
                            })
                    .settle()
                    .step("a screenshot", () -> true, () -> {
                        screenshot(workbenchShell(display).orElseThrow(), "admin-not-an-admin");
                        closeWorkbench(display);
                    });
            script.start();
            Object exit = e4Application().start(new Workbench.TestApplicationContext());
            assertNull(script.failure(), script.failure());
            assertEquals(IApplication.EXIT_OK, exit);
        }
    }

    private static void register(int port, String user, String displayName) throws Exception {
        try (ParleyClient c = new ParleyClient(ParleyClient.Config.of("127.0.0.1", port).plaintext())) {
            c.register(user, "password-" + user, displayName).get(30, TimeUnit.SECONDS);
        }
    }

    private static void login(int port, String user) {
        try (ParleyClient c = new ParleyClient(ParleyClient.Config.of("127.0.0.1", port).plaintext())) {
            c.login(user, "password-" + user).get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void signIn(Display display, int port, String user) {
        Shell login = shellWithButton(display, "Sign in").orElseThrow();
        List<Text> fields = Workbench.fields(login);
        fields.get(0).setText("127.0.0.1");
        fields.get(1).setText(String.valueOf(port));
        fields.get(2).setText(user);
        fields.get(3).setText("password-" + user);
        button(login, "Sign in").notifyListeners(SWT.Selection, new Event());
    }

    /** The Parley menu's Administration item, as a user opening the menu sees it. */
    private static MenuItem menuItem(Display display) {
        for (MenuItem top : workbenchShell(display).orElseThrow().getMenuBar().getItems()) {
            if (top.getText().replace("&", "").equals("Parley")) {
                top.getMenu().notifyListeners(SWT.Show, new Event());
                try {
                    for (MenuItem i : top.getMenu().getItems()) {
                        if (i.getText().replace("&", "").replaceAll("\\t.*", "").equals(MENU_ITEM)) {
                            return i;
                        }
                    }
                } finally {
                    top.getMenu().notifyListeners(SWT.Hide, new Event());
                }
            }
        }
        throw new AssertionError("no menu item " + MENU_ITEM);
    }

    /** The users' table (its first column is "User"). */
    private static Optional<Table> users(Display display) {
        return Ui.find(workbenchShell(display).orElseThrow(), Table.class).stream()
                .filter(t -> t.getColumnCount() > 0 && t.getColumn(0).getText().equals("User")).findFirst();
    }

    private static Optional<TableItem> row(Display display, String user) {
        return users(display).flatMap(t -> java.util.Arrays.stream(t.getItems())
                .filter(i -> i.getText(0).equals(user)).findFirst());
    }

    private static void select(Display display, String user) {
        Table t = users(display).orElseThrow();
        t.setSelection(row(display, user).orElseThrow());
    }

    private static void press(Display display, String label) {
        Ui.find(workbenchShell(display).orElseThrow(), Button.class).stream()
                .filter(b -> b.isVisible() && b.getText().equals(label)).findFirst().orElseThrow()
                .notifyListeners(SWT.Selection, new Event());
    }

    /** Shows the audit log's tab. */
    private static void audit(Display display) {
        for (org.eclipse.swt.widgets.TabFolder f : Ui.find(workbenchShell(display).orElseThrow(),
                org.eclipse.swt.widgets.TabFolder.class)) {
            f.setSelection(f.getItemCount() - 1);
        }
    }

    private static List<String> labels(Display display) {
        return Ui.find(workbenchShell(display).orElseThrow(), Label.class).stream().filter(l -> !l.isDisposed())
                .map(Label::getText).toList();
    }

    private static void screenshot(Shell shell, String name) {
        try {
            Ui.screenshot(shell, name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
