package org.parley.ide.internal;

import org.eclipse.jface.text.BadLocationException;
import org.eclipse.jface.text.IDocument;
import org.parley.chat.ui.Snippet;

/** {@link Snippets} for the tests (this package is visible to {@code org.parley.ide.tests} only). */
public final class SnippetsAccess {

    private SnippetsAccess() {
    }

    public static Snippet fromSelection(IDocument document, int offset, int length, String path)
            throws BadLocationException {
        return Snippets.fromSelection(document, offset, length, path);
    }
}
