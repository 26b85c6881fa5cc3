package org.parley.ide.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.util.List;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.Adapters;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.Path;
import org.eclipse.jface.text.BadLocationException;
import org.eclipse.jface.text.IDocument;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.IEditorDescriptor;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.ide.IDE;
import org.eclipse.ui.texteditor.ITextEditor;
import org.parley.chat.ui.Snippet;
import org.parley.chat.ui.SnippetOpener;

/**
 * Opens a received snippet in an editor: the workspace file at the snippet's path with its lines selected, when
 * that file exists and those lines still read as in the snippet; otherwise a read-only editor named after the file
 * that holds the snippet's code (the editor the IDE uses for such files, or the text editor).
 */
final class EditorSnippetOpener implements SnippetOpener {

    static final String TEXT_EDITOR = "org.eclipse.ui.DefaultTextEditor";

    @Override
    public boolean open(Snippet snippet, Shell shell) {
        IWorkbenchPage page = page(shell);
        if (page == null) {
            return false;
        }
        try {
            IFile file = matchingFile(snippet);
            if (file != null) {
                IEditorPart editor = IDE.openEditor(page, file, true);
                ITextEditor text = Adapters.adapt(editor, ITextEditor.class);
                if (text != null) {
                    IDocument d = text.getDocumentProvider().getDocument(text.getEditorInput());
                    int start = d.getLineOffset(snippet.firstLine() - 1);
                    var end = d.getLineInformation(snippet.lastLine() - 1);
                    text.selectAndReveal(start, end.getOffset() + end.getLength() - start);
                }
                return true;
            }
            SnippetEditorInput input = new SnippetEditorInput(snippet);
            try {
                page.openEditor(input, editorFor(snippet.fileName()), true);
            } catch (PartInitException e) { // an editor that cannot show stored text: the text editor can
                page.openEditor(input, TEXT_EDITOR, true);
            }
            return true;
        } catch (PartInitException | BadLocationException e) {
            ILog.of(EditorSnippetOpener.class).error("cannot open " + snippet.title() + " in an editor", e);
            return false;
        }
    }

    private static IWorkbenchPage page(Shell shell) {
        for (IWorkbenchWindow w : PlatformUI.getWorkbench().getWorkbenchWindows()) {
            if (w.getShell() == shell && w.getActivePage() != null) {
                return w.getActivePage();
            }
        }
        IWorkbenchWindow active = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
        return active == null ? null : active.getActivePage();
    }

    /** The workspace file the snippet names, if it exists and still has the snippet's code at its lines. */
    static IFile matchingFile(Snippet snippet) {
        IResource r;
        try {
            r = ResourcesPlugin.getWorkspace().getRoot().findMember(Path.fromPortableString(snippet.path()));
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (!(r instanceof IFile file) || !file.exists()) {
            return null;
        }
        try (InputStream in = file.getContents(true)) {
            List<String> lines = new String(in.readAllBytes(), Charset.forName(file.getCharset())).lines().toList();
            if (snippet.lastLine() > lines.size()) {
                return null;
            }
            List<String> wanted = snippet.code().lines().toList();
            List<String> have = lines.subList(snippet.firstLine() - 1, snippet.lastLine());
            return strip(have).equals(strip(wanted)) ? file : null;
        } catch (IOException | CoreException | RuntimeException e) {
            return null;
        }
    }

    /** Trailing blanks are not a difference worth refusing the file for (editors and mail strip them). */
    private static List<String> strip(List<String> lines) {
        return lines.stream().map(String::stripTrailing).toList();
    }

    private static String editorFor(String fileName) {
        IEditorDescriptor d = PlatformUI.getWorkbench().getEditorRegistry().getDefaultEditor(fileName);
        return d != null && d.isInternal() ? d.getId() : TEXT_EDITOR;
    }
}
