package org.parley.ui;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.jobs.IJobChangeEvent;
import org.eclipse.core.runtime.jobs.IJobChangeListener;
import org.eclipse.core.runtime.jobs.IJobManager;
import org.eclipse.core.runtime.jobs.JobChangeAdapter;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.jobs.ProgressProvider;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.ProgressBar;
import org.eclipse.swt.widgets.ToolBar;
import org.eclipse.swt.widgets.ToolItem;

/**
 * The status line's progress area: the Eclipse Jobs that the user started (uploads, copying a long history,
 * signing out from a slow server, …) with their name, progress and a Cancel button. A pure E4 application has no
 * progress view, so this control is the jobs' progress provider. Monitors are called on the jobs' threads; the
 * display is updated at most once per event loop turn.
 */
public class JobProgressControl {

    /** What one job has reported so far (written by its thread, read on the display thread). */
    private static final class State {
        volatile String task = "";
        volatile String subTask = "";
        volatile int total = IProgressMonitor.UNKNOWN;
        volatile double done;
    }

    private final Map<Job, State> running = new LinkedHashMap<>();
    private Display display;
    private Composite area;
    private Label name;
    private ProgressBar bar;
    private ToolItem cancel;
    private boolean refreshQueued;
    private ProgressProvider provider;

    @PostConstruct
    void create(Composite parent) {
        display = parent.getDisplay();
        area = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(3).spacing(6, 0).margins(4, 0).applyTo(area);
        name = new Label(area, SWT.NONE);
        GridDataFactory.fillDefaults().align(SWT.END, SWT.CENTER).hint(320, SWT.DEFAULT).applyTo(name);
        bar = new ProgressBar(area, SWT.SMOOTH | SWT.HORIZONTAL);
        GridDataFactory.fillDefaults().align(SWT.FILL, SWT.CENTER).hint(140, 12).applyTo(bar);
        ToolBar tools = new ToolBar(area, SWT.FLAT);
        cancel = new ToolItem(tools, SWT.PUSH);
        cancel.setImage(Icons.image(Icons.STOP));
        cancel.setToolTipText("Cancel this task");
        cancel.setData("org.parley.ui.progress.cancel", Boolean.TRUE);
        cancel.addListener(SWT.Selection, e -> {
            Job job = current();
            if (job != null) {
                job.cancel();
            }
        });
        area.setVisible(false);
        provider = new ProgressProvider() {
            @Override
            public IProgressMonitor createMonitor(Job job) {
                return job.isSystem() ? new NullProgressMonitor() : monitor(job);
            }
        };
        IJobManager jobs = Job.getJobManager();
        jobs.setProgressProvider(provider);
        jobs.addJobChangeListener(finished);
    }

    /** A job that ends without calling done() on its monitor still leaves the progress area. */
    private final IJobChangeListener finished = new JobChangeAdapter() {
        @Override
        public void done(IJobChangeEvent event) {
            boolean removed;
            synchronized (running) {
                removed = running.remove(event.getJob()) != null;
            }
            if (removed) {
                refreshSoon();
            }
        }
    };

    private IProgressMonitor monitor(Job job) {
        State state = new State();
        synchronized (running) {
            running.put(job, state);
        }
        refreshSoon();
        return new NullProgressMonitor() {
            @Override
            public void beginTask(String taskName, int totalWork) {
                state.task = taskName == null ? "" : taskName;
                state.total = totalWork;
                refreshSoon();
            }

            @Override
            public void setTaskName(String taskName) {
                state.task = taskName == null ? "" : taskName;
                refreshSoon();
            }

            @Override
            public void subTask(String text) {
                state.subTask = text == null ? "" : text;
                refreshSoon();
            }

            @Override
            public void internalWorked(double work) {
                state.done += work;
                refreshSoon();
            }

            @Override
            public void worked(int work) {
                internalWorked(work);
            }

            @Override
            public void done() {
                synchronized (running) {
                    running.remove(job);
                }
                refreshSoon();
            }
        };
    }

    private Job current() {
        synchronized (running) {
            Job last = null;
            for (Job j : running.keySet()) {
                last = j;
            }
            return last;
        }
    }

    private void refreshSoon() {
        synchronized (running) {
            if (refreshQueued || display.isDisposed()) {
                return;
            }
            refreshQueued = true;
        }
        display.asyncExec(this::refresh);
    }

    private void refresh() {
        List<Map.Entry<Job, State>> jobs;
        synchronized (running) {
            refreshQueued = false;
            jobs = new ArrayList<>(running.entrySet());
        }
        if (area.isDisposed()) {
            return;
        }
        boolean show = !jobs.isEmpty();
        if (show) {
            Map.Entry<Job, State> newest = jobs.get(jobs.size() - 1);
            State s = newest.getValue();
            String text = s.task.isEmpty() ? newest.getKey().getName() : s.task;
            if (!s.subTask.isEmpty()) {
                text += ": " + s.subTask;
            }
            if (jobs.size() > 1) {
                text += " (+" + (jobs.size() - 1) + " more)";
            }
            name.setText(text);
            name.setToolTipText(text);
            cancel.setToolTipText("Cancel: " + text);
            boolean known = s.total > 0;
            bar.setMaximum(known ? s.total : 100);
            bar.setSelection(known ? (int) Math.min(s.total, s.done) : 0);
            bar.setVisible(known); // a job that cannot say how far it is shows its name only
            cancel.setEnabled(newest.getKey().getState() == Job.RUNNING);
        }
        if (area.getVisible() != show) {
            area.setVisible(show);
        }
        area.requestLayout();
    }

    /** What the progress area says now ("" when no job runs), for tests and accessibility. */
    public String text() {
        return area.isDisposed() || !area.getVisible() ? "" : name.getText();
    }

    /** The progress bar's position, 0 to its maximum. */
    public int[] progress() {
        return new int[] {bar.getSelection(), bar.getMaximum()};
    }

    /** Presses Cancel (for tests; users click it). */
    public void cancelCurrent() {
        cancel.notifyListeners(SWT.Selection, new org.eclipse.swt.widgets.Event());
    }

    @PreDestroy
    void dispose() {
        IJobManager jobs = Job.getJobManager();
        jobs.removeJobChangeListener(finished);
        jobs.setProgressProvider(null);
    }
}
