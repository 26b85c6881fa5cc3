package org.parley.ui.handlers;

import java.util.concurrent.TimeUnit;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.ui.workbench.IWorkbench;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.widgets.Shell;
import org.parley.client.core.ParleyClient;

import jakarta.inject.Named;

/** Parley &gt; Sign out: revokes this device's session on the server, then closes Parley. */
public class SignOutHandler {

    @Execute
    void execute(@Named("activeShell") Shell shell, ParleyClient client, IWorkbench workbench) {
        if (!MessageDialog.openConfirm(shell, "Sign out", "Sign out of Parley on this computer?")) {
            return;
        }
        try {
            client.logout().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // offline: the server forgets the session when it expires
        }
        workbench.close();
    }
}
