package org.parley.product.driver;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import org.eclipse.swt.SWT;
import org.eclipse.swt.dnd.Clipboard;
import org.eclipse.swt.dnd.FileTransfer;
import org.eclipse.swt.dnd.Transfer;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.ProgressBar;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.parley.ui.testing.Script;
import org.parley.ui.testing.Ui;
import org.parley.ui.testing.Workbench;

/**
 * The driver's commands, one a line ({@code name} or {@code name:argument}), each a {@link Script} step or two
 * that waits for what a user would see and then acts:
 * <ul>
 * <li>{@code signIn} fills the login dialog (host 127.0.0.1, {@code parley.driver.port}, {@code parley.driver.user},
 * password {@code parley.driver.password}, by default {@code password-USER}) and waits for the window
 * ({@code signIn:once} unticks "Stay signed in", so that the next start asks again; {@code signIn:stay} ticks it);
 * {@code signUp:DISPLAY NAME} creates that account instead; {@code awaitWindow} only waits (a remembered session);
 * {@code awaitLogin} waits for the login dialog; {@code awaitConversations} for the window's list of
 * conversations with a row</li>
 * <li>for bench/client.sh: {@code mark:NAME} records {@code mark.NAME}, the wall clock (epoch milliseconds) when the
 * step before it acted (its condition is polled every 50 ms); {@code openChatTimed:TEXT} opens the first
 * conversation and records {@code chatOpen.N.ms}, the time from the open to the end of the first paint of its
 * history that shows TEXT (N counts the opens of this start); {@code closeChats} closes every open chat</li>
 * <li>{@code menu:Menu>Item} chooses a menu item; {@code recordMenu} records the Parley menu</li>
 * <li>{@code site:TEXT} types an update site into the Plug-ins dialog and shows it; {@code expectMessage:TEXT} waits
 * until the dialog in front says TEXT; {@code expectFeature:NAME=STATUS} waits for a row of the features table</li>
 * <li>{@code select:NAME,NAME} selects features; {@code press:LABEL} presses a button of the shell in front (which
 * must be enabled); {@code expectDisabled:LABEL} waits for it to be disabled</li>
 * <li>{@code openChat:TEXT} opens the first conversation and waits for TEXT in its history;
 * {@code expectAction:ID} / {@code expectNoAction:ID} a composer action's button; {@code paste:FILE} pastes a file
 * into the entry field; {@code send:TEXT} types TEXT and presses Enter, waiting for it in the history</li>
 * <li>{@code expectHistory:TEXT} waits for TEXT in the open chat's history (what Copy would give)</li>
 * <li>in an Eclipse IDE: {@code ideShowView:ID} shows a view; {@code ideSendLines:PROJECT/PATH:FIRST-LAST} writes a
 * small Java file there, selects those lines in the text editor, runs "Send Selection to Parley Chat" and picks the
 * first conversation</li>
 * <li>{@code recordBundles:LABEL:NAME,NAME} records {@code LABEL.NAME}, the state of each bundle named (ACTIVE,
 * STARTING for a lazy bundle not activated yet, RESOLVED, ..., ABSENT); {@code recordBundles:LABEL:*} records
 * {@code LABEL.active}, the bundles active by now</li>
 * <li>{@code screenshot:NAME}; {@code close} closes the workbench (or, before it exists, the sign-in window)</li>
 * </ul>
 * The result ({@code result=ok} or what failed) is written once the last command has run.
 */
final class Commands {

    static final String PLUGINS_ID = "org.parley.plugins.ui.id";

    private final Display display;
    private final Driver.Result result;
    private final Script script;
    private int shots;
    private int added;
    private int lastStep = -1;
    private int total;
    private int commandsDone;
    private String command;
    private int timedOpens;
    /** When the last step's action was done (wall clock, ms): what {@code mark} records. */
    private long lastDone;

    Commands(Display display, Driver.Result result) {
        this.display = display;
        this.result = result;
        this.script = new Script(display);
    }

