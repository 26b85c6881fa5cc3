package org.parley.ui.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parley.ui.testing.Workbench.window;
import static org.parley.ui.testing.Workbench.windowContext;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.eclipse.equinox.app.IApplication;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.chat.ui.internal.ChatPart;
import org.parley.chat.ui.internal.SearchDialog;
import org.parley.client.core.ParleyClient;
import org.parley.protocol.message.Conversations;
import org.parley.ui.testing.OtherUser;
import org.parley.ui.testing.Script;
import org.parley.ui.testing.ServerProcess;
import org.parley.ui.testing.Ui;
import org.parley.ui.testing.Workbench;

/**
 * The search's small habits (issue 12), with real keys and mouse from the X server: the Parley menu's Find in chat
 * and Search all chats show their shortcuts (Ctrl+F, Shift+Ctrl+F; also Add contact's Ctrl+N and Quit's Ctrl+Q)
 * and Search all chats works from the menu; a 1:1's hit names the other person once; a word found by its prefix is
 * marked only as far as the prefix typed; Escape closes the dialog from its search field and from its list (a
 * dialog opened with Shift+Ctrl+F); a double-click on a hit opens the chat at that message.
 */
class SearchMenuTest {

    @TempDir
    Path temp;

    @Test
    void theMenuShowsTheShortcutsAndADoubleClickOpensAHit() throws Exception {
        try (ServerProcess server = ServerProcess.start(temp.resolve("server"));
                OtherUser ann = OtherUser.register(server.port, "ann", "Ann Lee")) {
            long[] seqs = new long[3];
            try (ParleyClient bob = new ParleyClient(ParleyClient.Config.of("127.0.0.1", server.port)
                    .plaintext())) {
                bob.register("bob", "password-bob", "Bob Roy").get(30, TimeUnit.SECONDS);
                bob.requestContact("ann").get(30, TimeUnit.SECONDS);
                ann.client().answerContact("bob", true).get(30, TimeUnit.SECONDS);
            }
            Conversations.ConversationInfo direct = ann.client().openDirect("bob").get(30, TimeUnit.SECONDS);
            List<String> texts = List.of("The budget report is ready", "Lunch at noon?", "Budgeting for next year");
            for (int i = 0; i < texts.size(); i++) {
                seqs[i] = ann.client().send(direct.id(), texts.get(i)).get(30, TimeUnit.SECONDS).seq();
            }
            while (!ann.client().searchMessages("budget", 0, "", 1).get(30, TimeUnit.SECONDS).complete()) {
                Thread.sleep(100); // indexed
            }
            Workbench.useHome(temp.resolve("home"));
            Display display = Display.getDefault();
            List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            Script script = new Script(display)
                    .step("the login dialog", () -> Workbench.shellWithButton(display, "Sign in").isPresent(),
                            () -> Workbench.signIn(display, server.port, "bob"))
                    .step("bob signed in", () -> Workbench.statusLineShows(display, "● Connected as bob")
                            && Workbench.rows(Workbench.sidebarList(display, Workbench.CONVERSATIONS)) == 1, () -> {
                                String menu = String.join("\n", advertised(display));
                                assertTrue(menu.contains("Quit\tCtrl+Q") && menu.contains("Add contact…\tCtrl+N"),
                                        menu);
                                assertTrue(menu.contains("Find in chat…\tCtrl+F"), menu);
                                assertTrue(menu.contains("Search all chats…\tShift+Ctrl+F"), menu);
                                window(display).forceActive();
                                Workbench.chooseMenuItem(display, "Parley", "Search all chats…");
                            })
                    .step("Search all chats, from the menu", () -> dialog(display, "Search all chats") != null
                            && display.getActiveShell() == dialog(display, "Search all chats").getShell()
                            && dialog(display, "Search all chats").query().isFocusControl(), () -> {
                                Ui.type(display, "budg");
                                Ui.key(display, SWT.KEYPAD_CR, 0);
                            })
                    .step("two hits", () -> dialog(display, "Search all chats").lines().size() == 2, () -> {
                        List<SearchDialog.Line> lines = dialog(display, "Search all chats").lines();
                        assertEquals(seqs[2], lines.get(0).hit().message().seq(), "newest first");
                        String line = lines.get(1).text();
                        assertThat(line).startsWith("Ann Lee · ").contains(" · The budget report");
                        assertEquals(line.indexOf("Ann Lee"), line.lastIndexOf("Ann Lee"), "named once: " + line);
                        assertThat(line).doesNotContain("ann:");
                        assertEquals("[Budg]", marked(lines.get(0)), "only the prefix typed is marked");
                        assertEquals("[budg]", marked(lines.get(1)));
                    })
                    .settle()
                    .step("the hits", () -> true, () -> {
                        screenshot(dialog(display, "Search all chats").getShell(), "search-prefix-marked");
                        Ui.key(display, SWT.ESC, 0); // the keyboard still in the search field
                    })
                    .step("Escape in the search field closed it", () -> dialog(display, "Search all chats") == null,
                            () -> window(display).forceActive())
                    .step("the window in front", () -> display.getActiveShell() == window(display),
                            () -> Ui.key(display, 'f', SWT.CTRL | SWT.SHIFT))
                    .step("Search all chats again, from its key", () -> dialog(display, "Search all chats") != null
                            && display.getActiveShell() == dialog(display, "Search all chats").getShell()
                            && dialog(display, "Search all chats").query().isFocusControl(), () -> {
                                Ui.type(display, "budg");
                                Ui.key(display, SWT.KEYPAD_CR, 0);
                            })
                    .step("two hits again", () -> dialog(display, "Search all chats").lines().size() == 2,
                            () -> Ui.key(display, SWT.ARROW_DOWN, 0))
                    .step("the keyboard in the list", () -> dialog(display, "Search all chats").results()
                            .isFocusControl(), () -> Ui.key(display, SWT.ESC, 0))
                    .step("Escape in the list closed it", () -> dialog(display, "Search all chats") == null,
                            () -> window(display).forceActive())
                    .step("the window in front again", () -> display.getActiveShell() == window(display),
                            () -> Workbench.chooseMenuItem(display, "Parley", "Search all chats…"))
                    .step("a third search", () -> dialog(display, "Search all chats") != null
                            && display.getActiveShell() == dialog(display, "Search all chats").getShell()
                            && dialog(display, "Search all chats").query().isFocusControl(), () -> {
                                Ui.type(display, "budg");
                                Ui.key(display, SWT.KEYPAD_CR, 0);
                            })
                    .step("its two hits", () -> dialog(display, "Search all chats").lines().size() == 2,
                            () -> doubleClick(dialog(display, "Search all chats").results(), 1))
                    .step("the older hit clicked", () -> dialog(display, "Search all chats").results()
                            .getSelectionIndex() == 1, () -> { })
                    .step("its chat open", () -> chat(display) != null, () -> { })
                    .step("the chat open at the older hit", () -> chat(display) != null
                            && chat(display).history().selection().length == 2
                            && chat(display).history().selection()[0] == seqs[0], () -> {
                                String menu = String.join("\n", advertised(display));
                                assertTrue(menu.contains("Find in chat…\tCtrl+F"), "with a chat open: " + menu);
                            })
                    .step("close", () -> true, () -> {
                        for (Shell s : display.getShells()) {
                            if (s.getData() instanceof SearchDialog d) {
                                d.close();
                            }
                        }
                        Workbench.closeWorkbench(display);
                    });
            // where each key went (printed when a step fails)
            org.eclipse.swt.widgets.Listener keys = e -> seen.add("key " + e.keyCode + " to "
                    + e.widget.getClass().getSimpleName() + " in " + (e.widget instanceof org.eclipse.swt.widgets
                            .Control c ? c.getShell().getText() : "?"));
            display.addFilter(SWT.KeyDown, keys);
            script.onFailure(() -> {
                SearchDialog d = dialog(display, "Search all chats");
                seen.add("status: " + (d == null ? "no dialog" : d.status()));
                for (Shell s : display.getShells()) {
                    if (s.getData() instanceof SearchDialog sd) {
                        sd.close();
                    }
                }
                Workbench.closeWorkbench(display);
            });
            script.start();
            Object exit = Workbench.e4Application().start(new Workbench.TestApplicationContext());
            if (!display.isDisposed()) {
                display.removeFilter(SWT.KeyDown, keys);
            }
            assertNull(script.failure(), script.failure() + " events " + seen);
            assertEquals(IApplication.EXIT_OK, exit);
        }
    }

