package org.parley.ide.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.ui.testing.Workbench.button;
import static org.parley.ui.testing.Workbench.history;
import static org.parley.ui.testing.Workbench.presenceOfFirst;
import static org.parley.ui.testing.Workbench.shellWithButton;
import static org.parley.ui.testing.Workbench.signUp;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IFolder;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.IConfigurationElement;
import org.eclipse.core.runtime.RegistryFactory;
import org.eclipse.equinox.app.IApplication;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.ITextSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.Text;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.swt.widgets.TreeItem;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.IViewReference;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.handlers.IHandlerService;
import org.eclipse.ui.ide.IDE;
import org.eclipse.ui.texteditor.ITextEditor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.chat.ui.Snippet;
import org.parley.chat.ui.internal.ChatPart;
import org.parley.chat.ui.internal.HistoryView;
import org.parley.client.core.ParleyClient;
import org.parley.ide.internal.ChatView;
import org.parley.ide.internal.ContactsView;
import org.parley.ide.internal.ParleyViewPart;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Contacts;
import org.parley.ui.testing.OtherUser;
import org.parley.ui.testing.Script;
import org.parley.ui.testing.ServerProcess;
import org.parley.ui.testing.Ui;
import org.parley.ui.testing.Workbench;

/**
 * Parley inside the Eclipse IDE: the IDE's own application (the 3.x compatibility workbench with
 * org.eclipse.ui.ide, a workspace, text editors) with Parley's IDE plug-in, a real server and real SWT. Window &gt;
 * Show View lists the Parley views; the Contacts view asks to sign in; after signing up, a contact is accepted and
 * messages go both ways in a chat view; lines selected in a real text editor go to the chat as a snippet (through
 * the command and its conversation picker) and reach the other user as one; snippets received are drawn with
 * their title and open in editors (the workspace file with the lines selected, or a read-only editor); signing out
 * puts the views back to their prompt. The other person is a plain client-core user.
 */
class IdeTest {

    private static final String HELLO = "package demo;\n\npublic class Hello {\n    public static void main(String[] a) {\n"
            + "        System.out.println(\"hello\");\n    }\n}\n";

    @TempDir
    Path temp;

