package org.parley.ui.testing;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.core.runtime.IConfigurationElement;
import org.eclipse.core.runtime.RegistryFactory;
import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.ui.model.application.ui.basic.MWindow;
import org.eclipse.e4.ui.workbench.IWorkbench;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.Text;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.parley.client.core.ParleyClient;
import org.parley.protocol.message.Contacts;

/**
 * Running the whole Parley application in a test, as the launcher would (the product's E4 application and
 * branding), and finding what a user would see in it: the login dialog, the workbench window, its tables, menus
 * and the chat history's text.
 */
public final class Workbench {

    private Workbench() {
    }

    /**
     * Points the application under test at the plaintext test server, with its own files (secure storage,
     * preferences) under {@code home}.
     */
    public static void useHome(java.nio.file.Path home) {
        System.setProperty("parley.plaintext", "true");
        System.setProperty("parley.home", home.toString());
    }

    /**
     * Fills the login dialog as a new user would (ticks "Create a new account", password "password-" + user typed
     * twice) and presses Create account.
     */
    public static void signUp(Display display, int port, String user, String displayName) {
        signUp(display, port, user, displayName, "");
    }

    /** {@link #signUp(Display, int, String, String)} with an invitation code. */
    public static void signUp(Display display, int port, String user, String displayName, String invitation) {
        Shell login = shellWithButton(display, "Sign in").orElseThrow();
        Button create = button(login, "Create a new account on this server");
        create.setSelection(true);
        create.notifyListeners(SWT.Selection, new Event());
        field(login, "host").setText("127.0.0.1");
        field(login, "port").setText(String.valueOf(port));
        field(login, "user").setText(user);
        field(login, "password").setText("password-" + user);
        field(login, "confirm").setText("password-" + user);
        field(login, "displayName").setText(displayName);
        field(login, "invitation").setText(invitation);
        button(login, "Create account").notifyListeners(SWT.Selection, new Event());
    }

    /** The entry field of a Parley dialog named {@code name} ({@link org.parley.ui.LoginDialog#FIELD}). */
    public static Text field(Shell shell, String name) {
        return Ui.find(shell, Text.class).stream().filter(t -> name.equals(t.getData(
                org.parley.ui.LoginDialog.FIELD))).findFirst().orElseThrow(() -> new AssertionError("no field "
                        + name + " in " + shell.getText()));
    }

    /** Signs in to an existing account (password "password-" + user) in the login dialog. */
    public static void signIn(Display display, int port, String user) {
        Shell login = shellWithButton(display, "Sign in").orElseThrow();
        List<Text> fields = fields(login);
        fields.get(0).setText("127.0.0.1");
        fields.get(1).setText(String.valueOf(port));
        fields.get(2).setText(user);
        fields.get(3).setText("password-" + user);
        button(login, "Sign in").notifyListeners(SWT.Selection, new Event());
    }

    /**
     * Picks row {@code index} of a table as a click would (the table's selection and its Selection event, which
     * JFace viewers follow).
     */
    public static void select(Table table, int index) {
        table.setSelection(index);
        Event e = new Event();
        e.item = table.getItem(index);
        table.notifyListeners(SWT.Selection, e);
    }

    /** The items of a control's context menu as it would open now (texts without mnemonics and accelerators). */
    public static List<String> contextMenu(org.eclipse.swt.widgets.Control control) {
        org.eclipse.swt.widgets.Menu menu = control.getMenu();
        if (menu == null) {
            return List.of();
        }
        menu.notifyListeners(SWT.Show, new Event());
        List<String> out = new java.util.ArrayList<>();
        for (org.eclipse.swt.widgets.MenuItem i : menu.getItems()) {
            out.add(i.getText().replace("&", "").replaceAll("\\t.*", ""));
        }
        menu.notifyListeners(SWT.Hide, new Event());
        return out;
    }

    /** Chooses an item of a control's context menu (by its text without mnemonic and accelerator). */
    public static void chooseFromContextMenu(org.eclipse.swt.widgets.Control control, String itemName) {
        org.eclipse.swt.widgets.Menu menu = control.getMenu();
        menu.notifyListeners(SWT.Show, new Event());
        for (org.eclipse.swt.widgets.MenuItem i : menu.getItems()) {
            if (i.getText().replace("&", "").replaceAll("\\t.*", "").equals(itemName)) {
                menu.notifyListeners(SWT.Hide, new Event());
                i.notifyListeners(SWT.Selection, new Event());
                return;
            }
        }
        menu.notifyListeners(SWT.Hide, new Event());
        throw new AssertionError("no context menu item " + itemName);
    }

