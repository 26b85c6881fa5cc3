package org.parley.filetransfer.ui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.eclipse.core.runtime.jobs.IJobChangeEvent;
import org.eclipse.core.runtime.jobs.JobChangeAdapter;
import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.eclipse.core.runtime.preferences.InstanceScope;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.parley.client.core.ParleyClient;
import org.osgi.service.prefs.BackingStoreException;
import org.parley.filetransfer.core.DownloadFolder;
import org.parley.filetransfer.core.FileTransfers;
import org.parley.filetransfer.ui.internal.Messages;
import org.parley.ui.Desktop;
import org.parley.protocol.message.Chat;

/**
 * Getting a received file: "Save as…" to a place the user picks, or into Parley's download cache (to open it with
 * the system's application, or for the media viewer). Names come from other users: they are cleaned before they
 * touch the file system. "Save as…" starts in the last folder saved to, else the user's Downloads folder; a
 * finished download's folder opens in the file manager with {@link #showInFolder}.
 */
public final class Downloads {

    private static final String PREFERENCES = "org.parley.filetransfer.ui";
    private static final String LAST_FOLDER = "lastSaveFolder";
    /** Preference: the folder "Save as…" starts in; empty for the desktop's Downloads folder. */
    public static final String DOWNLOAD_FOLDER = "downloadFolder";
    /** Preference: whether "Save as…" starts in the last folder saved to. Default true. */
    public static final String REMEMBER_LAST_FOLDER = "rememberLastFolder";
    private static final Map<Path, TransferJob> CACHING = new ConcurrentHashMap<>();

    private Downloads() {
    }

    /**
     * Asks where to save the file ({@link FileChooser#saveTarget}, starting in {@link #startFolder()}), remembers
     * that folder, and downloads the file there; null when the user cancelled.
     */
    public static TransferJob saveAs(Shell shell, ParleyClient client, long conversationId, Chat.Attachment a) {
        Path chosen = FileChooser.current().saveTarget(shell, NLS.bind(Messages.Downloads_saveTitle,
                safeName(a.name())), startFolder(), safeName(a.name()));
        if (chosen == null) {
            return null;
        }
        Path target = chosen.toAbsolutePath();
        rememberFolder(target.getParent());
        TransferJob job = download(client, conversationId, a, target);
        tellIfFailed(shell.getDisplay(), job, "Cannot save " + safeName(a.name()));
        return job;
    }

    /**
     * Where "Save as…" starts: the last folder the user saved to (in this plug-in's preferences) while it exists,
     * unless the user turned that off in Preferences &gt; File transfer; else the folder chosen there; else the
     * user's Downloads folder (see {@link DownloadFolder}).
     */
    public static Path startFolder() {
        IEclipsePreferences prefs = preferences();
        String last = prefs.getBoolean(REMEMBER_LAST_FOLDER, true) ? prefs.get(LAST_FOLDER, null) : null;
        String first = last != null && isFolder(last) ? last : prefs.get(DOWNLOAD_FOLDER, "").strip();
        return DownloadFolder.ofSystem().initial(first);
    }