    @Test
    void parleyInTheIde() throws Exception {
        try (ServerProcess server = ServerProcess.start(temp.resolve("server"));
                OtherUser other = OtherUser.register(server.port, "ann", "Ann Lee")) {
            ParleyClient ann = other.client();
            List<Chat.ChatMessage> annGot = other.received();
            Workbench.useHome(temp.resolve("home"));
            org.parley.ide.internal.ParleySession.confirmSignOut = false;

            Display display = Display.getDefault();
            long[] conversation = new long[1];
            IFile[] hello = new IFile[1];
            List<String> parleyViews = new ArrayList<>();
            Snippet back = new Snippet("java", "demo/src/demo/Hello.java", 3, 4,
                    "public class Hello {\n    public static void main(String[] a) {");
            Snippet elsewhere = Snippet.of("lib/src/Other.java", 10, 12, "int a = 1;\nint b = 2;\nint c = a + b;");
            Script script = new Script(display)
                    .step("the IDE window", () -> PlatformUI.isWorkbenchRunning()
                            && !PlatformUI.getWorkbench().isStarting()
                            && PlatformUI.getWorkbench().getActiveWorkbenchWindow() != null, () -> {
                                hello[0] = project();
                                execute("org.eclipse.ui.views.showView");
                            })
                    .step("Window > Show View", () -> showViewTree(display).isPresent(), () -> {
                        Tree tree = showViewTree(display).orElseThrow();
                        TreeItem parley = Arrays.stream(tree.getItems())
                                .filter(i -> i.getText().equals("Parley")).findFirst()
                                .orElseThrow(() -> new AssertionError("no Parley category in Show View"));
                        Event expand = new Event();
                        expand.item = parley;
                        tree.notifyListeners(SWT.Expand, expand); // the viewer makes the children now
                        parley.setExpanded(true);
                        Arrays.stream(parley.getItems()).map(TreeItem::getText).forEach(parleyViews::add);
                    })
                    .settle()
                    .step("the Parley views listed", () -> true, () -> {
                        Tree tree = showViewTree(display).orElseThrow();
                        TreeItem parley = Arrays.stream(tree.getItems())
                                .filter(i -> i.getText().equals("Parley")).findFirst().orElseThrow();
                        shot(tree.getShell(), "ide-show-view");
                        TreeItem contacts = Arrays.stream(parley.getItems())
                                .filter(i -> i.getText().equals("Parley Contacts")).findFirst()
                                .orElseThrow(() -> new AssertionError("Parley lists " + parleyViews));
                        tree.setSelection(contacts);
                        Event e = new Event();
                        e.item = contacts;
                        tree.notifyListeners(SWT.Selection, e);
                        button(tree.getShell(), "Open").notifyListeners(SWT.Selection, new Event());
                    })
                    .settle()
                    .step("the Contacts view asking to sign in", () -> contactsView().map(
                            ParleyViewPart::showsPrompt).orElse(false), () -> {
                                shot(window(), "ide-sign-in-prompt");
                                button(window(), "Sign in to Parley…").notifyListeners(SWT.Selection, new Event());
                            })
                    .step("the login dialog", () -> shellWithButton(display, "Sign in").isPresent()
                            && shellWithButton(display, "Sign in").get() != window(),
                            () -> signUp(display, server.port, "bob", "Bob Roy"))
                    .step("the contacts", () -> contactTables().size() == 3, () -> ann.requestContact("bob"))
                    .step("ann's contact request", () -> contactTables().get(1).getItemCount() == 1, () -> {
                        Table requests = contactTables().get(1);
                        requests.setSelection(0);
                        requests.notifyListeners(SWT.DefaultSelection, new Event());
                    })
                    .step("the accept question", () -> shellWithButton(display, "Yes").isPresent(),
                            () -> button(shellWithButton(display, "Yes").orElseThrow(), "Yes")
                                    .notifyListeners(SWT.Selection, new Event()))
                    .step("ann online", () -> presenceOfFirst(contactTables().get(0)) == Contacts.Presence.ONLINE,
                            () -> ann.openDirect("bob").thenCompose(c -> {
                                conversation[0] = c.id();
                                return ann.send(c.id(), "hello bob");
                            }))
                    .step("an unread conversation", () -> contactTables().get(2).getItemCount() == 1
                            && contactTables().get(2).getItem(0).getText().contains("(1 unread)"), () -> {
                                Table convs = contactTables().get(2);
                                convs.setSelection(0);
                                convs.notifyListeners(SWT.DefaultSelection, new Event());
                            })
                    .step("ann's message in a chat view", () -> history(display).contains("ann: hello bob")
                            && chatView(conversation[0]).isPresent(), () -> {
                                Text input = Ui.find(chatView(conversation[0]).orElseThrow().control(), Text.class)
                                        .stream().filter(t -> (t.getStyle() & SWT.MULTI) != 0).findFirst()
                                        .orElseThrow();
                                input.setText("hi ann, from my IDE");
                                Event enter = new Event();
                                enter.keyCode = SWT.CR;
                                input.notifyListeners(SWT.KeyDown, enter);
                            })
                    .step("the reply to reach ann", () -> annGot.stream().anyMatch(m -> m.text().equals(
                            "hi ann, from my IDE")), () -> {
                                // Lines 3-5 of a file in a real text editor, selected from the middle of line 3
                                // to the middle of line 5, sent with the command.
                                ITextEditor editor = (ITextEditor) open(hello[0]);
                                IDocument d = editor.getDocumentProvider().getDocument(editor.getEditorInput());
                                int from = offset(d, 2) + 4;
                                int to = offset(d, 4) + 10;
                                editor.selectAndReveal(from, to - from);
                                // The command is in the editor's context menu, and bound to Ctrl+Alt+P.
                                org.eclipse.swt.widgets.Menu menu = editor.getAdapter(org.eclipse.swt.widgets.Control.class)
                                        .getMenu();
                                menu.notifyListeners(SWT.Show, new Event());
                                List<String> items = Arrays.stream(menu.getItems())
                                        .map(i -> i.getText().replace("&", "").replaceAll("\\t.*", "")).toList();
                                menu.notifyListeners(SWT.Hide, new Event());
                                assertThat(items).contains("Send Selection to Parley Chat…");
                                assertThat(Arrays.stream(PlatformUI.getWorkbench().getService(
                                        org.eclipse.ui.keys.IBindingService.class).getActiveBindingsFor(
                                                "org.parley.ide.sendSelection")).map(t -> t.format()))
                                        .contains("Ctrl+Alt+P");
                                execute("org.parley.ide.sendSelection");
                            })
                    .step("the conversation picker", () -> shellWithButton(display, "OK").map(Shell::getText)
                            .orElse("").equals("Send Selection to Parley Chat"), () -> { })
                    .settle()
                    .step("picking ann's conversation", () -> true, () -> {
                                Shell picker = shellWithButton(display, "OK").orElseThrow();
                                assertThat(Workbench.labels(picker)).contains("Send Hello.java, lines 3–5 to:");
                                Table list = Ui.find(picker, Table.class).get(0);
                                assertThat(list.getItemCount()).isEqualTo(1);
                                assertThat(list.getItem(0).getText()).isEqualTo("ann");
                                list.setSelection(0);
                                list.notifyListeners(SWT.Selection, new Event());
                                shot(picker, "ide-conversation-picker");
                                button(picker, "OK").notifyListeners(SWT.Selection, new Event());
                            })
                    .step("the snippet to reach ann", () -> annGot.stream()
                            .anyMatch(m -> Snippet.parse(m.text()).isPresent()), () -> {
                                Snippet got = annGot.stream().map(m -> Snippet.parse(m.text()))
                                        .flatMap(Optional::stream).findFirst().orElseThrow();
                                assertThat(got).isEqualTo(new Snippet("java", "demo/src/demo/Hello.java", 3, 5,
                                        "public class Hello {\n    public static void main(String[] a) {\n"
                                                + "        System.out.println(\"hello\");"));
                                ann.send(conversation[0], back.toMessageText());
                                ann.send(conversation[0], elsewhere.toMessageText());
                            })
                    .step("ann's snippets in the chat", () -> history(display).contains("int c = a + b;"), () -> {
                                // The chat view maximized (double-click on its tab), so that the snippets show whole.
                                IViewReference chat = page().findViewReference(ChatView.ID,
                                        String.valueOf(conversation[0]));
                                page().setPartState(chat, IWorkbenchPage.STATE_MAXIMIZED);
                            })
                    .settle()
                    .step("ann's snippets drawn with their titles", () -> history(display).contains(back.code())
                            && snippetShown(conversation[0], "Other.java, lines 10–12")
                            && snippetShown(conversation[0], "Hello.java, lines 3–4"), () -> {
                                assertThat(history(display)).as("Copy gives a snippet's code")
                                        .contains("ann: " + back.code()).doesNotContain("```");
                                shot(window(), "ide-chat-with-snippets");
                                page().setPartState(page().findViewReference(ChatView.ID,
                                        String.valueOf(conversation[0])), IWorkbenchPage.STATE_RESTORED);
                                enterOn(conversation[0], back);
                            })
                    .step("the workspace file, lines 3-4 selected", () -> activeEditor() instanceof ITextEditor t
                            && t.getEditorInput().getName().equals("Hello.java")
                            && t.getSelectionProvider().getSelection() instanceof ITextSelection s
                            && s.getStartLine() == 2 && s.getEndLine() == 3, () -> {
                                ITextEditor t = (ITextEditor) activeEditor();
                                assertThat(t.getEditorInput().getAdapter(IFile.class)).isEqualTo(hello[0]);
                            })
                    .settle()
                    .step("the IDE with Parley", () -> true, () -> {
                                shot(window(), "ide-workbench");
                                enterOn(conversation[0], elsewhere);
                            })
                    .step("a read-only editor with the other snippet", () -> activeEditor() instanceof ITextEditor t
                            && t.getEditorInput().getName().equals("Other.java"), () -> {
                                ITextEditor t = (ITextEditor) activeEditor();
                                assertThat(t.getDocumentProvider().getDocument(t.getEditorInput()).get())
                                        .isEqualTo(elsewhere.code());
                                assertThat(t.isEditable()).as("read-only").isFalse();
                                assertThat(t.getEditorInput().getAdapter(IFile.class)).isNull();
                            })
                    .settle()
                    .step("signing out", () -> true, () -> {
                                shot(window(), "ide-snippet-opened");
                                execute("org.parley.ide.signOut");
                            })
                    .step("the views asking to sign in again", () -> contactsView().map(ParleyViewPart::showsPrompt)
                            .orElse(false) && chatView(conversation[0]).map(ParleyViewPart::showsPrompt)
                                    .orElse(false), () -> { })
                    .settle()
                    .step("signed out", () -> true, () -> shot(window(), "ide-signed-out"))
                    .step("close", () -> true, () -> PlatformUI.getWorkbench().close())
                    .onFailure(() -> { // dialogs first: the IDE does not close under a modal dialog
                        System.err.println("History at the failure:\n" + history(display));
                        org.osgi.framework.Bundle ide = org.osgi.framework.FrameworkUtil.getBundle(ContactsView.class);
                        System.err.println("org.parley.ide state " + ide.getState() + ", services "
                                + Arrays.toString(ide.getRegisteredServices()));
                        shot(window(), "ide-failure");
                        Arrays.stream(display.getShells()).filter(s -> s != window()).forEach(Shell::close);
                        display.timerExec(500, () -> PlatformUI.getWorkbench().close());
                    });
            script.start();

            Object exit = ideApplication().start(new IdeApplicationContext());

            assertThat(script.failure()).isNull();
            assertThat(exit).isEqualTo(IApplication.EXIT_OK);
            assertThat(parleyViews).containsExactlyInAnyOrder("Parley Contacts", "Parley Chat", "Parley Transfers");
        }
    }

