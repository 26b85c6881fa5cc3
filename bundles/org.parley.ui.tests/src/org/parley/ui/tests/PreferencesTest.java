package org.parley.ui.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parley.ui.testing.Workbench.button;
import static org.parley.ui.testing.Workbench.closeWorkbench;
import static org.parley.ui.testing.Workbench.e4Application;
import static org.parley.ui.testing.Workbench.shellWithButton;
import static org.parley.ui.testing.Workbench.statusLineShows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.eclipse.core.runtime.preferences.InstanceScope;
import org.eclipse.equinox.app.IApplication;
import org.eclipse.jface.preference.PreferenceDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Spinner;
import org.eclipse.swt.widgets.Text;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.swt.widgets.TreeItem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.filetransfer.ui.Downloads;
import org.parley.media.ui.internal.MediaPreferences;
import org.parley.ui.Preferences;
import org.parley.ui.testing.Script;
import org.parley.ui.testing.ServerProcess;
import org.parley.ui.testing.Ui;
import org.parley.ui.testing.Workbench;

/**
 * Parley &gt; Preferences… is the Eclipse preference dialog with one page per feature, each contributed by its
 * plug-in (issue 12): General and Connection (the application), Notifications (chat), File transfer, Media. What
 * a page sets is stored where the plug-in reads it: notifications and sound, the reconnection wait and the
 * organization's CA in the application's preferences as before; where Save as… starts in the file transfer
 * plug-in's; whether media play at once in the media plug-in's. A CA file or a folder that is not there is said
 * on the page and cannot be applied.
 */
class PreferencesTest {

    @TempDir
    Path temp;

    @AfterEach
    void defaults() throws Exception {
        // the test runtime's preferences are shared by every test: back to the defaults
        for (String node : List.of("org.parley.ui", "org.parley.filetransfer.ui", "org.parley.media.ui")) {
            var prefs = InstanceScope.INSTANCE.getNode(node);
            for (String key : List.of(Preferences.NOTIFICATIONS, Preferences.SOUND,
                    Preferences.MAX_RECONNECT_SECONDS, Preferences.IDLE_MINUTES, Preferences.ORGANIZATION_CA_FILE,
                    Downloads.DOWNLOAD_FOLDER, Downloads.REMEMBER_LAST_FOLDER, MediaPreferences.AUTOPLAY)) {
                prefs.remove(key);
            }
            prefs.flush();
        }
    }