    private static boolean isFolder(String path) {
        try {
            Path p = Path.of(path);
            return p.isAbsolute() && Files.isDirectory(p);
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    private static void rememberFolder(Path folder) {
        if (folder == null) {
            return;
        }
        IEclipsePreferences prefs = preferences();
        prefs.put(LAST_FOLDER, folder.toString());
        try {
            prefs.flush();
        } catch (BackingStoreException e) {
            // kept for this session; the next start begins in the Downloads folder again
        }
    }

    /** This plug-in's preferences (instance scope, node {@code org.parley.filetransfer.ui}). */
    public static IEclipsePreferences preferences() {
        return InstanceScope.INSTANCE.getNode(PREFERENCES);
    }

    /**
     * Opens the folder that holds {@code file} in the desktop's file manager (the window's {@link Desktop.Launcher});
     * when it cannot, says why in a dialog over {@code shell}. False when it was not shown.
     */
    public static boolean showInFolder(Shell shell, Path file) {
        Path folder = file.toAbsolutePath().getParent();
        Shell parent = shell != null && !shell.isDisposed() ? shell : Display.getDefault().getActiveShell();
        if (folder == null || !Files.isDirectory(folder)) {
            org.eclipse.jface.dialogs.MessageDialog.openError(parent, Messages.Downloads_cannotShowTitle,
                    NLS.bind(Messages.Downloads_folderGone, folder == null ? file : folder));
            return false;
        }
        if (Desktop.launcher(shell).launch(folder.toString())) {
            return true;
        }
        org.eclipse.jface.dialogs.MessageDialog.openError(parent, Messages.Downloads_cannotShowTitle,
                NLS.bind(Messages.Downloads_noFileManager, folder));
        return false;
    }

    /** A download that fails (not cancelled) says why in a dialog: the chat's card only shows its buttons again. */
    private static void tellIfFailed(Display display, TransferJob job, String title) {
        java.util.concurrent.atomic.AtomicBoolean told = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable check = () -> {
            org.eclipse.core.runtime.IStatus result = job.getResult();
            if (result == null || result.isOK() || result.getSeverity() == org.eclipse.core.runtime.IStatus.CANCEL
                    || display.isDisposed() || !told.compareAndSet(false, true)) {
                return;
            }
            String why = job.failure() != null ? job.failure() : result.getMessage();
            display.asyncExec(() -> org.eclipse.jface.dialogs.MessageDialog.openError(display.getActiveShell(),
                    title, title + ": " + why + "."));
        };
        job.addJobChangeListener(new JobChangeAdapter() {
            @Override
            public void done(IJobChangeEvent event) {
                check.run();
            }
        });
        check.run(); // it may have ended before the listener was added
    }

    /** Downloads to {@code target} as a job in the Transfers list. */
    public static TransferJob download(ParleyClient client, long conversationId, Chat.Attachment a, Path target) {
        return TransferList.schedule(new TransferJob(TransferJob.Direction.DOWNLOAD, safeName(a.name()),
                conversationId, a.fileId(), progress -> new FileTransfers(client).download(a, target, progress)));
    }

    /**
     * Where the newest finished download of a file was saved by the user (not the download cache's copy), or null
     * when it has not been saved in this session.
     */
    public static Path savedTo(Chat.Attachment a) {
        Path cache = cachePath(a).toAbsolutePath();
        for (TransferJob j : TransferList.all()) {
            if (j.key().equals(a.fileId()) && j.direction() == TransferJob.Direction.DOWNLOAD && j.finished()
                    && j.failure() == null && j.getResult() != null && j.getResult().isOK()
                    && j.result() instanceof Path p && !p.toAbsolutePath().equals(cache)) {
                return p.toAbsolutePath();
            }
        }
        return null;
    }

    /** The newest transfer of a file that is still running, or null. */
    public static TransferJob running(String fileId) {
        for (TransferJob j : TransferList.all()) {
            if (j.key().equals(fileId) && !j.finished()) {
                return j;
            }
        }
        return null;
    }

    /**
     * Makes the file available in the download cache, then calls {@code then} on the display thread with its path
     * (at once when it is there already, complete: downloads are checked and moved into place only when whole).
     */
    public static void cached(Display display, ParleyClient client, long conversationId, Chat.Attachment a,
            Consumer<Path> then) {
        Path target = cachePath(a);
        if (isComplete(target, a)) {
            then.accept(target);
            return;
        }
        // One download per cached file: a second click joins the first instead of writing the same .part file.
        boolean[] started = new boolean[1];
        TransferJob job = CACHING.compute(target, (p, running) -> {
            if (running != null && !running.finished()) {
                return running;
            }
            started[0] = true;
            return download(client, conversationId, a, target);
        });
        if (started[0]) {
            tellIfFailed(display, job, "Cannot open " + safeName(a.name()));
        }
        java.util.concurrent.atomic.AtomicBoolean called = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable whenDone = () -> {
            if (job.getResult() != null && job.getResult().isOK() && !display.isDisposed()
                    && called.compareAndSet(false, true)) {
                display.asyncExec(() -> then.accept(target));
            }
        };
        job.addJobChangeListener(new JobChangeAdapter() {
            @Override
            public void done(IJobChangeEvent event) {
                whenDone.run();
            }
        });
        whenDone.run(); // it may have finished before the listener was added
    }

    /** Where the cache keeps an attachment (one folder per file id, so equal names never collide). */
    public static Path cachePath(Chat.Attachment a) {
        Path home = Path.of(System.getProperty("parley.home", System.getProperty("user.home") + "/.parley"));
        return home.resolve("cache").resolve("files").resolve(safeName(a.fileId())).resolve(safeName(a.name()));
    }

    public static boolean isComplete(Path file, Chat.Attachment a) {
        try {
            return Files.isRegularFile(file) && Files.size(file) == a.size();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A file name that stays inside its folder and cannot lie about what it is (see
     * {@link org.parley.filetransfer.core.SafeNames#forSaving}): no separators, "..", control, invisible or
     * bidirectional-control characters, Windows-reserved characters or device names, trailing dots.
     */
    public static String safeName(String name) {
        return org.parley.filetransfer.core.SafeNames.forSaving(name);
    }
}