    /** What the launcher gives the IDE application: its command line (nothing special). */
    private static final class IdeApplicationContext implements org.eclipse.equinox.app.IApplicationContext {
        @Override
        public java.util.Map<String, Object> getArguments() {
            return java.util.Map.of(APPLICATION_ARGS, new String[0]);
        }

        @Override
        public void applicationRunning() {
        }

        @Override
        public String getBrandingApplication() {
            return "org.eclipse.ui.ide.workbench";
        }

        @Override
        public String getBrandingName() {
            return "Eclipse";
        }

        @Override
        public String getBrandingDescription() {
            return null;
        }

        @Override
        public String getBrandingId() {
            return null;
        }

        @Override
        public String getBrandingProperty(String key) {
            return null;
        }

        @Override
        public org.osgi.framework.Bundle getBrandingBundle() {
            return null;
        }

        @Override
        public void setResult(Object result, IApplication application) {
        }
    }

    // ---- the IDE --------------------------------------------------------------------------------------------

    private static IApplication ideApplication() throws Exception {
        for (IConfigurationElement e : RegistryFactory.getRegistry().getConfigurationElementsFor(
                "org.eclipse.core.runtime.applications")) {
            if ("org.eclipse.ui.ide.workbench".equals(e.getDeclaringExtension().getUniqueIdentifier())
                    && e.getName().equals("application")) {
                return (IApplication) e.getChildren("run")[0].createExecutableExtension("class");
            }
        }
        throw new AssertionError("the IDE application is not installed");
    }

