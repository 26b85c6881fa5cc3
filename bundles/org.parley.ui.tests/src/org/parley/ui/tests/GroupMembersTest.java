package org.parley.ui.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.parley.ui.testing.Workbench.client;
import static org.parley.ui.testing.Workbench.window;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.eclipse.equinox.app.IApplication;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.message.Contacts;
import org.parley.protocol.message.Conversations;
import org.parley.ui.testing.NoErrorsLogged;
import org.parley.ui.testing.OtherUser;
import org.parley.ui.testing.Script;
import org.parley.ui.testing.ServerProcess;
import org.parley.ui.testing.Ui;
import org.parley.ui.testing.Workbench;

/**
 * Groups made and grown with the member picker (contacts first, anyone the server finds as the user types, several
 * at once, chips for the chosen), and a group chat's member list with presence, through the whole application
 * against a real server.
 */
class GroupMembersTest {

    @TempDir
    Path temp;

    private ServerProcess server;
    @RegisterExtension
    final NoErrorsLogged errors = new NoErrorsLogged();

    @BeforeEach
    void start() throws Exception {
        server = ServerProcess.start(temp.resolve("server"));
        Workbench.useHome(temp.resolve("home"));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    /** The open member picker (by its list), or empty. */
    private static Optional<Shell> picker(Display display) {
        return Arrays.stream(display.getShells()).filter(s -> !s.isDisposed() && s.isVisible() && Ui.find(s,
                Table.class).stream().anyMatch(t -> "picker".equals(t.getData("org.parley.contacts.ui.list"))))
                .findFirst();
    }

    private static Table pickerList(Display display) {
        return Ui.find(picker(display).orElseThrow(), Table.class).stream().filter(t -> "picker".equals(t.getData(
                "org.parley.contacts.ui.list"))).findFirst().orElseThrow();
    }

    private static List<String> listed(Table t) {
        return Arrays.stream(t.getItems()).map(TableItem::getText).toList();
    }

    /** Ticks a person in the picker, as a click on the check box would. */
    private static void tick(Table t, String user) {
        for (TableItem i : t.getItems()) {
            if (((Contacts.UserInfo) i.getData()).user().equals(user)) {
                i.setChecked(true);
                Event e = new Event();
                e.item = i;
                e.detail = SWT.CHECK;
                t.notifyListeners(SWT.Selection, e);
                return;
            }
        }
        throw new AssertionError(user + " is not listed: " + listed(t));
    }

    /** The chips of the chosen, as shown above the picker's list. */
    private static List<String> chips(Display display) {
        return Ui.find(picker(display).orElseThrow(), Button.class).stream().filter(b -> b.getData()
                instanceof Contacts.UserInfo).map(Button::getText).toList();
    }

    /** The member list of the open group chat, or null. */
    private static Table members(Display display) {
        return Ui.find(window(display), Table.class).stream().filter(t -> !t.isDisposed() && t.isVisible()
                && t.getData("org.parley.chat.members") != null).findFirst().orElse(null);
    }

    private static List<String> memberNames(Display display) {
        Table t = members(display);
        return t == null ? List.of() : listed(t);
    }

    private static Contacts.Presence presenceOf(Display display, String user) {
        return Arrays.stream(members(display).getItems()).filter(i -> user.equals(i.getData())).findFirst()
                .map(i -> (Contacts.Presence) i.getData("presence")).orElse(null);
    }

    /** What the member list shows of a member's role ("Admin", or nothing). */
    private static String roleOf(Display display, String user) {
        return Arrays.stream(members(display).getItems()).filter(i -> user.equals(i.getData())).findFirst()
                .map(i -> i.getText(1)).orElseThrow();
    }

    private static void screenshot(Shell shell, String name) {
        try {
            Ui.screenshot(shell, name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * New group: a name and people picked in the member picker (two contacts listed at once, a non-contact found by
     * typing, chips for the chosen); the group's chat shows its members with presence, which follows changes; Add…
     * in the member list opens the picker without the members, where a person is found, picked with the keyboard
     * and added.
     */
    @Test
    void groupsAreMadeWithThePickerAndShowTheirMembers() throws Exception {
        Display display = Display.getDefault();
        try (OtherUser ann = OtherUser.register(server.port, "ann", "Ann Lee");
                OtherUser cat = OtherUser.register(server.port, "cat", "Cat Moss");
                OtherUser dan = OtherUser.register(server.port, "dan", "Dan Ode")) {
            Conversations.ConversationInfo[] group = new Conversations.ConversationInfo[1];
            Script script = new Script(display)
                    .step("the login dialog", () -> Workbench.shellWithButton(display, "Sign in").isPresent(),
                            () -> Workbench.signUp(display, server.port, "bob", "Bob Roy"))
                    .step("the workbench window", () -> Workbench.hasSidebar(display), () -> {
                        ann.client().requestContact("bob");
                        cat.client().requestContact("bob");
                    })
                    .step("two requests", () -> Workbench.rows(Workbench.sidebarList(display,
                            Workbench.REQUESTS)) == 2, () -> {
                                client(display).answerContact("ann", true);
                                client(display).answerContact("cat", true);
                            })
                    .step("two contacts", () -> Workbench.rows(Workbench.sidebarList(display,
                            Workbench.CONTACTS)) == 2, () -> Workbench.chooseMenuItem(display, "Parley",
                                    "New group…"))
                    .step("the member picker with the contacts", () -> picker(display).isPresent()
                            && pickerList(display).getItemCount() == 2, () -> {
                                assertThat(listed(pickerList(display))).containsExactly("Ann Lee  (ann)",
                                        "Cat Moss  (cat)");
                                Shell p = picker(display).orElseThrow();
                                assertThat(Workbench.button(p, "Create group").isEnabled()).isFalse();
                                Workbench.fields(p).get(0).setText("Launch");
                                tick(pickerList(display), "ann");
                                assertThat(Workbench.button(p, "Create group").isEnabled()).isTrue();
                                Workbench.fields(p).get(1).setText("dan");
                            })
                    .step("dan found", () -> listed(pickerList(display)).equals(List.of("Dan Ode  (dan)")), () -> {
                        tick(pickerList(display), "dan");
                        assertThat(chips(display)).containsExactly("Ann Lee  ×", "Dan Ode  ×");
                    })
                    .settle()
                    .step("the picker to show", () -> true, () -> {
                        screenshot(picker(display).orElseThrow(), "member-picker");
                        Workbench.button(picker(display).orElseThrow(), "Create group").notifyListeners(
                                SWT.Selection, new Event());
                    })
                    .step("the group's chat with its members", () -> memberNames(display).size() == 3
                            && presenceOf(display, "ann") != null, () -> {
                        assertThat(memberNames(display)).containsExactly("Bob Roy (you)", "Ann Lee", "Dan Ode");
                        assertThat(presenceOf(display, "ann")).isEqualTo(Contacts.Presence.ONLINE);
                        assertThat(presenceOf(display, "dan")).as("not a contact: no presence").isNull();
                        assertThat(roleOf(display, "bob")).as("the group's creator, its admin").isEqualTo("Admin");
                        assertThat(roleOf(display, "ann")).isEmpty();
                        try {
                            group[0] = client(display).listConversations().get(30, TimeUnit.SECONDS).stream()
                                    .filter(c -> c.title().equals("Launch")).findFirst().orElseThrow();
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        }
                        assertThat(group[0].members()).extracting(Conversations.Member::user)
                                .containsExactlyInAnyOrder("bob", "ann", "dan");
                        ann.client().setPresence(Contacts.Presence.AWAY, "lunch");
                    })
                    .step("ann away in the member list", () -> presenceOf(display, "ann")
                            == Contacts.Presence.AWAY, () -> {
                                Button add = Ui.find(members(display).getParent(), Button.class).stream()
                                        .filter(b -> b.getText().replace("&", "").equals("Add…")).findFirst()
                                        .orElseThrow();
                                add.notifyListeners(SWT.Selection, new Event());
                            })
                    .step("the picker without the members", () -> picker(display).isPresent()
                            && pickerList(display).getItemCount() == 1, () -> {
                                assertThat(listed(pickerList(display))).containsExactly("Cat Moss  (cat)");
                                picker(display).orElseThrow().forceActive();
                                Text search = Workbench.fields(picker(display).orElseThrow()).get(0);
                                search.setFocus();
                            })
                    .step("the search with the keyboard", () -> Workbench.fields(picker(display).orElseThrow())
                            .get(0).isFocusControl(), () -> Ui.type(display, "cat"))
                    .step("cat found", () -> Workbench.fields(picker(display).orElseThrow()).get(0).getText()
                            .equals("cat") && listed(pickerList(display)).equals(List.of("Cat Moss  (cat)")),
                            () -> Ui.key(display, SWT.ARROW_DOWN, 0))
                    .step("the list with the keyboard", () -> pickerList(display).isFocusControl(),
                            () -> Ui.key(display, ' ', 0))
                    .step("cat ticked with Space", () -> chips(display).equals(List.of("Cat Moss  ×")),
                            () -> Workbench.button(picker(display).orElseThrow(), "Add").notifyListeners(
                                    SWT.Selection, new Event()))
                    .step("four members", () -> memberNames(display).size() == 4, () -> {
                        assertThat(memberNames(display)).containsExactly("Bob Roy (you)", "Cat Moss", "Ann Lee",
                                "Dan Ode");
                        window(display).setSize(1100, 640);
                    })
                    .settle()
                    .step("the window to show", () -> true, () -> screenshot(window(display), "group-members"))
                    .step("close", () -> true, () -> Workbench.closeWorkbench(display));
            script.onFailure(() -> {
                picker(display).ifPresent(Shell::close);
                Workbench.closeWorkbench(display);
            });
            script.start();
            Object exit = Workbench.e4Application().start(new Workbench.TestApplicationContext());
            assertNull(script.failure(), script.failure());
            assertEquals(IApplication.EXIT_OK, exit);
        }
    }
}
