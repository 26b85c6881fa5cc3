package org.parley.filetransfer.ui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.eclipse.core.runtime.jobs.IJobChangeEvent;
import org.eclipse.core.runtime.jobs.JobChangeAdapter;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Shell;
import org.parley.client.core.ParleyClient;
import org.parley.filetransfer.core.FileTransfers;
import org.parley.protocol.message.Chat;

/**
 * Getting a received file: "Save as…" to a place the user picks, or into Parley's download cache (to open it with
 * the system's application, or for the media viewer). Names come from other users: they are cleaned before they
 * touch the file system.
 */
public final class Downloads {

    private static final Map<Path, TransferJob> CACHING = new ConcurrentHashMap<>();

    private Downloads() {
    }

    /** Asks where to save the file and downloads it there; null when the user cancelled. */
    public static TransferJob saveAs(Shell shell, ParleyClient client, long conversationId, Chat.Attachment a) {
        FileDialog dialog = new FileDialog(shell, SWT.SAVE);
        dialog.setText("Save " + safeName(a.name()));
        dialog.setFileName(safeName(a.name()));
        dialog.setOverwrite(true);
        String path = dialog.open();
        if (path == null) {
            return null;
        }
        TransferJob job = download(client, conversationId, a, Path.of(path));
        tellIfFailed(shell.getDisplay(), job, "Cannot save " + safeName(a.name()));
        return job;
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