    /** A workspace project with a Java source file (no Java tooling is needed to edit it as text). */
    private static IFile project() {
        try {
            IProject p = ResourcesPlugin.getWorkspace().getRoot().getProject("demo");
            if (!p.exists()) {
                p.create(null);
            }
            p.open(null);
            IFolder src = p.getFolder("src");
            if (!src.exists()) {
                src.create(true, true, null);
            }
            IFolder pkg = src.getFolder("demo");
            if (!pkg.exists()) {
                pkg.create(true, true, null);
            }
            IFile f = pkg.getFile("Hello.java");
            if (!f.exists()) {
                f.create(new ByteArrayInputStream(HELLO.getBytes(StandardCharsets.UTF_8)), true, null);
            }
            return f;
        } catch (org.eclipse.core.runtime.CoreException e) {
            throw new IllegalStateException(e);
        }
    }

    private static IWorkbenchPage page() {
        return PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
    }

    private static Shell window() {
        return PlatformUI.getWorkbench().getActiveWorkbenchWindow() != null
                ? PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell()
                : PlatformUI.getWorkbench().getWorkbenchWindows()[0].getShell();
    }

    private static IHandlerService handlers() {
        return PlatformUI.getWorkbench().getActiveWorkbenchWindow().getService(IHandlerService.class);
    }

