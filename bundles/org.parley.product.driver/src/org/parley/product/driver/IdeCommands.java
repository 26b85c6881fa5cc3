package org.parley.product.driver;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IFolder;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.jface.text.IDocument;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.handlers.IHandlerService;
import org.eclipse.ui.ide.IDE;
import org.eclipse.ui.texteditor.ITextEditor;
import org.parley.ui.testing.Ui;
import org.parley.ui.testing.Workbench;

/**
 * Commands for an Eclipse IDE with Parley installed (3.x workbench, resources, text editors). Loaded only when a
 * script uses them: the bundles they need are optional imports, absent from Parley's own product.
 */
final class IdeCommands {

    /** What {@code ideSnippet} writes into the file it sends lines of. */
    static final String SOURCE = "package demo;\n\npublic class Hello {\n    // says hello\n"
            + "    public static void main(String[] a) {\n        System.out.println(\"hello\");\n    }\n}\n";

    private IdeCommands() {
    }

    static boolean workbenchReady() {
        return PlatformUI.isWorkbenchRunning() && !PlatformUI.getWorkbench().isStarting()
                && PlatformUI.getWorkbench().getActiveWorkbenchWindow() != null;
    }

    private static IWorkbenchPage page() {
        return PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
    }

    /** Window &gt; Show View of the view with this id. */
    static void showView(String id) {
        try {
            page().showView(id);
        } catch (org.eclipse.ui.PartInitException e) {
            throw new AssertionError("cannot show view " + id + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@link #SOURCE} to {@code project/folders/File.ext} in the workspace, opens it in the text editor,
     * selects lines {@code first}-{@code last} (1-based) and runs "Send Selection to Parley Chat".
     */
    static void sendLines(String path, int first, int last) {
        try {
            String[] parts = path.split("/");
            IProject p = ResourcesPlugin.getWorkspace().getRoot().getProject(parts[0]);
            if (!p.exists()) {
                p.create(null);
            }
            p.open(null);
            IFolder folder = null;
            for (int i = 1; i < parts.length - 1; i++) {
                folder = folder == null ? p.getFolder(parts[i]) : folder.getFolder(parts[i]);
                if (!folder.exists()) {
                    folder.create(true, true, null);
                }
            }
            String name = parts[parts.length - 1];
            IFile file = folder == null ? p.getFile(name) : folder.getFile(name);
            if (!file.exists()) {
                file.create(new ByteArrayInputStream(SOURCE.getBytes(StandardCharsets.UTF_8)), true, null);
            }
            ITextEditor editor = (ITextEditor) IDE.openEditor(page(), file, "org.eclipse.ui.DefaultTextEditor", true);
            IDocument d = editor.getDocumentProvider().getDocument(editor.getEditorInput());
            int from = d.getLineOffset(first - 1);
            int to = d.getLineOffset(last - 1) + d.getLineLength(last - 1) - 1;
            editor.selectAndReveal(from, to - from);
            PlatformUI.getWorkbench().getActiveWorkbenchWindow().getService(IHandlerService.class)
                    .executeCommand("org.parley.ide.sendSelection", null);
        } catch (Exception e) { // CoreException, BadLocationException, the command's exceptions: all fail the step
            throw new AssertionError("cannot send lines " + first + "-" + last + " of " + path + ": " + e, e);
        }
    }

    /** The conversation picker the send command opens, once its list is filled (the dialog fills it later). */
    static Optional<Shell> picker(Display display) {
        return Workbench.shellWithButton(display, "OK").filter(s -> s.getText().equals("Send Selection to Parley Chat"))
                .filter(s -> Ui.find(s, Table.class).stream().anyMatch(t -> t.getItemCount() > 0));
    }

    /** Picks the conversation listed first (the last used) and sends. */
    static void pickFirst(Display display) {
        Shell picker = picker(display).orElseThrow();
        Table list = Ui.find(picker, Table.class).get(0);
        list.setSelection(0);
        list.notifyListeners(SWT.Selection, new Event());
        Workbench.button(picker, "OK").notifyListeners(SWT.Selection, new Event());
    }

    /** The IDE window's title bar text and whether a view of this id is open, for the result. */
    static String openViews() {
        return String.join(",", Arrays.stream(page().getViewReferences()).map(r -> r.getId()).distinct().toList());
    }
}