    /** Double-clicks row {@code index} of a table with the mouse, through the X server. */
    private static void doubleClick(Table table, int index) {
        Display display = table.getDisplay();
        table.showItem(table.getItem(index));
        Rectangle r = table.getItem(index).getBounds();
        Point p = table.toDisplay(r.x + Math.min(r.width / 2, 60), r.y + r.height / 2);
        for (int dx : new int[] {-3, 0}) { // a move onto the row (GTK takes the pointer's window from motion)
            Event move = new Event();
            move.type = SWT.MouseMove;
            move.x = p.x + dx;
            move.y = p.y;
            display.post(move);
        }
        for (int i = 0; i < 2; i++) {
            for (int type : new int[] {SWT.MouseDown, SWT.MouseUp}) {
                Event e = new Event();
                e.type = type;
                e.button = 1;
                display.post(e);
            }
        }
    }

    private static ChatPart chat(Display display) {
        return windowContext(display).get(EPartService.class).getParts().stream()
                .filter(p -> p.getObject() instanceof ChatPart && p.isToBeRendered()).findFirst()
                .map(p -> (ChatPart) p.getObject()).orElse(null);
    }

    private static SearchDialog dialog(Display display, String titleStart) {
        for (Shell s : display.getShells()) {
            if (!s.isDisposed() && s.isVisible() && s.getText().startsWith(titleStart)
                    && s.getData() instanceof SearchDialog d) {
                return d;
            }
        }
        return null;
    }

    /** The Parley menu's items as shown, with the shortcuts they advertise. */
    private static List<String> advertised(Display display) {
        for (var top : window(display).getMenuBar().getItems()) {
            if (top.getText().replace("&", "").equals("Parley")) {
                top.getMenu().notifyListeners(SWT.Show, new Event());
                List<String> out = java.util.Arrays.stream(top.getMenu().getItems())
                        .map(i -> i.getText().replace("&", "")).toList();
                top.getMenu().notifyListeners(SWT.Hide, new Event());
                return out;
            }
        }
        return List.of();
    }

    private static String marked(SearchDialog.Line line) {
        StringBuilder b = new StringBuilder();
        for (int[] r : line.marks()) {
            b.append('[').append(line.text(), r[0], r[1]).append(']');
        }
        return b.toString();
    }

    private static void screenshot(Shell shell, String name) {
        try {
            Ui.screenshot(shell, name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
