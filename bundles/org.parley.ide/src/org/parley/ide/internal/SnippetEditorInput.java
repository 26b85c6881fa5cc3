package org.parley.ide.internal;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.eclipse.core.resources.IEncodedStorage;
import org.eclipse.core.resources.IStorage;
import org.eclipse.core.runtime.IPath;
import org.eclipse.jface.resource.ImageDescriptor;
import org.eclipse.ui.IPersistableElement;
import org.eclipse.ui.IStorageEditorInput;
import org.eclipse.ui.PlatformUI;
import org.parley.chat.ui.Snippet;

/** A received snippet as a read-only editor input, named after its file; two opens of one snippet share an editor. */
final class SnippetEditorInput implements IStorageEditorInput {

    private final Snippet snippet;

    SnippetEditorInput(Snippet snippet) {
        this.snippet = snippet;
    }

    Snippet snippet() {
        return snippet;
    }

    @Override
    public IStorage getStorage() {
        return new Storage();
    }

    private final class Storage implements IEncodedStorage {
        @Override
        public InputStream getContents() {
            return new ByteArrayInputStream(snippet.code().getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public IPath getFullPath() {
            return null;
        }

        @Override
        public String getName() {
            return snippet.fileName();
        }

        @Override
        public boolean isReadOnly() {
            return true;
        }

        @Override
        public String getCharset() {
            return StandardCharsets.UTF_8.name();
        }

        @Override
        public <T> T getAdapter(Class<T> adapter) {
            return null;
        }
    }

    @Override
    public boolean exists() {
        return false;
    }

    @Override
    public ImageDescriptor getImageDescriptor() {
        return PlatformUI.getWorkbench().getEditorRegistry().getImageDescriptor(snippet.fileName());
    }

    @Override
    public String getName() {
        return snippet.fileName();
    }

    @Override
    public IPersistableElement getPersistable() {
        return null; // a received snippet is not reopened at the next start
    }

    @Override
    public String getToolTipText() {
        return snippet.title() + " from Parley (" + snippet.path() + ", read-only)";
    }

    @Override
    public <T> T getAdapter(Class<T> adapter) {
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SnippetEditorInput other && other.snippet.equals(snippet);
    }

    @Override
    public int hashCode() {
        return snippet.hashCode();
    }
}