    private static void execute(String command) {
        try {
            handlers().executeCommand(command, null);
        } catch (Exception e) {
            throw new IllegalStateException(command, e);
        }
    }

    private static IEditorPart open(IFile file) {
        try {
            return IDE.openEditor(page(), file, "org.eclipse.ui.DefaultTextEditor", true);
        } catch (org.eclipse.ui.PartInitException e) {
            throw new IllegalStateException(e);
        }
    }

    private static IEditorPart activeEditor() {
        return page().getActiveEditor();
    }

    private static int offset(IDocument d, int line) {
        try {
            return d.getLineOffset(line);
        } catch (org.eclipse.jface.text.BadLocationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<Tree> showViewTree(Display display) {
        return Arrays.stream(display.getShells()).filter(s -> s.isVisible() && s.getText().equals("Show View"))
                .findFirst().flatMap(s -> Ui.find(s, Tree.class).stream().findFirst());
    }

    private static Optional<ParleyViewPart> contactsView() {
        return Optional.ofNullable((ParleyViewPart) page().findView(ContactsView.ID));
    }

    private static Optional<ParleyViewPart> chatView(long conversationId) {
        IViewReference ref = page().findViewReference(ChatView.ID, String.valueOf(conversationId));
        return Optional.ofNullable(ref == null ? null : (ParleyViewPart) ref.getView(false));
    }

    private static List<Table> contactTables() {
        // the sidebar's lists in a fixed order: contacts, requests, conversations (each carries its role)
        return contactsView().map(v -> java.util.stream.Stream.of(Workbench.CONTACTS, Workbench.REQUESTS,
                Workbench.CONVERSATIONS).map(role -> Workbench.sidebarList(v.control(), role))
                .filter(java.util.Objects::nonNull).toList()).orElse(List.<Table>of());
    }

    /** Whether the chat shows a snippet with this title in view, drawn by the chat's snippet renderer. */
    private static boolean snippetShown(long conversationId, String title) {
        return chatView(conversationId).map(v -> ((ChatPart) v.part()).history().shows("org.parley.chat.ui.snippet",
                t -> Snippet.parse(t).map(Snippet::title).filter(title::equals).isPresent())).orElse(false);
    }

    /** Selects the message that is this snippet in the chat and presses Enter, as a user would. */
    private static void enterOn(long conversationId, Snippet snippet) {
        HistoryView h = ((ChatPart) chatView(conversationId).orElseThrow().part()).history();
        long seq = h.visibleSeqs().stream().filter(s -> snippet.code().equals(h.copyText(s))).findFirst()
                .orElseThrow(() -> new AssertionError("no message with the code of " + snippet.title() + " in view"));
        h.select(seq, seq);
        Event e = new Event();
        e.keyCode = SWT.CR;
        h.canvas().notifyListeners(SWT.KeyDown, e);
    }

    private static void shot(Shell shell, String name) {
        try {
            Ui.screenshot(shell, name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
