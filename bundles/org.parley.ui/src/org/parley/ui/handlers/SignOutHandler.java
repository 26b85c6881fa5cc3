package org.parley.ui.handlers;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.inject.Named;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.ui.workbench.IWorkbench;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.parley.client.core.ParleyClient;

/**
 * Parley &gt; Sign out: revokes this device's session on the server, then closes Parley. A job (shown in the status
 * line, with Cancel): with a slow or unreachable server the answer can take the client's whole request timeout,
 * and the window must stay usable meanwhile.
 */
public class SignOutHandler {

    @Execute
    void execute(@Named("activeShell") Shell shell, ParleyClient client, IWorkbench workbench) {
        if (!MessageDialog.openConfirm(shell, "Sign out", "Sign out of Parley on this computer?")) {
            return;
        }
        // Forgotten at once, whatever the server answers: the next start asks for the password.
        org.eclipse.core.runtime.preferences.IEclipsePreferences prefs = org.parley.ui.Preferences.node();
        org.parley.ui.secure.SecureStore.ofProfile().forgetToken(prefs.get("host", ""), prefs.getInt("port", 0),
                client.user());
        Display display = shell.getDisplay();
        Job job = Job.create("Signing out of Parley", monitor -> {
            monitor.beginTask("Signing out of Parley", IProgressMonitor.UNKNOWN);
            CompletableFuture<Void> out = client.logout();
            while (!out.isDone() && !monitor.isCanceled()) { // wait in slices: Cancel closes at once
                try {
                    out.get(200, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    // not yet
                } catch (ExecutionException e) {
                    break; // offline: the server forgets the session when it expires
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            monitor.done();
            display.asyncExec(workbench::close);
            return Status.OK_STATUS;
        });
        job.setUser(true);
        job.schedule();
    }
}
