package org.parley.filetransfer.ui;

import java.util.HashMap;
import java.util.Map;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.ProgressBar;

/**
 * Above a chat's entry field: the files being sent to this conversation, each with a progress bar and Cancel,
 * and the reason when one failed (until the user dismisses it). Hidden when there is nothing to show.
 */
final class UploadStrip {

    private final Composite strip;
    private final long conversationId;
    private final Map<TransferJob, Composite> rows = new HashMap<>();
    private final Runnable listener = this::changed;
    private volatile boolean queued;

    UploadStrip(Composite parent, long conversationId) {
        this.conversationId = conversationId;
        strip = new Composite(parent, SWT.NONE);
        strip.setData("parley.uploads", Boolean.TRUE);
        GridLayoutFactory.fillDefaults().margins(0, 2).applyTo(strip);
        TransferList.addListener(listener);
        strip.addListener(SWT.Dispose, e -> TransferList.removeListener(listener));
        strip.getDisplay().asyncExec(this::refresh); // the layout data is set by the chat after creation
    }

    Composite control() {
        return strip;
    }

    private void changed() {
        if (queued || strip.isDisposed()) {
            return;
        }
        queued = true;
        // Called from transfer threads: the strip may be disposed (its chat closed) before the display runs this.
        Display display = strip.getDisplay();
        display.asyncExec(() -> display.timerExec(150, () -> {
            queued = false;
            refresh();
        }));
    }

    private void refresh() {
        if (strip.isDisposed()) {
            return;
        }
        boolean changedRows = false;
        for (TransferJob job : TransferList.all()) {
            if (job.direction() != TransferJob.Direction.UPLOAD || job.conversationId() != conversationId) {
                continue;
            }
            boolean show = !job.finished() || job.failure() != null;
            Composite row = rows.get(job);
            if (show && row == null) {
                rows.put(job, row(job));
                changedRows = true;
            } else if (!show && row != null) {
                row.dispose();
                rows.remove(job);
                changedRows = true;
            }
        }
        rows.forEach(this::update);
        boolean empty = rows.isEmpty();
        if (strip.getLayoutData() instanceof GridData d && (d.exclude != empty || changedRows)) {
            d.exclude = empty;
            strip.setVisible(!empty);
            strip.getParent().layout(true, true);
        }
    }

    private Composite row(TransferJob job) {
        Composite row = new Composite(strip, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(3).applyTo(row);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(row);
        Label name = new Label(row, SWT.NONE);
        name.setText("\u2191 " + job.fileName());
        GridDataFactory.fillDefaults().hint(220, SWT.DEFAULT).align(SWT.FILL, SWT.CENTER).applyTo(name);
        ProgressBar bar = new ProgressBar(row, SWT.SMOOTH);
        bar.setMaximum(1000);
        GridDataFactory.fillDefaults().grab(true, false).align(SWT.FILL, SWT.CENTER).applyTo(bar);
        Button button = new Button(row, SWT.PUSH);
        button.addListener(SWT.Selection, e -> {
            if (job.finished()) {
                TransferList.remove(job); // dismiss a failure
            } else {
                job.cancel();
            }
        });
        row.setData("bar", bar);
        row.setData("button", button);
        row.setData("name", name);
        return row;
    }

    private void update(TransferJob job, Composite row) {
        ProgressBar bar = (ProgressBar) row.getData("bar");
        Button button = (Button) row.getData("button");
        Label name = (Label) row.getData("name");
        bar.setSelection((int) (job.fraction() * 1000));
        String tip;
        if (job.failure() != null) {
            bar.setState(SWT.ERROR);
            tip = "Not sent: " + job.failure();
            setText(button, "Dismiss");
        } else {
            tip = job.checking() ? "Checking " + job.fileName() : Sizes.progress(job.bytesDone(), job.bytesTotal());
            setText(button, "Cancel");
        }
        name.setToolTipText(tip);
        bar.setToolTipText(tip);
        String label = "\u2191 " + job.fileName() + (job.failure() != null ? " \u2014 not sent: " + job.failure() : "");
        if (!label.equals(name.getText())) {
            name.setText(label);
        }
    }

    private static void setText(Button b, String text) {
        if (!text.equals(b.getText())) {
            b.setText(text);
            b.getParent().layout();
        }
    }
}
