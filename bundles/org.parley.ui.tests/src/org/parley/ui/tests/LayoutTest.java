package org.parley.ui.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.parley.ui.testing.Workbench.button;
import static org.parley.ui.testing.Workbench.closeWorkbench;
import static org.parley.ui.testing.Workbench.e4Application;
import static org.parley.ui.testing.Workbench.shellWithButton;
import static org.parley.ui.testing.Workbench.statusLineShows;
import static org.parley.ui.testing.Workbench.windowContext;
import static org.parley.ui.testing.Workbench.workbenchShell;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.eclipse.core.runtime.ILogListener;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Platform;
import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.ui.MUIElement;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.model.application.ui.basic.MPartStack;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.eclipse.equinox.app.IApplication;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.core.ParleyClient;
import org.parley.protocol.message.Conversations;
import org.parley.ui.ChatOpener;
import org.parley.ui.ParleyUi;
import org.parley.ui.testing.OtherUser;
import org.parley.ui.testing.Script;
import org.parley.ui.testing.ServerProcess;
import org.parley.ui.testing.Ui;
import org.parley.ui.testing.Workbench;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The window's layout is kept (issue 12): the window size, the open chats and the part sizes come back after a
 * restart, as the product starts (without {@code -clearPersistedState}); another account signed in on the same
 * profile never sees them, and its owner gets them back at the next sign-in; a chat whose conversation the user
 * has left meanwhile does not come back; and a saved model from an older Parley (a plug-in's part, menu item,
 * add-on and descriptor that no longer exist, a chat part of a descriptor that no longer exists, menu items that a
 * fragment added since) starts with the current menus and parts.
 */
class LayoutTest {

    private static final String NAMESPACE_MENU = "http://www.eclipse.org/ui/2010/UIModel/application/ui/menu";
    private static final String NAMESPACE_BASIC = "http://www.eclipse.org/ui/2010/UIModel/application/ui/basic";
    private static final String NAMESPACE_XSI = "http://www.w3.org/2001/XMLSchema-instance";

    @TempDir
    Path temp;

