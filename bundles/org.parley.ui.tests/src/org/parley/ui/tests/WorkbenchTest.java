package org.parley.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.eclipse.core.runtime.IConfigurationElement;
import org.eclipse.core.runtime.RegistryFactory;
import org.eclipse.e4.ui.model.application.ui.basic.MWindow;
import org.eclipse.e4.ui.workbench.IWorkbench;
import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.wiring.FrameworkWiring;
import org.parley.chat.ui.internal.HistoryView;
import org.parley.client.core.ClientListener;
import org.parley.client.core.ParleyClient;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Contacts;

/**
 * The whole Parley application (the product's E4 application, application model and fragments) against a real
 * server, as a user goes through it: sign up in the login dialog, accept a contact request, see the contact come
 * online, get a message (unread count), open the chat, answer with Enter, see the contact's presence change.
 * The other person is a plain client-core user.
 */
@TestMethodOrder(OrderAnnotation.class)
class WorkbenchTest {

    @TempDir
    Path temp;

    @Test
    @Order(1)
    void signUpAcceptAContactAndChat() throws Exception {
        try (ServerProcess server = ServerProcess.start(temp.resolve("server"))) {
            ParleyClient ann = new ParleyClient(ParleyClient.Config.of("127.0.0.1", server.port).plaintext());
            ann.register("ann", "password-ann", "Ann Lee").get(30, TimeUnit.SECONDS);
            List<Chat.ChatMessage> annGot = new CopyOnWriteArrayList<>();
            ann.addListener(new ClientListener() {
                @Override
                public void message(Chat.ChatMessage m) {
                    annGot.add(m);
                }
            });
            System.setProperty("parley.plaintext", "true");
            System.setProperty("parley.home", temp.resolve("home").toString());

            Display display = Display.getDefault();
            long[] conversation = new long[1];
            Script script = new Script(display)
                    .step("the login dialog", () -> shellWithButton(display, "Sign in").isPresent(),
                            () -> signUp(display, server.port, "bob", "Bob Roy"))
                    .step("the workbench window", () -> tables(display).size() == 3, () -> {
                        List<String> items = parleyMenu(display);
                        assertEquals(List.of("Add contact…", "New group…", "Set status…", "Preferences…", "", "Sign out", "Quit"),
                                items, "the Parley menu, with the contacts plug-in's items first");
                        ann.requestContact("bob");
                    })
                    .step("ann's contact request", () -> tables(display).get(1).getItemCount() == 1, () -> {
                        Table requests = tables(display).get(1);
                        requests.setSelection(0);
                        requests.notifyListeners(SWT.DefaultSelection, new Event());
                    })
                    .step("the accept question", () -> shellWithButton(display, "Yes").isPresent(),
                            () -> button(shellWithButton(display, "Yes").orElseThrow(), "Yes")
                                    .notifyListeners(SWT.Selection, new Event()))
                    .step("ann online in the contacts", () -> presenceOfFirst(tables(display).get(0))
                            == Contacts.Presence.ONLINE && itemText(tables(display).get(0)).startsWith("Ann Lee"),
                            () -> ann.openDirect("bob").thenCompose(c -> {
                                conversation[0] = c.id();
                                return ann.send(c.id(), "hello bob");
                            }))
                    .step("an unread conversation", () -> itemText(tables(display).get(2)).contains("(1 unread)"),
                            () -> {
                                assertEquals("ann: hello bob", org.parley.chat.ui.internal.ChatNotifications.lastShown(),
                                        "a desktop notification for a chat not in front");
                                Arrays.stream(display.getShells()).filter(s -> s.isVisible()
                                        && !(s.getData("modelElement") instanceof MWindow)).findFirst()
                                        .ifPresent(popup -> {
                                            try {
                                                Ui.screenshot(popup, "notification");
                                            } catch (Exception e) {
                                                throw new IllegalStateException(e);
                                            }
                                        });
                                Table convs = tables(display).get(2);
                                convs.setSelection(0);
                                convs.notifyListeners(SWT.DefaultSelection, new Event());
                            })
                    .step("ann's message in the chat", () -> history(display).contains("ann: hello bob"), () -> {
                        Text input = workbenchShell(display).map(s -> Ui.find(s, Text.class)).orElseThrow().stream()
                                .filter(t -> (t.getStyle() & SWT.MULTI) != 0).findFirst().orElseThrow();
                        input.setText("hi ann, got it");
                        Event enter = new Event();
                        enter.keyCode = SWT.CR;
                        input.notifyListeners(SWT.KeyDown, enter);
                    })
                    .step("the reply to reach ann", () -> !annGot.isEmpty() && history(display).contains("bob: hi ann"),
                            () -> ann.markRead(conversation[0], annGot.get(0).seq()))
                    .step("ann's read receipt on bob's message", () -> history(display).contains(
                            "bob: hi ann, got it ✓✓ read"), () -> ann.setPresence(Contacts.Presence.AWAY, "lunch"))
                    .step("ann away", () -> presenceOfFirst(tables(display).get(0)) == Contacts.Presence.AWAY
                            && itemText(tables(display).get(0)).equals("Ann Lee (ann) — lunch"), () -> { })
                    .settle()
                    .step("the workbench to show", () -> true, () -> {
                        try {
                            Ui.screenshot(workbenchShell(display).orElseThrow(), "workbench");
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .step("close", () -> true, () -> closeWorkbench(display));
            script.start();

            Object exit = e4Application().start(new TestApplicationContext());
            ParleyClient.class.getName(); // the workbench has returned
            ann.close();

            assertNull(script.failure(), script.failure());
            assertEquals(IApplication.EXIT_OK, exit);
            assertEquals("hi ann, got it", annGot.get(0).text());
            assertTrue(conversation[0] > 0);
        }
    }

    /**
     * An organization may leave a feature out: without the contacts plug-in (its bundle uninstalled, so its model
     * fragment is gone) the application still starts, signs in and shows its window and status line. Runs last:
     * the bundle stays uninstalled for the rest of this runtime.
     */
    @Test
    @Order(2)
    void theApplicationWorksWithoutTheContactsPlugin() throws Exception {
        // Looked up by name: this test bundle must not depend on it, or the refresh would restart the tests too.
        Bundle contacts = Arrays.stream(FrameworkUtil.getBundle(WorkbenchTest.class).getBundleContext().getBundles())
                .filter(b -> b.getSymbolicName().equals("org.parley.contacts.ui")).findFirst().orElseThrow();
        contacts.uninstall();
        CountDownLatch refreshed = new CountDownLatch(1);
        FrameworkUtil.getBundle(WorkbenchTest.class).getBundleContext().getBundle(0)
                .adapt(FrameworkWiring.class).refreshBundles(List.of(contacts), e -> refreshed.countDown());
        assertTrue(refreshed.await(30, TimeUnit.SECONDS));

        try (ServerProcess server = ServerProcess.start(temp.resolve("server2"))) {
            System.setProperty("parley.plaintext", "true");
            System.setProperty("parley.home", temp.resolve("home2").toString());
            Display display = Display.getDefault();
            boolean[] sawWindow = new boolean[1];
            Script script = new Script(display)
                    .step("the login dialog", () -> shellWithButton(display, "Sign in").isPresent(),
                            () -> signUp(display, server.port, "cat", ""))
                    .step("the workbench window, connected", () -> workbenchShell(display).map(s -> Ui.find(s,
                            org.eclipse.swt.widgets.Label.class).stream().anyMatch(
                                    l -> l.getText().equals("● Connected as cat"))).orElse(false), () -> {
                                        sawWindow[0] = true;
                                        assertTrue(tables(display).isEmpty(), "no contacts part");
                                        assertEquals(List.of("Set status…", "Preferences…", "", "Sign out", "Quit"),
                                                parleyMenu(display), "no contacts items in the menu");
                                    })
                    .settle()
                    .step("the window to show", () -> true, () -> {
                                        try {
                                            Ui.screenshot(workbenchShell(display).orElseThrow(),
                                                    "workbench-without-contacts");
                                        } catch (Exception e) {
                                            throw new IllegalStateException(e);
                                        }
                                    })
                    .step("close", () -> true, () -> closeWorkbench(display));
            script.start();
            Object exit = e4Application().start(new TestApplicationContext());
            assertNull(script.failure(), script.failure());
            assertEquals(IApplication.EXIT_OK, exit);
            assertTrue(sawWindow[0]);
        }
    }

    /** Fills the login dialog as a new user would (password "password-" + user) and presses Sign in. */
    static void signUp(Display display, int port, String user, String displayName) {
        Shell login = shellWithButton(display, "Sign in").orElseThrow();
        List<Text> fields = Ui.find(login, Text.class);
        fields.get(0).setText("127.0.0.1");
        fields.get(1).setText(String.valueOf(port));
        fields.get(2).setText(user);
        fields.get(3).setText("password-" + user);
        Button create = button(login, "Create this account");
        create.setSelection(true);
        create.notifyListeners(SWT.Selection, new Event());
        fields.get(4).setText(displayName);
        button(login, "Sign in").notifyListeners(SWT.Selection, new Event());
    }

    static IApplication e4Application() throws Exception {
        for (IConfigurationElement e : RegistryFactory.getRegistry().getConfigurationElementsFor(
                "org.eclipse.core.runtime.applications")) {
            if ("org.eclipse.e4.ui.workbench.swt.E4Application".equals(e.getDeclaringExtension()
                    .getUniqueIdentifier()) && e.getName().equals("application")) {
                return (IApplication) e.getChildren("run")[0].createExecutableExtension("class");
            }
        }
        throw new AssertionError("E4Application is not installed");
    }

    static Optional<Shell> shellWithButton(Display display, String label) {
        return Arrays.stream(display.getShells()).filter(s -> !s.isDisposed() && s.isVisible())
                .filter(s -> Ui.find(s, Button.class).stream().anyMatch(b -> b.getText().replace("&", "")
                        .equals(label)))
                .findFirst();
    }

    static Button button(Shell shell, String label) {
        return Ui.find(shell, Button.class).stream().filter(b -> b.getText().replace("&", "").equals(label))
                .findFirst().orElseThrow();
    }

    static Optional<Shell> workbenchShell(Display display) {
        return Arrays.stream(display.getShells()).filter(s -> s.getData("modelElement") instanceof MWindow)
                .findFirst();
    }

    static List<Table> tables(Display display) {
        return workbenchShell(display).map(s -> Ui.find(s, Table.class)).orElse(List.of());
    }

    /** The texts of the Parley menu's items ("" for a separator), as a user opening it would see them. */
    private static List<String> parleyMenu(Display display) {
        org.eclipse.swt.widgets.Menu bar = workbenchShell(display).orElseThrow().getMenuBar();
        for (org.eclipse.swt.widgets.MenuItem top : bar.getItems()) {
            if (top.getText().replace("&", "").equals("Parley")) {
                org.eclipse.swt.widgets.Menu menu = top.getMenu();
                menu.notifyListeners(SWT.Show, new Event()); // E4 fills menus when they are shown
                List<String> out = new java.util.ArrayList<>();
                for (org.eclipse.swt.widgets.MenuItem i : menu.getItems()) {
                    out.add(i.getText().replace("&", "").replaceAll("\\t.*", ""));
                }
                menu.notifyListeners(SWT.Hide, new Event());
                return out;
            }
        }
        throw new AssertionError("no Parley menu");
    }

    /** The presence of the first contact, as shown (each row carries its contact; the icon shows presence). */
    private static Contacts.Presence presenceOfFirst(Table t) {
        if (t.getItemCount() == 0 || t.getItem(0).getImage() == null) {
            return null;
        }
        return ((Contacts.UserInfo) t.getItem(0).getData()).presence();
    }

    private static String itemText(Table t) {
        return t.getItemCount() == 0 ? "" : t.getItem(0).getText();
    }

    private static String history(Display display) {
        return workbenchShell(display).map(s -> Ui.find(s, org.eclipse.swt.widgets.Canvas.class)).orElse(List.of())
                .stream().map(c -> c.getData("org.parley.chat.history")).filter(HistoryView.class::isInstance)
                .map(h -> ((HistoryView) h).visibleText()).findFirst().orElse("");
    }

    static void closeWorkbench(Display display) {
        workbenchShell(display).ifPresentOrElse(
                s -> ((MWindow) s.getData("modelElement")).getContext().get(IWorkbench.class).close(),
                () -> Arrays.stream(display.getShells()).forEach(Shell::close));
    }

    /** What the launcher would give the application: the product's branding and the command line. */
    static final class TestApplicationContext implements IApplicationContext {
        private final Bundle branding = FrameworkUtil.getBundle(org.parley.ui.ParleyUi.class);

        @Override
        public Map<String, Object> getArguments() {
            return Map.of(IApplicationContext.APPLICATION_ARGS, new String[] {"-clearPersistedState"});
        }

        @Override
        public void applicationRunning() {
        }

        @Override
        public String getBrandingApplication() {
            return "org.eclipse.e4.ui.workbench.swt.E4Application";
        }

        @Override
        public String getBrandingName() {
            return "Parley";
        }

        @Override
        public String getBrandingDescription() {
            return "Parley";
        }

        @Override
        public String getBrandingId() {
            return "org.parley.ui.product";
        }

        @Override
        public String getBrandingProperty(String key) {
            return switch (key) {
                case "applicationXMI" -> "org.parley.ui/Application.e4xmi";
                case "lifeCycleURI" -> "bundleclass://org.parley.ui/org.parley.ui.LifeCycle";
                case "appName" -> "Parley";
                default -> null;
            };
        }

        @Override
        public Bundle getBrandingBundle() {
            return branding;
        }

        @Override
        public void setResult(Object result, IApplication application) {
        }
    }
}