    public static IApplication e4Application() throws Exception {
        for (IConfigurationElement e : RegistryFactory.getRegistry().getConfigurationElementsFor(
                "org.eclipse.core.runtime.applications")) {
            if ("org.eclipse.e4.ui.workbench.swt.E4Application".equals(e.getDeclaringExtension()
                    .getUniqueIdentifier()) && e.getName().equals("application")) {
                return (IApplication) e.getChildren("run")[0].createExecutableExtension("class");
            }
        }
        throw new AssertionError("E4Application is not installed");
    }

    /** The product's application (org.parley.ui.application): the sign-in window, then the E4 application. */
    public static IApplication parleyApplication() throws Exception {
        org.eclipse.core.runtime.IExtension extension = RegistryFactory.getRegistry().getExtension(
                "org.eclipse.core.runtime.applications", "org.parley.ui.application");
        if (extension == null) {
            throw new AssertionError("Parley's application is not installed");
        }
        return (IApplication) extension.getConfigurationElements()[0].getChildren("run")[0]
                .createExecutableExtension("class");
    }

    public static Optional<Shell> shellWithButton(Display display, String label) {
        return Arrays.stream(display.getShells()).filter(s -> !s.isDisposed() && s.isVisible())
                .filter(s -> Ui.find(s, Button.class).stream().anyMatch(b -> b.getText().replace("&", "")
                        .equals(label)))
                .findFirst();
    }

    public static Button button(Shell shell, String label) {
        return Ui.find(shell, Button.class).stream().filter(b -> b.getText().replace("&", "").equals(label))
                .findFirst().orElseThrow();
    }

    public static Optional<Shell> workbenchShell(Display display) {
        return Arrays.stream(display.getShells()).filter(s -> s.getData("modelElement") instanceof MWindow)
                .findFirst();
    }

    /** The workbench window (fails when none is open). */
    public static Shell window(Display display) {
        return workbenchShell(display).orElseThrow();
    }

    /** The workbench window's Eclipse context (its client, part service, ...). */
    public static IEclipseContext windowContext(Display display) {
        return ((MWindow) window(display).getData("modelElement")).getContext();
    }

    /** The application's client: the signed-in user's. */
    public static ParleyClient client(Display display) {
        return windowContext(display).get(ParleyClient.class);
    }

    /** The workbench window's part service. */
    public static EPartService parts(Display display) {
        return windowContext(display).get(EPartService.class);
    }

    public static List<Table> tables(Display display) {
        return workbenchShell(display).map(s -> Ui.find(s, Table.class)).orElse(List.of());
    }