    @Test
    void theLayoutComesBackAfterARestartForItsAccountOnly() throws Exception {
        try (ServerProcess server = ServerProcess.start(temp.resolve("server"));
                OtherUser bob = OtherUser.register(server.port, "bob", "Bob Roy");
                OtherUser carol = OtherUser.register(server.port, "carol", "Carol Chu")) {
            Conversations.ConversationInfo direct;
            Conversations.ConversationInfo group;
            try (ParleyClient alice = new ParleyClient(ParleyClient.Config.of("127.0.0.1", server.port)
                    .plaintext())) {
                alice.register("alice", "password-alice", "Alice Archer").get(30, TimeUnit.SECONDS);
                alice.requestContact("bob").get(30, TimeUnit.SECONDS);
                bob.client().answerContact("alice", true).get(30, TimeUnit.SECONDS);
                direct = alice.openDirect("bob").get(30, TimeUnit.SECONDS);
                group = alice.createGroup("Release team", List.of("bob")).get(30, TimeUnit.SECONDS);
            }
            Workbench.useHome(temp.resolve("home"));
            List<String> errors = new CopyOnWriteArrayList<>();
            ILogListener log = (status, plugin) -> {
                if (status.getSeverity() == IStatus.ERROR) {
                    errors.add(status.getMessage() + (status.getException() == null ? ""
                            : ": " + status.getException()));
                }
            };
            Platform.addLogListener(log);
            try {
                // 1. The first start (the initial layout): alice opens two chats, makes the window 900 × 640 and
                // the sidebar wider, and quits.
                Display display = Display.getDefault();
                Script first = new Script(display)
                        .step("the login dialog", () -> shellWithButton(display, "Sign in").isPresent(),
                                () -> Workbench.signIn(display, server.port, "alice"))
                        .step("alice signed in", () -> statusLineShows(display, "● Connected as alice")
                                && Workbench.hasSidebar(display), () -> {
                                    open(display, direct);
                                    open(display, group);
                                })
                        .step("her two chats", () -> shownChats(display).size() == 2, () -> {
                            Shell shell = workbenchShell(display).orElseThrow();
                            shell.setSize(900, 640);
                            stack(display, ParleyUi.SIDE_STACK).setContainerData("35");
                            stack(display, ParleyUi.MAIN_STACK).setContainerData("65");
                            shell.layout(true, true);
                        })
                        .settle()
                        .step("close", () -> true, () -> closeWorkbench(display));
                first.start();
                Object exit = e4Application().start(new Workbench.TestApplicationContext());
                assertNull(first.failure(), first.failure());
                assertEquals(IApplication.EXIT_OK, exit);

                // 2. The next start signs alice in by herself and shows what she left: window size, sidebar width,
                // both chats with the group in front. She signs out and carol signs in on the same profile: none
                // of alice's chats; carol signs out and alice signs in again: her chats are back.
                Display second = Display.getDefault();
                Script again = new Script(second)
                        .step("alice's layout", () -> statusLineShows(second, "● Connected as alice")
                                && shownChats(second).size() == 2, () -> {
                                    Shell shell = workbenchShell(second).orElseThrow();
                                    assertEquals(new Point(900, 640), shell.getSize(), "the window's size");
                                    assertEquals("35", stack(second, ParleyUi.SIDE_STACK).getContainerData());
                                    assertEquals("65", stack(second, ParleyUi.MAIN_STACK).getContainerData());
                                    assertThat(conversationIds(second)).containsExactly(direct.id(), group.id());
                                    assertEquals(String.valueOf(group.id()), front(second));
                                    assertEquals(expectedMenu(), Workbench.parleyMenu(second));
                                })
                        .step("alice's conversations", () -> Workbench.rows(Workbench.sidebarList(second,
                                Workbench.CONVERSATIONS)) == 2, () -> { })
                        .settle()
                        .step("the restored window to show", () -> true, () -> {
                            Shell shell = workbenchShell(second).orElseThrow();
                            int side = ((Control) stack(second, ParleyUi.SIDE_STACK).getWidget()).getSize().x;
                            int main = ((Control) stack(second, ParleyUi.MAIN_STACK).getWidget()).getSize().x;
                            assertThat(side * 100 / (side + main)).as("the sidebar's share of the width")
                                    .isBetween(32, 38);
                            screenshot(shell, "layout-restored");
                            Workbench.chooseMenuItem(second, "Parley", "Sign out");
                        })
                        .step("the question", () -> shellWithButton(second, "OK").isPresent(),
                                () -> button(shellWithButton(second, "OK").orElseThrow(), "OK")
                                        .notifyListeners(SWT.Selection, new Event()))
                        .step("the login dialog", () -> shellWithButton(second, "Sign in").isPresent(),
                                () -> Workbench.signIn(second, server.port, "carol"))
                        .step("carol signed in", () -> statusLineShows(second, "● Connected as carol")
                                && Workbench.hasSidebar(second), () -> {
                                    assertThat(conversationIds(second)).as("none of alice's chats").isEmpty();
                                    Workbench.chooseMenuItem(second, "Parley", "Sign out");
                                })
                        .step("the question again", () -> shellWithButton(second, "OK").isPresent(),
                                () -> button(shellWithButton(second, "OK").orElseThrow(), "OK")
                                        .notifyListeners(SWT.Selection, new Event()))
                        .step("the login dialog again", () -> shellWithButton(second, "Sign in").isPresent(),
                                () -> Workbench.signIn(second, server.port, "alice"))
                        .step("alice's chats back", () -> statusLineShows(second, "● Connected as alice")
                                && shownChats(second).size() == 2, () -> {
                                    assertThat(conversationIds(second)).containsExactly(direct.id(), group.id());
                                    assertEquals(String.valueOf(group.id()), front(second));
                                })
                        .step("close", () -> true, () -> closeWorkbench(second));
                again.start();
                exit = e4Application().start(Workbench.TestApplicationContext.keepingLayout());
                assertNull(again.failure(), again.failure());
                assertEquals(IApplication.EXIT_OK, exit);

                // 3. Alice leaves the group from another device; at the next start its chat does not come back.
                try (ParleyClient alice = new ParleyClient(ParleyClient.Config.of("127.0.0.1", server.port)
                        .plaintext())) {
                    alice.login("alice", "password-alice").get(30, TimeUnit.SECONDS);
                    alice.leave(group.id()).get(30, TimeUnit.SECONDS);
                }
                Display third = Display.getDefault();
                Script left = new Script(third)
                        .step("only the chat with bob", () -> statusLineShows(third, "● Connected as alice")
                                && conversationIds(third).equals(List.of(direct.id()))
                                && shownChats(third).size() == 1, () -> { })
                        .step("close", () -> true, () -> closeWorkbench(third));
                left.start();
                exit = e4Application().start(Workbench.TestApplicationContext.keepingLayout());
                assertNull(left.failure(), left.failure());
                assertEquals(IApplication.EXIT_OK, exit);

                // 4. A saved model of an older Parley: elements of a plug-in that is gone, a chat part of a
                // descriptor that is gone, and none of the items the chat plug-in's fragment added since.
                Path saved = Path.of(Platform.getInstanceLocation().getURL().getFile(), ".metadata", ".plugins",
                        "org.eclipse.e4.workbench", "workbench.xmi");
                assertThat(saved).exists();
                olderModel(saved, direct.id(), "alice@127.0.0.1:" + server.port);
                errors.clear();
                Display fourth = Display.getDefault();
                Script older = new Script(fourth)
                        .step("the current menus and parts", () -> statusLineShows(fourth, "● Connected as alice")
                                && shownChats(fourth).size() == 1, () -> {
                                    assertEquals(expectedMenu(), Workbench.parleyMenu(fourth));
                                    assertThat(conversationIds(fourth)).containsExactly(direct.id());
                                    MApplication app = windowContext(fourth).get(MApplication.class);
                                    EModelService models = windowContext(fourth).get(EModelService.class);
                                    assertThat(models.findElements(app, null, MUIElement.class).stream()
                                            .map(MUIElement::getElementId)
                                            .filter(id -> id != null && id.startsWith("org.parley.gone")))
                                            .as("nothing of the plug-in that is gone").isEmpty();
                                    assertThat(app.getAddons()).noneMatch(a -> a.getElementId()
                                            .startsWith("org.parley.gone"));
                                    assertThat(app.getDescriptors()).noneMatch(d -> d.getElementId()
                                            .startsWith("org.parley.gone"));
                                    assertThat(app.getHandlers()).as("the application model's handler is back")
                                            .anyMatch(h -> "org.parley.ui.handler.preferences".equals(
                                                    h.getElementId()) && h.getCommand() != null
                                                    && "org.parley.ui.command.preferences".equals(
                                                            h.getCommand().getElementId()));
                                })
                        .settle()
                        .step("the window to show", () -> true, () -> {
                            screenshot(workbenchShell(fourth).orElseThrow(), "layout-older-model");
                            closeWorkbench(fourth);
                        });
                older.start();
                exit = e4Application().start(Workbench.TestApplicationContext.keepingLayout());
                assertNull(older.failure(), older.failure());
                assertEquals(IApplication.EXIT_OK, exit);
                assertThat(errors).as("nothing logged as an error").filteredOn(e -> e.contains("gone")
                        || e.contains("Unable to create")).isEmpty();
            } finally {
                Platform.removeLogListener(log);
            }
        }
    }

