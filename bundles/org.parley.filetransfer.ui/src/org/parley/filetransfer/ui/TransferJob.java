package org.parley.filetransfer.ui;

import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.parley.filetransfer.core.FileTransfers;

/**
 * One upload or download as an Eclipse Job: it shows in any progress UI (the Transfers part here, the Progress
 * view inside an Eclipse IDE), reports progress, and cancels the transfer when the job is cancelled. The transfer
 * itself runs on its own thread in {@link FileTransfers}; this job only follows it.
 */
public final class TransferJob extends Job {

    /** The job family of every Parley transfer ({@code Job.getJobManager().find(FAMILY)}). */
    public static final Object FAMILY = TransferJob.class;

    public enum Direction {
        UPLOAD, DOWNLOAD
    }

    private static final int TICKS = 1000;
    private static final String PLUGIN = "org.parley.filetransfer.ui";

    private final Direction direction;
    private final String fileName;
    private final long conversationId;
    private final String key;
    private final Function<FileTransfers.Progress, FileTransfers.Transfer<?>> starter;
    private volatile FileTransfers.Transfer<?> transfer;
    private volatile long done;
    private volatile long total = -1;
    private volatile boolean hashing;
    private volatile String failure;
    private volatile Object result;

    /**
     * {@code key} names what is transferred (the file id of a download), so that a chat can show a transfer's
     * progress next to its message; {@code starter} begins the transfer, reporting to the progress it is given.
     */
    public TransferJob(Direction direction, String fileName, long conversationId, String key,
            Function<FileTransfers.Progress, FileTransfers.Transfer<?>> starter) {
        super((direction == Direction.UPLOAD ? "Sending " : "Downloading ") + fileName);
        this.direction = direction;
        this.fileName = fileName;
        this.conversationId = conversationId;
        this.key = key;
        this.starter = starter;
        setUser(true);
    }

    @Override
    protected IStatus run(IProgressMonitor monitor) {
        monitor.beginTask(getName(), TICKS);
        FileTransfers.Transfer<?> t = starter.apply((d, n, h) -> {
            done = d;
            total = n;
            hashing = h;
        });
        transfer = t;
        TransferList.changed();
        int reported = 0;
        try {
            while (true) {
                if (monitor.isCanceled()) {
                    t.cancel();
                }
                try {
                    result = t.result().get(100, TimeUnit.MILLISECONDS);
                    return Status.OK_STATUS;
                } catch (TimeoutException e) {
                    int now = (int) (fraction() * TICKS);
                    if (now > reported) {
                        monitor.worked(now - reported);
                        reported = now;
                    }
                    monitor.subTask(hashing ? "Checking " + fileName : Sizes.progress(done, total));
                    TransferList.changed();
                }
            }
        } catch (CancellationException | InterruptedException e) {
            t.cancel();
            return Status.CANCEL_STATUS;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CancellationException) {
                return Status.CANCEL_STATUS;
            }
            failure = org.parley.ui.Desktop.inWords(e.getCause());
            // An expected outcome the user must see (too large, refused ...), not a bug for the error log.
            return new Status(IStatus.WARNING, PLUGIN, getName() + " failed: " + failure);
        } finally {
            monitor.done();
            TransferList.changed();
        }
    }

    @Override
    protected void canceling() {
        FileTransfers.Transfer<?> t = transfer;
        if (t != null) {
            t.cancel();
        }
    }

    @Override
    public boolean belongsTo(Object family) {
        return family == FAMILY;
    }

    public Direction direction() {
        return direction;
    }

    public String fileName() {
        return fileName;
    }

    public long conversationId() {
        return conversationId;
    }

    /** The file id of a download ("" for an upload). */
    public String key() {
        return key;
    }

    /** 0..1; during an upload's checksum phase, how far the checksum got. */
    public double fraction() {
        long n = total;
        return n <= 0 ? (n == 0 && result != null ? 1 : 0) : Math.min(1, (double) done / n);
    }

    public long bytesDone() {
        return done;
    }

    public long bytesTotal() {
        return total;
    }

    public boolean checking() {
        return hashing;
    }

    /** Why the transfer failed (null while it runs, or when it worked or was cancelled). */
    public String failure() {
        return failure;
    }

    /** What the transfer produced once done: the UploadDone, or the downloaded file's path. */
    public Object result() {
        return result;
    }

    public boolean finished() {
        return getResult() != null;
    }
}
