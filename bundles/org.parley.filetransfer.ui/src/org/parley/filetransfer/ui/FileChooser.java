package org.parley.filetransfer.ui;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.Platform;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Shell;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * Where Attach file gets the files to send, and where Save as… puts a received file: the desktop's file chooser,
 * unless a plug-in registers an OSGi service of this type (a chooser of its own, a document store; the UI tests one
 * that picks a file they made).
 */
public interface FileChooser {

    /** The files the user picked (on the display thread, may be modal); empty when they cancelled. */
    List<Path> choose(Shell parent, String title);

    /**
     * Where to save a file (on the display thread, may be modal): the native save dialog, starting in
     * {@code folder} with {@code fileName} filled in, asking before it replaces a file; null when they cancelled.
     */
    default Path saveTarget(Shell parent, String title, Path folder, String fileName) {
        FileDialog dialog = new FileDialog(parent, SWT.SAVE);
        dialog.setText(title);
        dialog.setFileName(fileName);
        dialog.setFilterPath(folder.toString());
        dialog.setOverwrite(true);
        String path = dialog.open();
        return path == null ? null : Path.of(path);
    }

    /** The native dialog (GTK's file chooser on Linux), several files at once. */
    FileChooser NATIVE = (parent, title) -> {
        FileDialog dialog = new FileDialog(parent, SWT.OPEN | SWT.MULTI);
        dialog.setText(title);
        if (dialog.open() == null) {
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        for (String name : dialog.getFileNames()) {
            files.add(Path.of(dialog.getFilterPath(), name));
        }
        return files;
    };

    /** The registered service with the highest ranking, else {@link #NATIVE}. */
    static FileChooser current() {
        Bundle bundle = FrameworkUtil.getBundle(FileChooser.class);
        BundleContext context = bundle == null ? null : bundle.getBundleContext();
        if (context == null) { // this bundle was never started (it needs no activator): ask the framework's
            Bundle system = Platform.getBundle("org.eclipse.osgi");
            context = system == null ? null : system.getBundleContext();
        }
        if (context == null) {
            return NATIVE;
        }
        try {
            ServiceReference<?>[] refs = context.getAllServiceReferences(FileChooser.class.getName(), null);
            if (refs != null) {
                java.util.Arrays.sort(refs, java.util.Collections.reverseOrder()); // highest ranking first
                for (ServiceReference<?> ref : refs) {
                    if (context.getService(ref) instanceof FileChooser chooser) {
                        return chooser;
                    }
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e); // no filter is given
        }
        return NATIVE;
    }
}
