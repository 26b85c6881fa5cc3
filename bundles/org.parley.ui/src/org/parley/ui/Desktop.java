package org.parley.ui;

import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.e4.ui.model.application.ui.basic.MWindow;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.program.Program;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;

/**
 * Opening files and links with the desktop's applications, and telling the user in words when that cannot be done
 * (no application for that kind of file, no browser, the file gone): never a click that does nothing.
 * How things are opened is a {@link Launcher}: SWT's {@link Program} (on Linux the desktop's handlers, through GIO
 * or xdg-open), unless one is put into the window's or the application's Eclipse context (another desktop; a test
 * that has none).
 */
public final class Desktop {

    /** Hands a file or a link to the desktop. */
    @FunctionalInterface
    public interface Launcher {
        /** Opens {@code fileOrUrl} with the application the desktop uses for it; false when none could be started. */
        boolean launch(String fileOrUrl);
    }

    /** SWT's: the desktop's own handlers. */
    public static final Launcher PROGRAM = Program::launch;

    private Desktop() {
    }

    /**
     * The {@link Launcher} in the Eclipse context of {@code shell}'s workbench window (the window's, the
     * application's, or another a plug-in or test put there), else {@link #PROGRAM}.
     */
    public static Launcher launcher(Shell shell) {
        Shell s = shell;
        while (s != null && !s.isDisposed()) {
            if (s.getData("modelElement") instanceof MWindow window && window.getContext() != null) {
                Launcher l = window.getContext().get(Launcher.class);
                return l != null ? l : PROGRAM;
            }
            s = s.getParent() instanceof Shell parent ? parent : null;
        }
        return PROGRAM;
    }

    /**
     * Opens a file with the system's application for it; when it cannot, says why in a dialog over {@code shell}
     * (and where the file is). False when it was not opened.
     */
    public static boolean openFile(Shell shell, Path file) {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        if (!Files.isRegularFile(file)) {
            tell(shell, "Cannot open " + name, "Parley cannot open \u201c" + name + "\u201d: the file is no longer "
                    + "there (" + file + "). It may have been moved or deleted; download it again.");
            return false;
        }
        if (launcher(shell).launch(file.toString())) {
            return true;
        }
        tell(shell, "Cannot open " + name, "Parley cannot open \u201c" + name + "\u201d: no application on this "
                + "computer is set up to open this kind of file (the desktop has no handler for it, for example no "
                + "xdg-open).\n\nThe file is here:\n" + file + "\n\nOpen it from there with an application of your "
                + "choice, or use Save as\u2026 to keep a copy where you want it.");
        return false;
    }

    /** Opens a link (a web address) in the system's browser; when it cannot, says why. */
    public static boolean openLink(Shell shell, String url) {
        if (launcher(shell).launch(url)) {
            return true;
        }
        tell(shell, "Cannot open the link", "Parley cannot open " + url + ": no web browser or other application "
                + "on this computer is set up to open links (the desktop has no handler for them, for example no "
                + "xdg-open).\n\nCopy the link from the message and open it yourself.");
        return false;
    }

    private static void tell(Shell shell, String title, String message) {
        Shell parent = shell != null && !shell.isDisposed() ? shell : Display.getDefault().getActiveShell();
        MessageDialog.openError(parent, title, message);
    }

    /**
     * A failure in words a user can act on: the cause's own message when it has one, the file and what went wrong
     * for file system errors (whose message is only the path), the kind of failure when there is no message;
     * never "null".
     */
    public static String inWords(Throwable error) {
        Throwable e = error;
        while ((e instanceof java.util.concurrent.CompletionException
                || e instanceof java.util.concurrent.ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof java.nio.file.AccessDeniedException a) {
            return "permission denied: " + a.getFile() + " cannot be written or read by Parley";
        }
        if (e instanceof java.nio.file.NoSuchFileException n) {
            return "no such file or folder: " + n.getFile();
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException x) {
            return "a file is already there: " + x.getFile();
        }
        if (e instanceof java.nio.file.FileSystemException f) {
            return (f.getFile() == null ? "" : f.getFile() + ": ")
                    + (f.getReason() == null ? "the file system refused" : f.getReason());
        }
        if (e.getMessage() != null && !e.getMessage().isBlank()) {
            return e.getMessage();
        }
        return e.getClass().getSimpleName().replaceAll("(Exception|Error)$", "").replaceAll("([a-z])([A-Z])", "$1 $2")
                .toLowerCase(java.util.Locale.ROOT);
    }
}
