package org.parley.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parley.ui.testing.Workbench.windowContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.eclipse.equinox.app.IApplication;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.chat.ui.internal.ChatNotifications;
import org.parley.client.core.ParleyClient;
import org.parley.protocol.message.Conversations;
import org.parley.ui.ChatOpener;
import org.parley.ui.ParleyUi;
import org.parley.ui.testing.OtherUser;
import org.parley.ui.testing.Script;
import org.parley.ui.testing.ServerProcess;
import org.parley.ui.testing.Ui;
import org.parley.ui.testing.Workbench;

/**
 * Desktop notifications through the whole application: toasts stack in one column at the top right of the work
 * area without covering the window's entry field, a group's toast names the group and the sender by display name,
 * clicking a toast opens its chat, and a message in the chat the user is looking at gives no toast.
 */
class NotificationsTest {

    @TempDir
    Path temp;

    private ServerProcess server;
    private OtherUser ann;
    private OtherUser cat;

    @BeforeEach
    void start() throws Exception {
        server = ServerProcess.start(temp.resolve("server"));
        ann = OtherUser.register(server.port, "ann", "Ann Lee");
        cat = OtherUser.register(server.port, "cat", "Cat Moss");
        Workbench.useHome(temp.resolve("home"));
    }

    @AfterEach
    void stop() throws Exception {
        ann.close();
        cat.close();
        server.close();
    }

    private static ParleyClient bob(Display display) {
        return windowContext(display).get(ParleyClient.class);
    }

    /** The text of the chat history that shows. */
    @SuppressWarnings("unchecked")
    private static String visibleHistory(Display display) {
        return Ui.find(Workbench.workbenchShell(display).orElseThrow(), org.eclipse.swt.widgets.Canvas.class)
                .stream().filter(c -> c.isVisible() && c.getData("org.parley.chat.history.text") != null)
                .map(c -> ((java.util.function.Supplier<String>) c.getData("org.parley.chat.history.text")).get())
                .findFirst().orElse("");
    }

    private static ChatNotifications notifications(Display display) {
        return windowContext(display).get(MApplication.class).getAddons().stream()
                .filter(a -> a.getObject() instanceof ChatNotifications).map(a -> (ChatNotifications) a.getObject())
                .findFirst().orElseThrow();
    }

    private static List<Shell> toasts(Display display) {
        return notifications(display).toasts();
    }

    private static String title(Shell toast) {
        return ((Label) toast.getChildren()[0]).getText();
    }

    /** The visible chat's entry field, in display coordinates. */
    private static Rectangle entry(Display display) {
        Text t = Ui.find(Workbench.workbenchShell(display).orElseThrow(), Text.class).stream()
                .filter(x -> (x.getStyle() & SWT.MULTI) != 0 && x.isVisible()).findFirst().orElseThrow();
        Rectangle b = t.getBounds();
        org.eclipse.swt.graphics.Point p = t.getParent().toDisplay(b.x, b.y);
        return new Rectangle(p.x, p.y, b.width, b.height);
    }

    private static long activeConversation(Display display) {
        var part = windowContext(display).get(EPartService.class).getActivePart();
        String id = part == null ? null : part.getPersistedState().get(ParleyUi.CONVERSATION_ID);
        return id == null ? -1 : Long.parseLong(id);
    }

    /** The whole screen (the toasts are windows of their own). */
    private static void screen(Display display, String name) throws Exception {
        Rectangle r = display.getBounds();
        Image image = new Image(display, r.width, r.height);
        GC gc = new GC(display);
        try {
            gc.copyArea(image, 0, 0);
        } finally {
            gc.dispose();
        }
        Path dir = Path.of(System.getProperty("parley.screenshots", "target/screenshots"));
        Files.createDirectories(dir);
        ImageLoader loader = new ImageLoader();
        loader.data = new ImageData[] {image.getImageData()};
        loader.save(dir.resolve(name + ".png").toString(), SWT.IMAGE_PNG);
        image.dispose();
    }

