package org.parley.ui.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.parley.ui.testing.Workbench.closeWorkbench;
import static org.parley.ui.testing.Workbench.e4Application;
import static org.parley.ui.testing.Workbench.shellWithButton;
import static org.parley.ui.testing.Workbench.statusLineShows;
import static org.parley.ui.testing.Workbench.workbenchShell;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.eclipse.e4.ui.model.application.ui.basic.MWindow;
import org.eclipse.equinox.app.IApplication;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.CLabel;
import org.eclipse.swt.custom.CTabFolder;
import org.eclipse.swt.custom.CTabItem;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.core.ParleyClient;
import org.parley.protocol.message.Contacts;
import org.parley.ui.ParleyUi;
import org.parley.ui.testing.OtherUser;
import org.parley.ui.testing.Script;
import org.parley.ui.testing.ServerProcess;
import org.parley.ui.testing.Ui;
import org.parley.ui.testing.Workbench;

/**
 * The side panel at 800 px (issue 12): with the window 800 px wide, conversations, requests both ways and
 * contacts, no label, button or tab of the side panel is cut (each is at least as large as it asks to be; no tab
 * shortened to "Cont…"). Add contact with the keyboard: typing a name, Down goes into the results, Down moves to
 * the next, Enter asks that person (real key events through the X server).
 */
class SidePanelTest {

    @TempDir
    Path temp;

    @Test
    void theSidePanelReadsWellAt800PxAndAddContactTakesTheKeyboard() throws Exception {
        try (ServerProcess server = ServerProcess.start(temp.resolve("server"));
                OtherUser bob = OtherUser.register(server.port, "bob", "Bob Roy");
                OtherUser dan = OtherUser.register(server.port, "dan", "Dan Ford");
                OtherUser carl = OtherUser.register(server.port, "carl", "Carl Ames");
                OtherUser cathy = OtherUser.register(server.port, "cathy", "Cathy Bell")) {
            try (ParleyClient alice = new ParleyClient(ParleyClient.Config.of("127.0.0.1", server.port)
                    .plaintext())) {
                alice.register("alice", "password-alice", "Alice Archer").get(30, TimeUnit.SECONDS);
                alice.requestContact("bob").get(30, TimeUnit.SECONDS);
                bob.client().answerContact("alice", true).get(30, TimeUnit.SECONDS);
                alice.openDirect("bob").get(30, TimeUnit.SECONDS);
                alice.createGroup("Quarterly planning and budget review", List.of("bob"))
                        .get(30, TimeUnit.SECONDS);
                dan.client().requestContact("alice").get(30, TimeUnit.SECONDS); // a request to answer
            }
            Workbench.useHome(temp.resolve("home"));
            Display display = Display.getDefault();
            String[] picked = new String[1];
            Script script = new Script(display)
                    .step("the login dialog", () -> shellWithButton(display, "Sign in").isPresent(),
                            () -> Workbench.signIn(display, server.port, "alice"))
                    .step("alice signed in", () -> statusLineShows(display, "● Connected as alice")
                            && Workbench.rows(Workbench.sidebarList(display, Workbench.CONVERSATIONS)) == 2
                            && Workbench.rows(Workbench.sidebarList(display, Workbench.REQUESTS)) == 1, () -> {
                                Shell shell = workbenchShell(display).orElseThrow();
                                shell.setSize(800, 600);
                                shell.layout(true, true);
                            })
                    .settle()
                    .step("the window at 800 px", () -> workbenchShell(display).orElseThrow().getSize().x == 800,
                            () -> {
                                Shell shell = workbenchShell(display).orElseThrow();
                                screenshot(shell, "side-panel-800");
                                assertThat(cut(side(display))).as("what is cut in the side panel").isEmpty();
                                shell.forceActive();
                            })
                    .step("the window with the keyboard", () -> display.getActiveShell() == workbenchShell(display)
                            .orElseThrow(), () -> Workbench.chooseMenuItem(display, "Parley", "Add contact…"))
                    .step("Add contact", () -> dialog(display).isPresent()
                            && display.getActiveShell() == dialog(display).get(), () -> Ui.type(display, "ca"))
                    .step("two results", () -> results(display).map(Table::getItemCount).orElse(0) == 2, () -> {
                        assertThat(cut(dialog(display).orElseThrow())).as("what is cut in Add contact").isEmpty();
                        Ui.key(display, SWT.ARROW_DOWN, 0); // into the results
                    })
                    .step("the first selected, in the list", () -> results(display).orElseThrow()
                            .getSelectionIndex() == 0 && results(display).orElseThrow().isFocusControl(),
                            () -> Ui.key(display, SWT.ARROW_DOWN, 0))
                    .step("the second selected", () -> results(display).orElseThrow().getSelectionIndex() == 1,
                            () -> {
                                picked[0] = results(display).orElseThrow().getItem(1).getText();
                                assertThat(Workbench.button(dialog(display).orElseThrow(), "Ask to be contacts")
                                        .isEnabled()).as("the dialog's button, for the person selected").isTrue();
                                screenshot(dialog(display).orElseThrow(), "add-contact-keyboard");
                                Ui.key(display, SWT.KEYPAD_CR, 0); // Enter: ask that person
                            })
                    // Once the server has the request, Parley says so in a box of the same title: waiting for the
                    // dialog to be gone raced with that box (gone when checked before it opened, not after).
                    .step("the request sent, and said", () -> outgoing(display).size() == 1 && said(display)
                            .isPresent(), () -> {
                                String user = outgoing(display).get(0);
                                assertThat(picked[0]).contains("(" + user + ")");
                                assertThat(user).isIn("carl", "cathy");
                                Shell said = said(display).orElseThrow();
                                assertThat(Workbench.message(said)).contains("Asked " + user);
                                Workbench.button(said, "OK").notifyListeners(SWT.Selection, new Event());
                            })
                    .step("no dialog left", () -> dialog(display).isEmpty(), () -> closeWorkbench(display));
            script.start();
            Object exit = e4Application().start(new Workbench.TestApplicationContext());
            assertNull(script.failure(), script.failure());
            assertEquals(IApplication.EXIT_OK, exit);
        }
    }

