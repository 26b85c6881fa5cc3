package org.parley.features.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.ui.testing.Workbench.button;
import static org.parley.ui.testing.Workbench.closeWorkbench;
import static org.parley.ui.testing.Workbench.e4Application;
import static org.parley.ui.testing.Workbench.itemText;
import static org.parley.ui.testing.Workbench.parleyMenu;
import static org.parley.ui.testing.Workbench.presenceOfFirst;
import static org.parley.ui.testing.Workbench.shellWithButton;
import static org.parley.ui.testing.Workbench.signUp;
import static org.parley.ui.testing.Workbench.tables;
import static org.parley.ui.testing.Workbench.workbenchShell;
import static org.parley.ui.testing.Workbench.sidebarList;
import static org.parley.ui.testing.Workbench.rows;
import static org.parley.ui.testing.Workbench.hasSidebar;
import static org.parley.ui.testing.Workbench.CONTACTS;
import static org.parley.ui.testing.Workbench.REQUESTS;
import static org.parley.ui.testing.Workbench.CONVERSATIONS;

import java.nio.file.Path;
import java.util.List;

import org.eclipse.equinox.app.IApplication;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.core.ParleyClient;
import org.parley.protocol.message.Contacts;
import org.parley.ui.testing.OtherUser;
import org.parley.ui.testing.Plugins;
import org.parley.ui.testing.Script;
import org.parley.ui.testing.ServerProcess;
import org.parley.ui.testing.Ui;
import org.parley.ui.testing.Workbench;

/**
 * An organization may build Parley without a feature. Each test uninstalls one plug-in from the running test
 * runtime (its model fragment and extensions go with it), starts the whole application, and checks that what
 * remains works; the plug-in is installed again afterwards.
 */
class FeaturesTest {

    @TempDir
    Path temp;

    /** Without the chat plug-in: sign in, accept a contact, see presence and unread counts, filter contacts. */
    @Test
    void withoutTheChatPluginTheContactsViewWorks() throws Exception {
        Plugins.without("org.parley.chat.ui", () -> {
            assertThat(Plugins.installed("org.parley.chat.ui")).isFalse();
            try (ServerProcess server = ServerProcess.start(temp.resolve("server"));
                    OtherUser other = OtherUser.register(server.port, "ann", "Ann Lee")) {
                ParleyClient ann = other.client();
                Workbench.useHome(temp.resolve("home"));
                Display display = Display.getDefault();
                String[] shown = new String[1];
                Script script = new Script(display)
                        .step("the login dialog", () -> shellWithButton(display, "Sign in").isPresent(),
                                () -> signUp(display, server.port, "dan", "Dan Ode"))
                        .step("the workbench window", () -> hasSidebar(display), () -> {
                            assertThat(parleyMenu(display)).containsExactly("Add contact…", "New group…",
                                    "Set status…", "Change display name…", "Change password…", "Invite someone…",
                                    "Preferences…", "", "Sign out", "Quit");
                            // Preferences: the pages of the plug-ins that are there (file transfer and media need
                            // the chat plug-in, so they are gone with it)
                            assertThat(java.util.Arrays.stream(org.parley.ui.internal.preferences.PreferencePages
                                    .manager().getRootSubNodes()).map(n -> n.getLabelText()))
                                    .containsExactly("Connection", "General");
                            ann.requestContact("dan");
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
                                == Contacts.Presence.ONLINE, () -> ann.openDirect("dan")
                                        .thenCompose(c -> ann.send(c.id(), "hello dan")))
                        .step("an unread conversation", () -> itemText(sidebarList(display, CONVERSATIONS)).contains(
                                "(1 unread)"), () -> {
                                    Table conversations = sidebarList(display, CONVERSATIONS);
                                    conversations.setSelection(0);
                                    conversations.notifyListeners(SWT.DefaultSelection, new Event());
                                })
                        .step("the explanation that chats need the chat plug-in", () -> shellWithButton(display,
                                "OK").isPresent(), () -> {
                                    Shell dialog = shellWithButton(display, "OK").orElseThrow();
                                    shown[0] = Ui.find(dialog, Label.class).stream().map(Label::getText)
                                            .filter(t -> t.contains("chat")).findFirst().orElse("");
                                    button(dialog, "OK").notifyListeners(SWT.Selection, new Event());
                                })
                        .step("the dialog to close", () -> shellWithButton(display, "OK").isEmpty(), () -> {
                            Text filter = Ui.find(workbenchShell(display).orElseThrow(), Text.class).get(0);
                            filter.setText("nobody");
                        })
                        .step("the filter to hide ann", () -> rows(sidebarList(display, CONTACTS)) == 0,
                                () -> Ui.find(workbenchShell(display).orElseThrow(), Text.class).get(0).setText(""))
                        .step("ann back", () -> rows(sidebarList(display, CONTACTS)) == 1, () -> { })
                        .step("the status line", () -> Workbench.statusLineShows(display, "● Connected as dan"),
                                () -> { })
                        .settle()
                        .step("the window", () -> true, () -> screenshot(display, "workbench-without-chat"))
                        .step("close", () -> true, () -> closeWorkbench(display));
                script.start();
                Object exit = e4Application().start(new Workbench.TestApplicationContext());
                assertThat(script.failure()).isNull();
                assertThat(exit).isEqualTo(IApplication.EXIT_OK);
                assertThat(shown[0]).isEqualTo("The chat plug-in is not installed.");
            }
        });
        assertThat(Plugins.installed("org.parley.chat.ui")).isTrue();
    }

    /** Without the contacts plug-in: the application starts, signs in and shows its window and status line. */
    @Test
    void withoutTheContactsPluginTheApplicationStillWorks() throws Exception {
        Plugins.without("org.parley.contacts.ui", () -> {
            try (ServerProcess server = ServerProcess.start(temp.resolve("server"))) {
                Workbench.useHome(temp.resolve("home"));
                Display display = Display.getDefault();
                boolean[] sawWindow = new boolean[1];
                Script script = new Script(display)
                        .step("the login dialog", () -> shellWithButton(display, "Sign in").isPresent(),
                                () -> signUp(display, server.port, "cat", ""))
                        .step("the workbench window, connected", () -> Workbench.statusLineShows(display,
                                "● Connected as cat"), () -> {
                                    sawWindow[0] = true;
                                    assertThat(tables(display)).as("no contacts part").isEmpty();
                                    assertThat(parleyMenu(display)).as("no contacts items in the menu")
                                            .isEqualTo(List.of("Find in chat…", "Search all chats…", "Set status…",
                                                    "Change display name…", "Change password…", "Invite someone…",
                                                    "Preferences…",
                                                    "Mute This Chat", "", "Sign out", "Quit"));
                                })
                        .settle()
                        .step("the window", () -> true, () -> screenshot(display, "workbench-without-contacts"))
                        .step("close", () -> true, () -> closeWorkbench(display));
                script.start();
                Object exit = e4Application().start(new Workbench.TestApplicationContext());
                assertThat(script.failure()).isNull();
                assertThat(exit).isEqualTo(IApplication.EXIT_OK);
                assertThat(sawWindow[0]).isTrue();
            }
        });
    }

    private static void screenshot(Display display, String name) {
        try {
            Ui.screenshot(workbenchShell(display).orElseThrow(), name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