    /** The Parley menu of the test runtime (as {@code WorkbenchTest} has it). */
    private static List<String> expectedMenu() {
        return List.of("Add contact…", "New group…", "Find in chat…", "Search all chats…", "Set status…",
                "Change display name…", "Change password…", "Invite someone…", "Preferences…", "Administration…", "Mute This Chat", "",
                "Sign out", "Quit");
    }

    /**
     * Rewrites the saved model as an older Parley might have left it: a part (in front), a menu item, an add-on
     * and a descriptor of a plug-in that is no longer installed; a chat part of a descriptor that no longer
     * exists; and without the chat plug-in's Mute and search menu items (fragments added since) and the
     * application model's own Preferences… item and its handler (added to Application.e4xmi since).
     */
    private static void olderModel(Path saved, long conversationId, String account) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document doc = f.newDocumentBuilder().parse(saved.toFile());
        Element root = doc.getDocumentElement();
        root.setAttribute("xmlns:menu", NAMESPACE_MENU);
        root.setAttribute("xmlns:basic", NAMESPACE_BASIC);
        for (String id : List.of("org.parley.chat.ui.menuitem.mute", "org.parley.chat.ui.menuitem.findInChat",
                "org.parley.chat.ui.menuitem.searchAll", "org.parley.ui.menuitem.preferences",
                "org.parley.ui.handler.preferences")) {
            Element e = byElementId(doc, id);
            e.getParentNode().removeChild(e);
        }
        Element menu = byElementId(doc, "org.parley.ui.menu.parley");
        Element item = doc.createElement("children");
        item.setAttributeNS(NAMESPACE_XSI, "xsi:type", "menu:DirectMenuItem");
        item.setAttribute("xmi:id", "_gone_item");
        item.setAttribute("elementId", "org.parley.gone.menuitem");
        item.setAttribute("label", "Gone item");
        item.setAttribute("contributorURI", "platform:/plugin/org.parley.gone");
        item.setAttribute("contributionURI", "bundleclass://org.parley.gone/org.parley.gone.Item");
        menu.insertBefore(item, menu.getFirstChild());
        Element stack = byElementId(doc, ParleyUi.MAIN_STACK);
        Element part = doc.createElement("children");
        part.setAttributeNS(NAMESPACE_XSI, "xsi:type", "basic:Part");
        part.setAttribute("xmi:id", "_gone_part");
        part.setAttribute("elementId", "org.parley.gone.viewer");
        part.setAttribute("label", "Gone viewer");
        part.setAttribute("contributionURI", "bundleclass://org.parley.gone/org.parley.gone.Viewer");
        stack.appendChild(part);
        stack.setAttribute("selectedElement", "_gone_part");
        Element oldChat = doc.createElement("children");
        oldChat.setAttributeNS(NAMESPACE_XSI, "xsi:type", "basic:Part");
        oldChat.setAttribute("xmi:id", "_old_chat");
        oldChat.setAttribute("elementId", "org.parley.chat.ui.oldChat");
        oldChat.setAttribute("label", "Old chat");
        oldChat.setAttribute("contributionURI", "bundleclass://org.parley.chat.ui/org.parley.chat.ui.internal.ChatPart");
        oldChat.appendChild(entry(doc, "conversationId", String.valueOf(conversationId)));
        oldChat.appendChild(entry(doc, "org.parley.ui.account", account));
        stack.appendChild(oldChat);
        Element addon = doc.createElement("addons");
        addon.setAttribute("xmi:id", "_gone_addon");
        addon.setAttribute("elementId", "org.parley.gone.addon");
        addon.setAttribute("contributorURI", "platform:/plugin/org.parley.gone");
        addon.setAttribute("contributionURI", "bundleclass://org.parley.gone/org.parley.gone.Addon");
        root.appendChild(addon);
        Element descriptor = doc.createElement("descriptors");
        descriptor.setAttribute("xmi:id", "_gone_descriptor");
        descriptor.setAttribute("elementId", "org.parley.gone.descriptor");
        descriptor.setAttribute("contributorURI", "platform:/plugin/org.parley.gone");
        descriptor.setAttribute("contributionURI", "bundleclass://org.parley.gone/org.parley.gone.Viewer");
        root.appendChild(descriptor);
        TransformerFactory.newInstance().newTransformer().transform(new DOMSource(doc),
                new StreamResult(new File(saved.toString())));
    }

    private static Element entry(Document doc, String key, String value) {
        Element e = doc.createElement("persistedState");
        e.setAttribute("key", key);
        e.setAttribute("value", value);
        return e;
    }

    private static Element byElementId(Document doc, String id) {
        NodeList all = doc.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++) {
            if (all.item(i) instanceof Element e && id.equals(e.getAttribute("elementId"))) {
                return e;
            }
        }
        throw new AssertionError("no " + id + " in the saved model");
    }

    private static MPartStack stack(Display display, String id) {
        IEclipseContext ctx = windowContext(display);
        return (MPartStack) ctx.get(EModelService.class).find(id, ctx.get(MApplication.class));
    }

    private static void open(Display display, Conversations.ConversationInfo c) {
        IEclipseContext ctx = windowContext(display);
        assertThat(ChatOpener.open(ctx.get(EPartService.class), ctx.get(EModelService.class),
                ctx.get(MApplication.class), c)).isTrue();
    }

    /** The chat parts in the window's main stack, in tab order (their conversation ids). */
    private static List<Long> conversationIds(Display display) {
        return stack(display, ParleyUi.MAIN_STACK).getChildren().stream().filter(MUIElement::isToBeRendered)
                .filter(MPart.class::isInstance).map(p -> ((MPart) p).getPersistedState().get(ParleyUi.CONVERSATION_ID))
                .filter(id -> id != null).map(Long::valueOf).toList();
    }

    /** The chat tabs that show (the one in front made, with its widget). */
    private static List<MPart> shownChats(Display display) {
        MPartStack main = stack(display, ParleyUi.MAIN_STACK);
        List<MPart> chats = main.getChildren().stream().filter(MUIElement::isToBeRendered)
                .filter(MPart.class::isInstance).map(MPart.class::cast)
                .filter(p -> p.getPersistedState().containsKey(ParleyUi.CONVERSATION_ID)).toList();
        return main.getSelectedElement() instanceof MPart front && front.getWidget() != null ? chats : List.of();
    }

    /** The conversation id of the chat in front. */
    private static String front(Display display) {
        return ((MPart) stack(display, ParleyUi.MAIN_STACK).getSelectedElement()).getPersistedState()
                .get(ParleyUi.CONVERSATION_ID);
    }

    private static void screenshot(Shell shell, String name) {
        try {
            Ui.screenshot(shell, name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