    /** The side stack's control (its tab folder). */
    private static Composite side(Display display) {
        MWindow window = (MWindow) workbenchShell(display).orElseThrow().getData("modelElement");
        Object stack = window.getContext().get(org.eclipse.e4.ui.workbench.modeling.EModelService.class)
                .find(ParleyUi.SIDE_STACK, window.getContext().get(
                        org.eclipse.e4.ui.model.application.MApplication.class)).getWidget();
        return (Composite) stack;
    }

    /**
     * The labels, buttons and tabs under {@code root} that show less than they ask for: narrower than their
     * preferred width (a wrapping label: lower than its height at its width), or a tab shortened ("Cont…").
     */
    static List<String> cut(Composite root) {
        List<String> out = new ArrayList<>();
        for (Control c : Ui.find(root, Control.class)) {
            if (!c.isVisible() || c.getSize().x == 0 && c.getSize().y == 0) {
                continue;
            }
            String text = c instanceof Label l ? l.getText() : c instanceof Button b ? b.getText()
                    : c instanceof CLabel l ? l.getText() : null;
            if (text == null || text.isEmpty()) {
                continue;
            }
            Point size = c.getSize();
            if (!inside(c, root)) {
                out.add(c.getClass().getSimpleName() + " \"" + text + "\" " + c.getBounds() + " not whole in "
                        + c.getParent().getClientArea() + " of " + c.getParent());
                continue;
            }
            boolean wraps = (c.getStyle() & SWT.WRAP) != 0;
            Point wanted = wraps ? c.computeSize(size.x, SWT.DEFAULT) : c.computeSize(SWT.DEFAULT, SWT.DEFAULT);
            if (!wraps && wanted.x > size.x || wanted.y > size.y) {
                out.add(c.getClass().getSimpleName() + " \"" + text + "\" " + size + " < " + wanted);
            }
        }
        for (Table t : Ui.find(root, Table.class)) {
            if (t.isVisible() && !inside(t, root)) {
                out.add("list " + t.getData("org.parley.contacts.ui.list") + " " + t.getBounds() + " not whole in "
                        + t.getParent().getClientArea());
            }
        }
        List<CTabFolder> folders = new ArrayList<>(Ui.find(root, CTabFolder.class));
        if (root instanceof CTabFolder f) {
            folders.add(f);
        }
        for (CTabFolder f : folders) {
            GC gc = new GC(f);
            try {
                for (CTabItem item : f.getItems()) {
                    int text = gc.textExtent(item.getText().replace("&", "")).x;
                    int image = item.getImage() == null ? 0 : item.getImage().getBounds().width;
                    if (!item.isShowing() || item.getBounds().width < text + image || shortened(item)) {
                        out.add("tab \"" + item.getText() + "\" " + item.getBounds() + " shows less than "
                                + (text + image) + " px");
                    }
                }
            } finally {
                gc.dispose();
            }
        }
        return out;
    }

    /** Whether SWT draws the tab's text shortened ("Transf…"): its private field, when this SWT has it. */
    private static boolean shortened(CTabItem item) {
        try {
            java.lang.reflect.Field f = CTabItem.class.getDeclaredField("shortenedText");
            f.setAccessible(true);
            Object drawn = f.get(item);
            return drawn != null && !drawn.equals(item.getText());
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /** Whether {@code c} lies whole within its parent's client area, and so on up to {@code root}. */
    private static boolean inside(Control c, Composite root) {
        for (Control x = c; x != root && x.getParent() != null; x = x.getParent()) {
            org.eclipse.swt.graphics.Rectangle b = x.getBounds();
            org.eclipse.swt.graphics.Rectangle area = x.getParent().getClientArea();
            if (x.getParent() instanceof org.eclipse.swt.custom.ScrolledComposite) {
                continue; // scrolled content is larger by design
            }
            if (b.x < area.x || b.y < area.y || b.x + b.width > area.x + area.width
                    || b.y + b.height > area.y + area.height) {
                return false;
            }
        }
        return true;
    }

    private static Optional<Shell> dialog(Display display) {
        return Arrays.stream(display.getShells()).filter(s -> !s.isDisposed() && s.isVisible()
                && s.getText().equals("Add contact")).findFirst();
    }

    /** The box that says the request went out (titled like the dialog, with an OK). */
    private static Optional<Shell> said(Display display) {
        return shellWithButton(display, "OK").filter(s -> s.getText().equals("Add contact"));
    }

    private static Optional<Table> results(Display display) {
        return dialog(display).flatMap(d -> Ui.find(d, Table.class).stream().findFirst());
    }

    /** The users alice has asked (her client's contact list, as the server keeps it). */
    private static List<String> outgoing(Display display) {
        ParleyClient client = ((MWindow) workbenchShell(display).orElseThrow().getData("modelElement"))
                .getContext().get(ParleyClient.class);
        try {
            return client.listContacts().get(5, TimeUnit.SECONDS).outgoing().stream()
                    .map(Contacts.UserInfo::user).toList();
        } catch (Exception e) {
            return List.of();
        }
    }

    private static void screenshot(Shell shell, String name) {
        try {
            Ui.screenshot(shell, name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