    @Test
    void onePagePerFeatureEachStoredWhereItsPlugInReadsIt() throws Exception {
        Path folder = Files.createDirectories(temp.resolve("received"));
        try (ServerProcess server = ServerProcess.start(temp.resolve("server"))) {
            Workbench.useHome(temp.resolve("home"));
            Display display = Display.getDefault();
            Script script = new Script(display)
                    .step("the login dialog", () -> shellWithButton(display, "Sign in").isPresent(),
                            () -> Workbench.signUp(display, server.port, "pat", "Pat Doe"))
                    .step("pat signed in", () -> statusLineShows(display, "● Connected as pat"),
                            () -> Workbench.chooseMenuItem(display, "Parley", "Preferences…"))
                    .step("the preference dialog", () -> dialog(display).isPresent(), () -> {
                        assertEquals(List.of("Connection", "File transfer", "General", "Media", "Notifications"),
                                pages(dialog(display).orElseThrow()), "one page per feature, by name");
                        show(dialog(display).orElseThrow(), "Notifications");
                    })
                    .step("the Notifications page", () -> check(display, "notification").isPresent(), () -> {
                        assertTrue(check(display, "notification").orElseThrow().getSelection(), "on by default");
                        assertFalse(check(display, "sound").orElseThrow().getSelection(), "off by default");
                    })
                    .settle()
                    .step("the page to show", () -> true, () -> {
                        screenshot(dialog(display).orElseThrow(), "preferences-notifications");
                        click(check(display, "notification").orElseThrow(), false);
                        click(check(display, "sound").orElseThrow(), true);
                        show(dialog(display).orElseThrow(), "File transfer");
                    })
                    .step("the File transfer page", () -> field(display, Downloads.DOWNLOAD_FOLDER).isPresent(),
                            () -> {
                                Text f = field(display, Downloads.DOWNLOAD_FOLDER).orElseThrow();
                                f.setText(temp.resolve("no-such-folder").toString());
                                assertFalse(applyAndClose(display).isEnabled(), "a folder that is not there");
                                assertThat(((org.eclipse.jface.preference.IPreferencePage) ((PreferenceDialog) dialog(
                                        display).orElseThrow().getData()).getSelectedPage()).getErrorMessage())
                                        .as("what the page says")
                                        .startsWith("There is no folder");
                                f.setText(folder.toString());
                                assertTrue(applyAndClose(display).isEnabled());
                                click(check(display, "last folder").orElseThrow(), false);
                                show(dialog(display).orElseThrow(), "Media");
                            })
                    .step("the Media page", () -> check(display, "as soon as").isPresent(), () -> {
                        assertTrue(check(display, "as soon as").orElseThrow().getSelection());
                        click(check(display, "as soon as").orElseThrow(), false);
                        show(dialog(display).orElseThrow(), "Connection");
                    })
                    .step("the Connection page", () -> field(display, Preferences.ORGANIZATION_CA_FILE)
                            .isPresent(), () -> {
                                Text ca = field(display, Preferences.ORGANIZATION_CA_FILE).orElseThrow();
                                ca.setText(temp.resolve("no-ca.pem").toString());
                                assertFalse(applyAndClose(display).isEnabled(), "a CA file that is not there");
                                ca.setText("");
                                Spinner wait = Ui.find(dialog(display).orElseThrow(), Spinner.class).stream()
                                        .filter(Spinner::isVisible).findFirst().orElseThrow();
                                assertEquals(30, wait.getSelection());
                                wait.setSelection(90);
                                show(dialog(display).orElseThrow(), "General");
                            })
                    .step("the General page", () -> Ui.find(dialog(display).orElseThrow(), Spinner.class).stream()
                            .anyMatch(s -> s.isVisible() && s.getSelection() == 5), () -> {
                                Ui.find(dialog(display).orElseThrow(), Spinner.class).stream()
                                        .filter(s -> s.isVisible() && s.getSelection() == 5).findFirst()
                                        .orElseThrow().setSelection(12);
                                applyAndClose(display).notifyListeners(SWT.Selection, new Event());
                            })
                    .step("the dialog closed", () -> dialog(display).isEmpty(), () -> {
                        assertFalse(Preferences.notifications());
                        assertTrue(Preferences.sound());
                        assertEquals(90, Preferences.maxReconnectSeconds());
                        assertEquals(12, Preferences.idleMinutes());
                        assertEquals("", Preferences.organizationCaFile());
                        assertEquals(folder, Downloads.startFolder(), "Save as… starts in the chosen folder");
                        assertFalse(MediaPreferences.autoplay());
                        // stored where the plug-ins have always read them
                        assertFalse(InstanceScope.INSTANCE.getNode("org.parley.ui")
                                .getBoolean(Preferences.NOTIFICATIONS, true));
                        assertEquals(folder.toString(), InstanceScope.INSTANCE.getNode("org.parley.filetransfer.ui")
                                .get(Downloads.DOWNLOAD_FOLDER, ""));
                        Workbench.chooseMenuItem(display, "Parley", "Preferences…");
                    })
                    .step("the dialog again, with what was applied", () -> dialog(display).isPresent(), () -> {
                        show(dialog(display).orElseThrow(), "Notifications");
                    })
                    .step("Notifications as applied", () -> check(display, "notification").isPresent(), () -> {
                        assertFalse(check(display, "notification").orElseThrow().getSelection());
                        // each page has its own Restore Defaults: the one shown
                        Ui.find(dialog(display).orElseThrow(), Button.class).stream().filter(b -> b.isVisible()
                                && b.getText().replace("&", "").equals("Restore Defaults")).findFirst()
                                .orElseThrow().notifyListeners(SWT.Selection, new Event());
                        assertTrue(check(display, "notification").orElseThrow().getSelection());
                        button(dialog(display).orElseThrow(), "Cancel").notifyListeners(SWT.Selection, new Event());
                    })
                    .step("closed without applying", () -> dialog(display).isEmpty(),
                            () -> assertFalse(Preferences.notifications(), "Cancel applies nothing"))
                    .step("close", () -> true, () -> {
                        dialog(display).ifPresent(Shell::close);
                        closeWorkbench(display);
                    });
            script.start();
            Object exit = e4Application().start(new Workbench.TestApplicationContext());
            assertNull(script.failure(), script.failure());
            assertEquals(IApplication.EXIT_OK, exit);
        }
    }

    private static Optional<Shell> dialog(Display display) {
        return Arrays.stream(display.getShells()).filter(s -> !s.isDisposed() && s.isVisible()
                && s.getText().equals("Preferences") && !Ui.find(s, Tree.class).isEmpty()).findFirst();
    }

    /** The pages' names in the dialog's tree. */
    private static List<String> pages(Shell dialog) {
        return Arrays.stream(Ui.find(dialog, Tree.class).get(0).getItems()).map(TreeItem::getText).toList();
    }

    /** Selects a page in the tree, as a click would. */
    private static void show(Shell dialog, String page) {
        Tree tree = Ui.find(dialog, Tree.class).get(0);
        TreeItem item = Arrays.stream(tree.getItems()).filter(i -> i.getText().equals(page)).findFirst()
                .orElseThrow(() -> new AssertionError("no page " + page));
        tree.setSelection(item);
        Event e = new Event();
        e.item = item;
        tree.notifyListeners(SWT.Selection, e);
    }

    /** A check box shown on the current page whose text contains {@code words}. */
    private static Optional<Button> check(Display display, String words) {
        return dialog(display).flatMap(d -> Ui.find(d, Button.class).stream().filter(b -> b.isVisible()
                && (b.getStyle() & SWT.CHECK) != 0 && b.getText().replace("&", "").contains(words)).findFirst());
    }

    /** A page's entry field named (its data "org.parley.ui.preferences.field") by its preference's key. */
    private static Optional<Text> field(Display display, String key) {
        return dialog(display).flatMap(d -> Ui.find(d, Text.class).stream().filter(t -> t.isVisible()
                && key.equals(t.getData("org.parley.ui.preferences.field"))).findFirst());
    }

    private static Button applyAndClose(Display display) {
        return button(dialog(display).orElseThrow(), "Apply and Close");
    }

    private static void click(Button check, boolean selected) {
        check.setSelection(selected);
        check.notifyListeners(SWT.Selection, new Event());
    }

    private static void screenshot(Shell shell, String name) {
        try {
            Ui.screenshot(shell, name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