    void run(List<String> lines) {
        result.put("result", "running");
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int colon = line.indexOf(':');
            String name = colon < 0 ? line : line.substring(0, colon);
            String arg = colon < 0 ? "" : line.substring(colon + 1);
            command = line;
            commandsDone = i;
            add(name, arg);
        }
        total = lines.size();
        lastStep = added - 1;
        script.onFailure(() -> {
            result.put("result", "failed: " + script.failure());
            for (Shell s : display.getShells()) {
                if (s.isVisible()) {
                    shot(s, "failure-" + Optional.ofNullable(s.getText()).orElse("shell").replaceAll("\\W+", "-"));
                }
            }
            Workbench.closeWorkbench(display);
        });
        script.start();
    }

    /**
     * A step of the current command. After the last step's action the result is written at once: that action
     * may restart or close the application, and no later step would run.
     */
    private void step(String name, BooleanSupplier ready, Runnable action) {
        int index = added++;
        int done = commandsDone + 1;
        String of = command;
        script.step(name, ready, () -> {
            // before the action: one that opens a modal dialog returns only when the dialog closes
            result.put("step", done + "/" + total + " " + of + ": " + name);
            action.run();
            lastDone = System.currentTimeMillis();
            if (index == lastStep) {
                result.put("result", "ok");
            }
        });
    }

    private void add(String name, String arg) {
        switch (name) {
            case "signIn" -> signIn(arg);
            case "signUp" -> {
                step("the login dialog", () -> Workbench.shellWithButton(display, "Sign in").isPresent(),
                        () -> Workbench.signUp(display, Integer.parseInt(System.getProperty("parley.driver.port")),
                                System.getProperty("parley.driver.user"), arg));
                step("the window", this::windowReady, () -> { });
            }
            case "awaitWindow" -> step("the window", this::windowReady, () -> { });
            case "awaitLogin" -> step("the login dialog", () -> Workbench.shellWithButton(display, "Sign in")
                    .isPresent(), () -> { });
            case "awaitConversations" -> step("the conversations", this::conversationsListed, () -> { });
            case "mark" -> step("mark " + arg, () -> true, () -> result.put("mark." + arg, String.valueOf(lastDone)));
            case "openChatTimed" -> openChatTimed(arg);
            case "closeChats" -> step("close the chats", this::windowReady, () -> {
                var parts = Workbench.parts(display);
                parts.getParts().stream().filter(p -> p.getPersistedState().containsKey(
                        org.parley.ui.ParleyUi.CONVERSATION_ID)).toList().forEach(p -> parts.hidePart(p, true));
            });
            case "menu" -> {
                String[] p = arg.split(">", 2);
                step("menu " + arg, this::windowReady, () -> Workbench.chooseMenuItem(display, p[0], p[1]));
            }
            case "recordMenu" -> step("the Parley menu", this::windowReady,
                    () -> result.put("menu", String.join("|", Workbench.parleyMenu(display))));
            case "site" -> {
                step("the Plug-ins dialog", () -> plugins().isPresent() && !busy(), () -> {
                    Combo site = (Combo) control(plugins().orElseThrow(), "site");
                    site.setText(arg);
                    Workbench.button(plugins().orElseThrow(), "Show what the site offers")
                            .notifyListeners(SWT.Selection, new Event());
                });
                step("the site read", () -> !busy(), () -> result.put("site." + arg, message()));
            }
            case "expectMessage" -> step("the dialog to say: " + arg,
                    () -> !busy() && message().contains(arg), () -> { });
            case "expectFeature" -> {
                String[] p = arg.split("=", 2);
                step("feature " + arg, () -> !busy() && row(p[0]).map(r -> r.getText(3).equals(p[1]))
                        .orElse(false), () -> { });
            }
            case "expectNoFeature" -> step("no feature " + arg,
                    () -> !busy() && plugins().isPresent() && row(arg).isEmpty(), () -> { });
            case "recordFeatures" -> step("the features", () -> !busy() && plugins().isPresent(),
                    () -> result.put("features", features()));
            case "select" -> step("select " + arg, () -> !busy() && Arrays.stream(arg.split(","))
                    .allMatch(n -> row(n).isPresent()), () -> {
                        Table t = (Table) control(plugins().orElseThrow(), "features");
                        t.setSelection(Arrays.stream(arg.split(",")).map(n -> row(n).orElseThrow())
                                .toArray(TableItem[]::new));
                        t.notifyListeners(SWT.Selection, new Event());
                    });
            case "press" -> step("a button " + arg, () -> front(arg).isPresent(), () -> {
                Button b = Workbench.button(front(arg).orElseThrow(), arg);
                if (!b.isEnabled()) {
                    throw new AssertionError("the button " + arg + " is disabled");
                }
                b.notifyListeners(SWT.Selection, new Event());
            });
            case "expectDisabled" -> step("a disabled button " + arg, () -> !busy() && front(arg).isPresent()
                    && !Workbench.button(front(arg).orElseThrow(), arg).isEnabled(), () -> { });
            case "openChat" -> {
                step("a conversation", () -> windowReady() && Workbench.hasSidebar(display)
                        && Workbench.rows(Workbench.sidebarList(display, Workbench.CONVERSATIONS)) > 0, () -> {
                            Table convs = Workbench.sidebarList(display, Workbench.CONVERSATIONS);
                            convs.setSelection(0);
                            convs.notifyListeners(SWT.DefaultSelection, new Event());
                        });
                step("the chat showing " + arg, () -> Workbench.history(display).contains(arg), () -> { });
            }
            case "expectAction" -> step("composer action " + arg, () -> action(arg).isPresent(),
                    () -> result.put("action." + arg, action(arg).orElseThrow().getText()));
            case "expectNoAction" -> step("no composer action " + arg,
                    () -> input().isPresent() && action(arg).isEmpty(), () -> result.put("action." + arg, "none"));
            case "paste" -> step("paste " + arg, () -> input().isPresent(), () -> paste(Path.of(arg)));
            case "send" -> {
                step("send " + arg, () -> input().isPresent(), () -> {
                    Text input = input().orElseThrow();
                    input.setText(arg);
                    Event enter = new Event();
                    enter.keyCode = SWT.CR;
                    input.notifyListeners(SWT.KeyDown, enter);
                });
                step("the history showing " + arg, () -> Workbench.history(display).contains(arg), () -> { });
            }
            case "screenshot" -> {
                script.settle();
                step("screenshot " + arg, () -> true, () -> frontShell().ifPresent(s -> shot(s, arg)));
            }
            case "close" -> step("close", () -> true, () -> Workbench.closeWorkbench(display));
            case "recordBundles" -> {
                int colon = arg.indexOf(':');
                String label = arg.substring(0, colon);
                step("the bundles' states", () -> true, () -> recordBundles(label, arg.substring(colon + 1)));
            }
            case "expectHistory" -> step("the history showing " + arg, () -> Workbench.history(display).contains(arg),
                    () -> { });
            // In an Eclipse IDE with Parley installed (IdeCommands needs the IDE's bundles: only loaded here).
            case "ideShowView" -> step("the IDE window", () -> IdeCommands.workbenchReady(), () -> {
                IdeCommands.showView(arg);
                result.put("views", IdeCommands.openViews());
            });
            case "ideSendLines" -> {
                int colon = arg.lastIndexOf(':');
                String[] range = arg.substring(colon + 1).split("-");
                step("the editor", () -> IdeCommands.workbenchReady(), () -> IdeCommands.sendLines(
                        arg.substring(0, colon), Integer.parseInt(range[0]), Integer.parseInt(range[1])));
                step("the conversation picker", () -> IdeCommands.picker(display).isPresent(),
                        () -> IdeCommands.pickFirst(display));
            }
            default -> throw new IllegalArgumentException("unknown driver command: " + name);
        }
    }

    /**
     * Opens the first conversation and times it: from just before the open to the end of the first paint of the
     * history canvas that shows {@code text} (a paint listener added after the history's own, so it runs once that
     * paint is done), in {@code chatOpen.N.ms}.
     */
    private void openChatTimed(String text) {
        int n = ++timedOpens;
        String key = "chatOpen." + n + ".ms";
        long[] start = {0};
        boolean[] painted = {false};
        step("a conversation to open", this::conversationsListed, () -> {
                    Table convs = Workbench.sidebarList(display, Workbench.CONVERSATIONS);
                    start[0] = System.nanoTime();
                    convs.setSelection(0);
                    convs.notifyListeners(SWT.DefaultSelection, new Event());
                    watchPaints(text, start[0], key, painted);
                });
        step("the chat painted showing " + text, () -> painted[0], () -> { });
    }

    /** Adds the paint listener of {@link #openChatTimed} to the history canvas, once it exists. */
    private void watchPaints(String text, long start, String key, boolean[] painted) {
        Optional<Canvas> canvas = Workbench.workbenchShell(display).stream()
                .flatMap(s -> Ui.find(s, Canvas.class).stream())
                .filter(c -> c.getData("org.parley.chat.history.text") != null && c.isVisible()).findFirst();
        if (canvas.isEmpty()) {
            display.timerExec(1, () -> watchPaints(text, start, key, painted));
            return;
        }
        @SuppressWarnings("unchecked")
        java.util.function.Supplier<String> shown = (java.util.function.Supplier<String>) canvas.get()
                .getData("org.parley.chat.history.text");
        canvas.get().addListener(SWT.Paint, new org.eclipse.swt.widgets.Listener() {
            @Override
            public void handleEvent(Event e) {
                if (!painted[0] && shown.get().contains(text)) {
                    result.put(key, String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e6));
                    painted[0] = true;
                    canvas.get().removeListener(SWT.Paint, this);
                }
            }
        });
        canvas.get().redraw();
    }

    private void signIn(String stay) {
        String port = System.getProperty("parley.driver.port");
        String user = System.getProperty("parley.driver.user");
        String password = System.getProperty("parley.driver.password", "password-" + user);
        step("the login dialog", () -> Workbench.shellWithButton(display, "Sign in").isPresent(), () -> {
            Shell login = Workbench.shellWithButton(display, "Sign in").orElseThrow();
            List<Text> fields = Workbench.fields(login);
            fields.get(0).setText("127.0.0.1");
            fields.get(1).setText(port);
            fields.get(2).setText(user);
            fields.get(3).setText(password);
            if (!stay.isEmpty()) {
                Ui.find(login, Button.class).stream().filter(b -> (b.getStyle() & SWT.CHECK) != 0
                        && b.getText().replace("&", "").startsWith("Stay signed in"))
                        .forEach(b -> b.setSelection(stay.equals("stay")));
            }
            Workbench.button(login, "Sign in").notifyListeners(SWT.Selection, new Event());
        });
        step("the window", this::windowReady, () -> { });
    }

    /** {@code LABEL.NAME=STATE} for each bundle named (ACTIVE, STARTING (lazy, not yet activated), RESOLVED, ...). */
    private void recordBundles(String label, String names) {
        org.osgi.framework.BundleContext context = org.osgi.framework.FrameworkUtil.getBundle(Commands.class)
                .getBundleContext();
        if (names.equals("*")) { // the bundles activated by now
            result.put(label + ".active", Arrays.stream(context.getBundles())
                    .filter(b -> b.getState() == org.osgi.framework.Bundle.ACTIVE).map(b -> b.getSymbolicName())
                    .sorted().collect(Collectors.joining(",")));
            return;
        }
        for (String name : names.split(",")) {
            String state = Arrays.stream(context.getBundles()).filter(b -> name.equals(b.getSymbolicName()))
                    .map(b -> switch (b.getState()) {
                        case org.osgi.framework.Bundle.ACTIVE -> "ACTIVE";
                        case org.osgi.framework.Bundle.STARTING -> "STARTING";
                        case org.osgi.framework.Bundle.RESOLVED -> "RESOLVED";
                        case org.osgi.framework.Bundle.INSTALLED -> "INSTALLED";
                        default -> "STATE-" + b.getState();
                    }).findFirst().orElse("ABSENT");
            result.put(label + "." + name, state);
        }
    }

    private boolean conversationsListed() {
        return windowReady() && Workbench.hasSidebar(display)
                && Workbench.rows(Workbench.sidebarList(display, Workbench.CONVERSATIONS)) > 0;
    }

    private boolean windowReady() {
        return Workbench.workbenchShell(display).map(Shell::isVisible).orElse(false)
                && Workbench.shellWithButton(display, "Sign in").isEmpty();
    }

    private Optional<Shell> plugins() {
        return Arrays.stream(display.getShells()).filter(s -> !s.isDisposed() && s.isVisible())
                .filter(s -> control(s, "features") != null).findFirst();
    }

    private static Control control(Shell shell, String id) {
        return Ui.find(shell, Control.class).stream().filter(c -> id.equals(c.getData(PLUGINS_ID))).findFirst()
                .orElse(null);
    }

    /** The Plug-ins dialog is working (its progress bar shows). */
    private boolean busy() {
        return plugins().map(s -> Ui.find(s, ProgressBar.class).stream().anyMatch(ProgressBar::isVisible))
                .orElse(false);
    }

    /** What the dialog in front says: its title area (message or error), activity line and details. */
    private String message() {
        return frontShell().map(Workbench::message).orElse("");
    }

    private Optional<TableItem> row(String name) {
        return plugins().map(s -> (Table) control(s, "features")).stream()
                .flatMap(t -> Arrays.stream(t.getItems())).filter(i -> i.getText(0).equals(name)).findFirst();
    }

    private String features() {
        Table t = (Table) control(plugins().orElseThrow(), "features");
        return Arrays.stream(t.getItems()).map(i -> i.getText(0) + "=" + i.getText(3) + "@" + i.getText(1))
                .collect(Collectors.joining("|"));
    }

    /** The topmost visible shell (a dialog over the window, else the window). */
    private Optional<Shell> frontShell() {
        Shell[] shells = display.getShells();
        for (int i = shells.length - 1; i >= 0; i--) {
            if (!shells[i].isDisposed() && shells[i].isVisible()) {
                return Optional.of(shells[i]);
            }
        }
        return Optional.empty();
    }

    /** The visible shell with a button labelled so, preferring dialogs over the window. */
    private Optional<Shell> front(String label) {
        Shell[] shells = display.getShells();
        for (int i = shells.length - 1; i >= 0; i--) {
            Shell s = shells[i];
            if (!s.isDisposed() && s.isVisible() && Ui.find(s, Button.class).stream()
                    .anyMatch(b -> b.getText().replace("&", "").equals(label))) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    private Optional<Text> input() {
        return Workbench.workbenchShell(display).flatMap(s -> Ui.find(s, Text.class).stream()
                .filter(t -> (t.getStyle() & SWT.MULTI) != 0 && t.isVisible()).findFirst());
    }

    private Optional<Button> action(String id) {
        return Workbench.workbenchShell(display).flatMap(s -> Ui.find(s, Button.class).stream()
                .filter(b -> id.equals(b.getData("parley.composerAction")) && b.isVisible()).findFirst());
    }

    private void paste(Path file) {
        Clipboard clipboard = new Clipboard(display);
        clipboard.setContents(new Object[] {new String[] {file.toString()}},
                new Transfer[] {FileTransfer.getInstance()});
        clipboard.dispose();
        Text input = input().orElseThrow();
        input.setFocus();
        Event e = new Event();
        e.keyCode = 'v';
        e.character = 0x16;
        e.stateMask = SWT.MOD1;
        input.notifyListeners(SWT.KeyDown, e);
    }

    private void shot(Shell shell, String name) {
        try {
            Ui.screenshot(shell, String.format("%02d-%s", ++shots, name));
        } catch (Exception e) {
            result.put("screenshot." + name, "failed: " + e);
        }
    }
}
