package org.parley.filetransfer.ui;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.ScrolledComposite;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.ProgressBar;
import org.parley.filetransfer.ui.internal.Messages;
import org.parley.protocol.message.Transfers;
import org.parley.ui.Desktop;

/**
 * Uploads and downloads of this session, newest first: name, progress bar, bytes, and Cancel while running; the
 * reason when one failed; for a finished download where it went, Open, and Show in folder. Parley's Progress view (the E4 workbench has none).
 */
public class TransfersPart {

    private Display display;
    private ScrolledComposite scroller;
    private Composite rows;
    private Label empty;
    private final Map<TransferJob, Row> shown = new HashMap<>();
    private final Runnable listener = this::scheduleRefresh;
    private volatile boolean refreshQueued;

    private static final class Row {
        Composite box;
        Label name;
        ProgressBar bar;
        Label status;
        Button action;
        Button folder;
    }

    @PostConstruct
    void create(Composite parent) {
        display = parent.getDisplay();
        GridLayoutFactory.fillDefaults().applyTo(parent);
        scroller = new ScrolledComposite(parent, SWT.V_SCROLL);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(scroller);
        rows = new Composite(scroller, SWT.NONE);
        GridLayoutFactory.fillDefaults().margins(6, 6).spacing(0, 10).applyTo(rows);
        scroller.setContent(rows);
        scroller.setExpandHorizontal(true);
        scroller.setExpandVertical(true);
        scroller.addListener(SWT.Resize, e -> layout());
        empty = new Label(rows, SWT.WRAP);
        empty.setText("No transfers yet. Send a file with \"Attach file\" in a chat.");
        GridDataFactory.fillDefaults().grab(true, false).applyTo(empty);
        Button clear = new Button(parent, SWT.PUSH);
        clear.setText("Clear finished");
        clear.addListener(SWT.Selection, e -> TransferList.clearFinished());
        GridDataFactory.swtDefaults().align(SWT.END, SWT.CENTER).indent(0, 0).applyTo(clear);
        TransferList.addListener(listener);
        refresh();
    }

    /** Coalesces the many progress updates into at most a few repaints a second. */
    private void scheduleRefresh() {
        if (refreshQueued || display.isDisposed()) {
            return;
        }
        refreshQueued = true;
        display.asyncExec(() -> display.timerExec(150, () -> {
            refreshQueued = false;
            if (!rows.isDisposed()) {
                refresh();
            }
        }));
    }

    void refresh() {
        List<TransferJob> jobs = TransferList.all();
        shown.entrySet().removeIf(e -> {
            if (!jobs.contains(e.getKey())) {
                e.getValue().box.dispose();
                return true;
            }
            return false;
        });
        Composite previous = null;
        for (TransferJob job : jobs) {
            Row row = shown.computeIfAbsent(job, this::newRow);
            if (previous == null) {
                row.box.moveAbove(null);
            } else {
                row.box.moveBelow(previous);
            }
            previous = row.box;
            update(job, row);
        }
        empty.setVisible(jobs.isEmpty());
        ((GridData) empty.getLayoutData()).exclude = !jobs.isEmpty();
        layout();
    }

    private Row newRow(TransferJob job) {
        Row r = new Row();
        r.box = new Composite(rows, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(3).spacing(6, 2).applyTo(r.box);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(r.box);
        r.name = new Label(r.box, SWT.NONE);
        r.name.setText((job.direction() == TransferJob.Direction.UPLOAD ? "\u2191 " : "\u2193 ") + job.fileName());
        r.name.setToolTipText(job.getName());
        GridDataFactory.fillDefaults().grab(true, false).span(3, 1).applyTo(r.name);
        r.bar = new ProgressBar(r.box, SWT.HORIZONTAL | SWT.SMOOTH);
        r.bar.setMaximum(1000);
        GridDataFactory.fillDefaults().grab(true, false).align(SWT.FILL, SWT.CENTER).applyTo(r.bar);
        r.action = new Button(r.box, SWT.PUSH);
        r.action.setData("parley.job", job);
        r.action.addListener(SWT.Selection, e -> act(job));
        // Its GridData is what update() excludes from the layout while the button has nothing to offer.
        GridDataFactory.swtDefaults().align(SWT.END, SWT.CENTER).applyTo(r.action);
        r.folder = new Button(r.box, SWT.PUSH);
        r.folder.setText(Messages.Downloads_showInFolder);
        r.folder.setData("parley.job", job);
        r.folder.addListener(SWT.Selection, e -> {
            if (job.result() instanceof Path p) {
                Downloads.showInFolder(rows.getShell(), p); // says why in a dialog when it cannot
            }
        });
        GridDataFactory.swtDefaults().align(SWT.END, SWT.CENTER).applyTo(r.folder);
        r.status = new Label(r.box, SWT.WRAP);
        GridDataFactory.fillDefaults().grab(true, false).span(3, 1).hint(100, SWT.DEFAULT).applyTo(r.status);
        return r;
    }

    private void update(TransferJob job, Row r) {
        r.bar.setSelection((int) (job.fraction() * 1000));
        String status;
        String action;
        Path saved = null;
        if (!job.finished()) {
            status = job.checking() ? "Checking the file\u2026" : Sizes.progress(job.bytesDone(), job.bytesTotal());
            action = "Cancel";
        } else if (job.failure() != null) {
            status = "Failed: " + job.failure();
            action = null;
            r.bar.setState(SWT.ERROR);
        } else if (job.getResult().getSeverity() == org.eclipse.core.runtime.IStatus.CANCEL) {
            status = "Cancelled";
            action = null;
            r.bar.setState(SWT.PAUSED);
        } else if (job.direction() == TransferJob.Direction.UPLOAD) {
            status = "Sent, " + Sizes.of(job.bytesTotal());
            action = null;
        } else {
            action = "Open";
            if (job.result() instanceof Path p) {
                saved = p.toAbsolutePath();
                status = NLS.bind(Messages.Downloads_savedTo, Sizes.of(job.bytesTotal()), saved);
            } else {
                status = "Downloaded, " + Sizes.of(job.bytesTotal());
            }
        }
        if (!status.equals(r.status.getText())) {
            r.status.setText(status);
        }
        r.action.setVisible(action != null);
        ((GridData) r.action.getLayoutData()).exclude = action == null;
        if (action != null && !action.equals(r.action.getText())) {
            r.action.setText(action);
        }
        r.folder.setVisible(saved != null);
        ((GridData) r.folder.getLayoutData()).exclude = saved == null;
        if (saved != null && saved.getParent() != null) {
            r.folder.setToolTipText(NLS.bind(Messages.Downloads_showInFolderTip, saved.getParent()));
            r.status.setToolTipText(saved.toString());
        }
    }

    private void act(TransferJob job) {
        if (!job.finished()) {
            job.cancel();
        } else if (job.result() instanceof Path p) {
            Desktop.openFile(rows.getShell(), p); // says why in a dialog when nothing can open it
        } else if (job.result() instanceof Transfers.UploadDone) {
            // nothing to do for a sent file
        }
    }

    private void layout() {
        if (rows.isDisposed()) {
            return;
        }
        int width = scroller.getClientArea().width;
        rows.layout(true, true);
        scroller.setMinSize(rows.computeSize(width, SWT.DEFAULT));
    }

    @PreDestroy
    void dispose() {
        TransferList.removeListener(listener);
    }
}
