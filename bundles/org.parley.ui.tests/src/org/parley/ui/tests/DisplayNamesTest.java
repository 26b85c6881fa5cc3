package org.parley.ui.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.parley.ui.testing.Workbench.parts;
import static org.parley.ui.testing.Workbench.window;
import static org.parley.ui.testing.Workbench.windowContext;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.eclipse.equinox.app.IApplication;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.chat.ui.internal.ChatPart;
import org.parley.contacts.ui.internal.ConversationRow;
import org.parley.protocol.message.Conversations;
import org.parley.ui.ChatOpener;
import org.parley.ui.testing.NoErrorsLogged;
import org.parley.ui.testing.OtherUser;
import org.parley.ui.testing.Script;
import org.parley.ui.testing.ServerProcess;
import org.parley.ui.testing.ToastRecorder;
import org.parley.ui.testing.Ui;
import org.parley.ui.testing.Workbench;

/**
 * Display names where bob sees ann (issue 12, "Names"), through the whole application against a real server: ann,
 * who is not bob's contact, writes first; bob's toast, sidebar row, chat tab (its tooltip with @ann), message
 * header and typing line name her "Ann Lee", not "ann". Then her display name changes (as the organization's
 * directory renames her, written into the stopped server's database) and, once bob's client is back after the
 * restart, the tab still open, the sidebar and the header say "Ann Archer" (the tab as drawn too). Then, live,
 * while bob stays signed in, ann renames a group they share and changes her own display name: the server pushes it,
 * and the 1:1's tab, the sidebar, the group's member list and its SYSTEM lines ("Ann Baker created the group …",
 * written with her user name) follow at once.
 */
class DisplayNamesTest {

    @TempDir
    Path temp;

    private ServerProcess server;
    private OtherUser ann;
    @RegisterExtension
    final NoErrorsLogged errors = new NoErrorsLogged();

    @BeforeEach
    void start() throws Exception {
        server = ServerProcess.start(temp.resolve("server"));
        ann = OtherUser.register(server.port, "ann", "Ann Lee");
        Workbench.useHome(temp.resolve("home"));
    }

    @AfterEach
    void stop() throws Exception {
        ann.close();
        server.close();
    }

    private static void open(Display display, Conversations.ConversationInfo c) {
        IEclipseContext ctx = windowContext(display);
        ChatOpener.open(ctx.get(EPartService.class), ctx.get(EModelService.class), ctx.get(MApplication.class), c);
    }

    private static MPart tab(Display display, long conversationId) {
        return ChatOpener.find(parts(display), conversationId);
    }

    /** The name in the header over message {@code seq} of the chat's history ("" when not in view). */
    private static String header(Display display, long conversationId, long seq) {
        MPart p = tab(display, conversationId);
        if (p == null || !(p.getObject() instanceof ChatPart c)) {
            return "";
        }
        String name = c.history().headerName(seq);
        return name == null ? "" : name;
    }

    /** The texts of the chat tabs as the window draws them (the main stack's tab folder). */
    private static List<String> tabTexts(Display display) {
        return Ui.find(window(display), org.eclipse.swt.custom.CTabFolder.class).stream()
                .flatMap(f -> Arrays.stream(f.getItems())).map(org.eclipse.swt.custom.CTabItem::getText).toList();
    }

    /** The names in the member list of the group chat in front. */
    private static List<String> memberNames(Display display) {
        return Ui.find(window(display), Table.class).stream().filter(t -> !t.isDisposed() && t.isVisible()
                && t.getData("org.parley.chat.members") != null).findFirst()
                .map(t -> Arrays.stream(t.getItems()).map(i -> i.getText(0)).toList()).orElse(List.of());
    }

    /** Line {@code seq} of a chat's history as shown (a SYSTEM line's text), or "" when not loaded. */
    private static String line(Display display, long conversationId, long seq) {
        MPart p = tab(display, conversationId);
        if (p == null || !(p.getObject() instanceof ChatPart c)) {
            return "";
        }
        String text = c.history().copyText(seq);
        return text == null ? "" : text;
    }

    private static List<String> previews(Display display) {
        Table t = Workbench.sidebarList(display, Workbench.CONVERSATIONS);
        return t == null ? List.of()
                : Arrays.stream(t.getItems()).map(i -> ((ConversationRow) i.getData()).preview()).toList();
    }