    /** The texts of the Parley menu's items ("" for a separator), as a user opening it would see them. */
    public static List<String> parleyMenu(Display display) {
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

    /** The sidebar's lists, by the role each table carries under "org.parley.contacts.ui.list". */
    public static final String CONVERSATIONS = "conversations";
    public static final String REQUESTS = "requests";
    public static final String CONTACTS = "contacts";

    /** One of the sidebar's lists ({@link #CONVERSATIONS}, {@link #REQUESTS}, {@link #CONTACTS}), or null. */
    public static Table sidebarList(Display display, String role) {
        return workbenchShell(display).map(s -> sidebarList(s, role)).orElse(null);
    }

    /** One of the sidebar's lists under {@code root} (a view of its own in an IDE, say), or null. */
    public static Table sidebarList(org.eclipse.swt.widgets.Composite root, String role) {
        return Ui.find(root, Table.class).stream().filter(t -> !t.isDisposed() && role.equals(t.getData(
                "org.parley.contacts.ui.list"))).findFirst().orElse(null);
    }

    /** Whether the sidebar is there with its lists (the contacts plug-in is installed and signed in). */
    public static boolean hasSidebar(Display display) {
        return sidebarList(display, CONVERSATIONS) != null;
    }

    /** The presence of the first contact, as shown (each row carries its contact; the icon shows presence). */
    public static Contacts.Presence presenceOfFirst(Table t) {
        if (t == null || t.getItemCount() == 0 || t.getItem(0).getImage() == null) {
            return null;
        }
        return ((Contacts.UserInfo) t.getItem(0).getData()).presence();
    }

    public static String itemText(Table t) {
        return t == null || t.getItemCount() == 0 ? "" : t.getItem(0).getText();
    }

    /** How many rows a list shows (0 for no list). */
    public static int rows(Table t) {
        return t == null || t.isDisposed() ? 0 : t.getItemCount();
    }


    public static void closeWorkbench(Display display) {
        workbenchShell(display).ifPresentOrElse(
                s -> ((MWindow) s.getData("modelElement")).getContext().get(IWorkbench.class).close(),
                () -> Arrays.stream(display.getShells()).forEach(Shell::close));
    }

    /**
     * What the launcher would give the application: the product's branding and the command line. The tests share
     * one workspace (the test runtime's instance location), so by default each start begins with the
     * application's initial layout ({@code -clearPersistedState}), whatever the test before left; the product
     * keeps the layout, as {@link #keepingLayout()} does.
     */
    public static final class TestApplicationContext implements IApplicationContext {
        private final Bundle branding = FrameworkUtil.getBundle(org.parley.ui.ParleyUi.class);
        private final boolean keepLayout;

        public TestApplicationContext() {
            this(false);
        }

        private TestApplicationContext(boolean keepLayout) {
            this.keepLayout = keepLayout;
        }

        /** Starts as the product does: with the layout the last run saved in the workspace. */
        public static TestApplicationContext keepingLayout() {
            return new TestApplicationContext(true);
        }

        @Override
        public Map<String, Object> getArguments() {
            return Map.of(IApplicationContext.APPLICATION_ARGS, keepLayout ? new String[0]
                    : new String[] {"-clearPersistedState"});
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
                case "cssTheme" -> "none"; // as the product: no CSS engine
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

    /**
     * The text of the first chat history in the window (the chat plug-in publishes it as a {@code Supplier} under
     * "org.parley.chat.history.text", so that tests need not depend on that plug-in).
     */
    @SuppressWarnings("unchecked")
    public static String history(Display display) {
        return workbenchShell(display).map(s -> Ui.find(s, org.eclipse.swt.widgets.Canvas.class)).orElse(List.of())
                .stream().map(c -> c.getData("org.parley.chat.history.text"))
                .filter(java.util.function.Supplier.class::isInstance)
                .map(h -> ((java.util.function.Supplier<String>) h).get()).findFirst().orElse("");
    }

    /** Whether the window's status line says {@code text} and lies whole within the window (not cut off). */
    public static boolean statusLineShows(Display display, String text) {
        return workbenchShell(display).map(w -> Ui.find(w, org.eclipse.swt.widgets.Label.class).stream()
                .filter(l -> l.getText().equals(text) && l.isVisible()).anyMatch(l -> {
                    org.eclipse.swt.graphics.Rectangle r = display.map(l.getParent(), w, l.getBounds());
                    return r.y >= 0 && r.y + r.height <= w.getClientArea().height;
                })).orElse(false);
    }

    /** Chooses a menu item (menu and item by their texts without mnemonics), as a user clicking it would. */
    public static void chooseMenuItem(Display display, String menuName, String itemName) {
        org.eclipse.swt.widgets.Menu bar = workbenchShell(display).orElseThrow().getMenuBar();
        for (org.eclipse.swt.widgets.MenuItem top : bar.getItems()) {
            if (top.getText().replace("&", "").equals(menuName)) {
                org.eclipse.swt.widgets.Menu menu = top.getMenu();
                menu.notifyListeners(SWT.Show, new Event()); // E4 fills menus when they are shown
                for (org.eclipse.swt.widgets.MenuItem i : menu.getItems()) {
                    if (i.getText().replace("&", "").replaceAll("\\t.*", "").equals(itemName)) {
                        menu.notifyListeners(SWT.Hide, new Event());
                        i.notifyListeners(SWT.Selection, new Event());
                        return;
                    }
                }
            }
        }
        throw new AssertionError("no menu item " + menuName + " > " + itemName);
    }

    /** The texts of a shell's labels. */
    public static List<String> labels(Shell shell) {
        return Ui.find(shell, org.eclipse.swt.widgets.Label.class).stream().filter(l -> !l.isDisposed())
                .map(org.eclipse.swt.widgets.Label::getText).toList();
    }

    /** A dialog's entry fields that are shown, top to bottom (not its read-only message area). */
    public static List<Text> fields(Shell shell) {
        return Ui.find(shell, Text.class).stream().filter(t -> (t.getStyle() & SWT.READ_ONLY) == 0
                && t.isVisible()).toList();
    }

    /** What a dialog says: its labels and read-only texts (a title area dialog's message is one). */
    public static String message(Shell shell) {
        StringBuilder s = new StringBuilder();
        labels(shell).forEach(l -> s.append(l).append('\n'));
        Ui.find(shell, Text.class).stream().filter(t -> (t.getStyle() & SWT.READ_ONLY) != 0)
                .forEach(t -> s.append(t.getText()).append('\n'));
        return s.toString();
    }

    /** Presses Cancel on the job shown in the status line's progress area. */
    public static void cancelJob(Display display) {
        Ui.find(workbenchShell(display).orElseThrow(), org.eclipse.swt.widgets.ToolBar.class).stream()
                .flatMap(t -> java.util.Arrays.stream(t.getItems()))
                .filter(i -> i.getData("org.parley.ui.progress.cancel") != null).findFirst()
                .orElseThrow(() -> new AssertionError("no progress area"))
                .notifyListeners(SWT.Selection, new Event());
    }
}
