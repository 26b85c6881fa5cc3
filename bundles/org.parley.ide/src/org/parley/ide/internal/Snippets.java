package org.parley.ide.internal;

import java.nio.charset.StandardCharsets;

import org.eclipse.core.resources.IFile;
import org.eclipse.jface.text.BadLocationException;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.IRegion;
import org.eclipse.ui.IEditorInput;
import org.eclipse.ui.IURIEditorInput;
import org.parley.chat.ui.Snippet;

/** Snippets from text editors: the whole lines a selection touches, and the file's path in the workspace. */
final class Snippets {

    /** What a snippet's message may hold at most (the server's limit on a message is larger; this leaves room). */
    static final int MAX_BYTES = 48 * 1024;

    private Snippets() {
    }

    /**
     * The snippet of the lines the selection {@code [offset, offset + length)} touches; a selection that ends at the
     * very start of a line does not take that line; an empty selection takes its line.
     */
    static Snippet fromSelection(IDocument document, int offset, int length, String path) throws BadLocationException {
        int first = document.getLineOfOffset(offset);
        int last = document.getLineOfOffset(offset + length);
        if (length > 0 && last > first && document.getLineOffset(last) == offset + length) {
            last--;
        }
        int start = document.getLineOffset(first);
        IRegion end = document.getLineInformation(last);
        String code = document.get(start, end.getOffset() + end.getLength() - start);
        return Snippet.of(path, first + 1, last + 1, code);
    }

    /**
     * The path a snippet names: a workspace file's path in the workspace ("project/src/Foo.java"); for a file outside
     * the workspace only its name (a snippet should not tell the user's home directory).
     */
    static String pathOf(IEditorInput input) {
        IFile file = input.getAdapter(IFile.class);
        if (file != null) {
            return file.getFullPath().makeRelative().toString();
        }
        if (input instanceof IURIEditorInput uri && uri.getURI() != null && uri.getURI().getPath() != null) {
            String p = uri.getURI().getPath();
            return p.substring(p.lastIndexOf('/') + 1);
        }
        return input.getName().replace('`', '\'').strip().isEmpty() ? "untitled" : input.getName().replace('`', '\'');
    }

    static boolean tooLarge(Snippet snippet) {
        return snippet.toMessageText().getBytes(StandardCharsets.UTF_8).length > MAX_BYTES;
    }
}