    private static List<String> rowNames(Display display) {
        Table t = Workbench.sidebarList(display, Workbench.CONVERSATIONS);
        return t == null ? List.of()
                : Arrays.stream(t.getItems()).map(i -> ((ConversationRow) i.getData()).name()).toList();
    }

    private static void screenshot(Display display, String name) {
        screenshot(window(display), name);
    }

    private static void screenshot(Shell shell, String name) {
        try {
            Ui.screenshot(shell, name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parley &gt; Change display name…'s dialog, when it shows. */
    private static Shell nameDialog(Display display) {
        return Arrays.stream(display.getShells()).filter(sh -> !sh.isDisposed() && sh.isVisible()
                && sh.getText().equals("Change display name")).findFirst().orElse(null);
    }

    private static Text nameField(Shell dialog) {
        return Ui.find(dialog, Text.class).stream().filter(t -> "displayName".equals(t.getData(
                org.parley.ui.LoginDialog.FIELD))).findFirst().orElseThrow();
    }

    @Test
    void bobSeesAnnByHerDisplayNameAlsoAfterItChanges() throws Exception {
        Display display = Display.getDefault();
        ToastRecorder[] toasts = new ToastRecorder[1];
        Conversations.ConversationInfo[] direct = new Conversations.ConversationInfo[1];
        Conversations.ConversationInfo[] group = new Conversations.ConversationInfo[1];
        long[] seq = new long[1];
        Path data = temp.resolve("server");
        int port = server.port;
        Script script = new Script(display)
                .step("the login dialog", () -> Workbench.shellWithButton(display, "Sign in").isPresent(),
                        () -> Workbench.signUp(display, port, "bob", "Bob Roy"))
                .step("the workbench window", () -> Workbench.workbenchShell(display).isPresent()
                        && Workbench.statusLineShows(display, "● Connected as bob"), () -> {
                            toasts[0] = ToastRecorder.install(display);
                            direct[0] = ann.client().openDirect("bob").orTimeout(30, TimeUnit.SECONDS).join();
                            seq[0] = ann.client().send(direct[0].id(), "hello bob, I am new here")
                                    .orTimeout(30, TimeUnit.SECONDS).join().seq();
                        })
                .step("a toast naming Ann Lee", () -> toasts[0].count() > 0, () -> {
                    assertThat(toasts[0].last()).contains("Ann Lee").doesNotContain("ann:");
                })
                .step("the sidebar row says Ann Lee", () -> rowNames(display).equals(List.of("Ann Lee")), () -> {
                    window(display).forceActive();
                    open(display, direct[0]);
                })
                .step("the chat's tab says Ann Lee", () -> tab(display, direct[0].id()) != null
                        && "Ann Lee".equals(tab(display, direct[0].id()).getLabel())
                        && tabTexts(display).contains("Ann Lee")
                        && header(display, direct[0].id(), seq[0]).equals("Ann Lee"), () -> {
                            assertThat(tab(display, direct[0].id()).getTooltip()).isEqualTo("Ann Lee (@ann)");
                            ann.client().typing(direct[0].id(), true);
                        })
                .step("the typing line names her", () -> Ui.find(window(display), org.eclipse.swt.widgets.Label.class)
                        .stream().anyMatch(l -> l.getText().equals("Ann Lee is typing…")), () -> {
                            ann.client().typing(direct[0].id(), false);
                            screenshot(display, "display-names");
                            try {
                                server.close(); // the directory renames ann while the server is down
                                ServerProcess.sql(data,
                                        "UPDATE accounts SET display_name = 'Ann Archer' WHERE name = 'ann'");
                                server = ServerProcess.start(data, port);
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        })
                .step("the server back (its restart took this step's time)", () -> true, () -> { })
                .step("bob's client and ann's back on the server", () -> Workbench.statusLineShows(display,
                        "● Connected as bob") && Workbench.client(display).state()
                                == org.parley.client.core.ConnectionState.ONLINE
                        && ann.client().state() == org.parley.client.core.ConnectionState.ONLINE, () -> { })
                .step("the open tab, the sidebar and the header say Ann Archer", () -> Workbench.statusLineShows(
                        display, "● Connected as bob") && "Ann Archer".equals(tab(display, direct[0].id()).getLabel())
                        && tabTexts(display).contains("Ann Archer") // the tab as drawn, not only the part's label
                        && rowNames(display).equals(List.of("Ann Archer"))
                        && header(display, direct[0].id(), seq[0]).equals("Ann Archer"), () -> {
                            assertThat(tab(display, direct[0].id()).getTooltip()).isEqualTo("Ann Archer (@ann)");
                        })
                .settle() // the sidebar's rows painted again before the screenshot
                .step("the window painted", () -> true, () -> {
                    screenshot(display, "display-name-renamed");
                    group[0] = ann.client().createGroup("Team", List.of("bob")).orTimeout(30, TimeUnit.SECONDS)
                            .join();
                    open(display, group[0]);
                })
                .step("the group's chat: its members and its first line name Ann Archer", () -> memberNames(display)
                        .contains("Ann Archer") && line(display, group[0].id(), 1).equals(
                                "Ann Archer created the group “Team”"), () -> {
                                    // live, while bob's client stays signed in: she renames the group, then herself
                                    ann.client().rename(group[0].id(), "Team 2").orTimeout(30, TimeUnit.SECONDS)
                                            .join();
                                    ann.client().setDisplayName("Ann Baker").orTimeout(30, TimeUnit.SECONDS).join();
                                })
                .step("at once: tabs, sidebar, member list and the group's lines say Ann Baker and Team 2",
                        () -> tabTexts(display).containsAll(List.of("Ann Baker", "# Team 2"))
                                && "Ann Baker".equals(tab(display, direct[0].id()).getLabel())
                                && rowNames(display).containsAll(List.of("Ann Baker", "Team 2"))
                                && memberNames(display).contains("Ann Baker")
                                && line(display, group[0].id(), 1).equals("Ann Baker created the group “Team”")
                                && line(display, group[0].id(), 2).equals("Ann Baker renamed the group to “Team 2”"),
                        () -> assertThat(previews(display)).contains("Ann Baker renamed the group to “Team 2”"))
                .settle()
                .step("the group painted", () -> true, () -> {
                    screenshot(display, "display-name-live");
                    open(display, direct[0]);
                })
                .step("the 1:1's header says Ann Baker", () -> header(display, direct[0].id(), seq[0])
                        .equals("Ann Baker"), () -> {
                            assertThat(tab(display, direct[0].id()).getTooltip()).isEqualTo("Ann Baker (@ann)");
                            Workbench.chooseMenuItem(display, "Parley", "Change display name…");
                        })
                // bob changes his own: a name the server refuses is said in the dialog, then ann hears the new one
                .step("the display name dialog with bob's name", () -> nameDialog(display) != null, () -> {
                    Shell dialog = nameDialog(display);
                    assertThat(nameField(dialog).getText()).isEqualTo("Bob Roy");
                    nameField(dialog).setText("Bob\u202ERoy");
                    Workbench.button(dialog, "Change").notifyListeners(SWT.Selection, new Event());
                })
                .step("the server's refusal in words", () -> nameDialog(display) != null && Workbench.message(
                        nameDialog(display)).contains("U+202E"), () -> {
                            Shell dialog = nameDialog(display);
                            screenshot(dialog, "change-display-name-refused");
                            nameField(dialog).setText("Robert Roy");
                            Workbench.button(dialog, "Change").notifyListeners(SWT.Selection, new Event());
                        })
                .step("ann's client shows bob's new name", () -> nameDialog(display) == null
                        && ann.client().names().of("bob").equals("Robert Roy"), () -> Workbench.closeWorkbench(
                                display));
        script.onFailure(() -> {
            if (direct[0] != null && tab(display, direct[0].id()) != null) {
                System.err.println("tab " + tab(display, direct[0].id()).getLabel() + " " + tabTexts(display)
                        + ", rows " + rowNames(display)
                        + ", header " + header(display, direct[0].id(), seq[0]) + ", state "
                        + Workbench.client(display).state() + ", members " + memberNames(display) + ", previews "
                        + previews(display) + (group[0] == null ? "" : ", group lines " + line(display,
                                group[0].id(), 1) + " / " + line(display, group[0].id(), 2)));
            }
            Workbench.closeWorkbench(display);
        });
        script.start();
        Object exit = Workbench.e4Application().start(new Workbench.TestApplicationContext());
        if (toasts[0] != null) {
            toasts[0].close();
        }
        assertNull(script.failure(), script.failure());
        assertEquals(IApplication.EXIT_OK, exit);
    }
}