    @Test
    void toastsStackNameTheGroupOpenTheirChatAndSpareTheChatInFront() throws Exception {
        Display display = Display.getDefault();
        org.parley.ui.testing.ToastRecorder recorded = org.parley.ui.testing.ToastRecorder.install(display);
        ParleyClient a = ann.client();
        Conversations.ConversationInfo[] direct = new Conversations.ConversationInfo[1];
        Conversations.ConversationInfo[] group = new Conversations.ConversationInfo[1];
        int[] before = new int[1];
        Script script = new Script(display)
                .step("the login dialog", () -> Workbench.shellWithButton(display, "Sign in").isPresent(),
                        () -> Workbench.signUp(display, server.port, "bob", "Bob Roy"))
                .step("the workbench window", () -> Workbench.workbenchShell(display).isPresent()
                        && Workbench.statusLineShows(display, "● Connected as bob"), () -> {
                            // their contact requests tell bob's client their display names
                            a.requestContact("bob");
                            cat.client().requestContact("bob");
                            a.openDirect("bob").thenAccept(c -> direct[0] = c);
                            a.createGroup("Release team", List.of("bob", "cat")).thenAccept(c -> group[0] = c);
                        })
                .step("the conversations", () -> direct[0] != null && group[0] != null
                        && bob(display).names().knows("ann") && bob(display).names().knows("cat"), () -> {
                    IEclipseContext ctx = windowContext(display);
                    assertTrue(ChatOpener.open(ctx.get(EPartService.class), ctx.get(EModelService.class),
                            ctx.get(MApplication.class), direct[0]));
                    Workbench.workbenchShell(display).orElseThrow().forceActive();
                })
                .step("ann's chat in front", () -> activeConversation(display) == direct[0].id()
                        && display.getActiveShell() == Workbench.workbenchShell(display).orElseThrow(), () -> {
                            before[0] = recorded.count();
                            a.send(group[0].id(), "the build is green");
                        })
                .step("the group's toast", () -> toasts(display).size() == 1,
                        () -> cat.client().send(group[0].id(), "release notes are up"))
                .step("a second toast", () -> toasts(display).size() == 2,
                        () -> a.send(group[0].id(), "tagging 1.0 now"))
                .step("a third toast", () -> toasts(display).size() == 3, () -> {
                    List<Shell> shown = toasts(display);
                    assertEquals("Release team — Ann Lee", title(shown.get(0)), "the newest on top names the group");
                    assertEquals("Release team — Cat Moss", title(shown.get(1)));
                    Rectangle work = display.getPrimaryMonitor().getClientArea();
                    Rectangle field = entry(display);
                    for (int i = 0; i < shown.size(); i++) {
                        Rectangle r = shown.get(i).getBounds();
                        assertTrue(work.contains(r.x, r.y) && r.x + r.width <= work.x + work.width, "in the work area");
                        assertTrue(!r.intersects(field), "a toast covers the entry field: " + r + " " + field);
                        if (i > 0) {
                            Rectangle above = shown.get(i - 1).getBounds();
                            assertEquals(above.x, r.x, "one column");
                            assertTrue(r.y >= above.y + above.height, "stacked, not overlapping");
                        }
                    }
                    assertTrue(shown.get(0).getBounds().y - work.y < 50, "at the top of the work area");
                    try {
                        Ui.settle(display);
                        screen(display, "toasts-stacked");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    // ann writes in the chat bob is looking at: no toast for it
                    a.send(direct[0].id(), "are you there?");
                })
                .step("ann's message in the chat in front", () -> Workbench.history(display).contains(
                        "ann: are you there?"), () -> {
                            Ui.settle(display);
                            assertEquals(3, recorded.count() - before[0],
                                    "no toast for the chat in front");
                            // a click on the group's toast opens the group's chat
                            Shell toast = toasts(display).get(0);
                            toast.notifyListeners(SWT.MouseUp, new Event());
                        })
                .step("the group's chat", () -> activeConversation(display) == group[0].id()
                        && visibleHistory(display).contains("ann: tagging 1.0 now"), () -> {
                    Workbench.closeWorkbench(display);
                });
        script.onFailure(() -> Workbench.closeWorkbench(display));
        script.start();
        Object exit = Workbench.e4Application().start(new Workbench.TestApplicationContext());
        assertNull(script.failure(), script.failure());
        assertEquals(IApplication.EXIT_OK, exit);
    }
}
