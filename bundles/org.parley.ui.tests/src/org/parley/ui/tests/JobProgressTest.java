package org.parley.ui.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.e4.core.contexts.ContextInjectionFactory;
import org.eclipse.e4.core.contexts.EclipseContextFactory;
import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.junit.jupiter.api.Test;
import org.parley.ui.JobProgressControl;
import org.parley.ui.testing.Ui;

/**
 * The status line's progress area shows a running user job (name, step, progress) and cancels it; system jobs stay
 * out of it; it hides when the job ends.
 */
class JobProgressTest {

    private static boolean acquire(Semaphore step) {
        try {
            return step.tryAcquire(50, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void aUserJobShowsItsProgressAndCanBeCancelled() throws Exception {
        Display display = Display.getDefault();
        Shell shell = new Shell(display);
        shell.setLayout(new FillLayout());
        shell.setSize(700, 60);
        IEclipseContext context = EclipseContextFactory.create("progress test");
        Composite trim = new Composite(shell, SWT.NONE);
        trim.setLayout(new FillLayout()); // as the workbench gives a tool control
        context.set(Composite.class, trim);
        JobProgressControl progress = ContextInjectionFactory.make(JobProgressControl.class, context);
        shell.layout(true, true);
        shell.open();
        try {
            Semaphore step = new Semaphore(0);
            CountDownLatch ran = new CountDownLatch(1);
            Job job = Job.create("Uploading report.pdf", monitor -> {
                SubMonitor m = SubMonitor.convert(monitor, "Uploading report.pdf", 10);
                for (int i = 1; i <= 10; i++) {
                    while (!acquire(step)) {
                        if (m.isCanceled()) {
                            ran.countDown();
                            return Status.CANCEL_STATUS;
                        }
                    }
                    m.subTask(i + " of 10 chunks");
                    m.worked(1);
                }
                ran.countDown();
                return Status.OK_STATUS;
            });
            job.setUser(true);
            Job quiet = Job.create("Housekeeping", monitor -> Status.OK_STATUS);
            quiet.setSystem(true);
            quiet.schedule();
            job.schedule();

            step.release(3);
            Ui.until(display, "three chunks shown", () -> progress.text().equals(
                    "Uploading report.pdf: 3 of 10 chunks")
                    && progress.progress()[0] * 10 == progress.progress()[1] * 3); // 30 %, whatever the scale
            Ui.settledScreenshot(shell, "job-progress");

            progress.cancelCurrent();
            assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
            job.join(10_000, null);
            assertThat(job.getResult().getSeverity()).isEqualTo(IStatus.CANCEL);
            Ui.until(display, "the progress area to go away", () -> progress.text().isEmpty());
        } finally {
            shell.dispose();
        }
    }
}
