package org.parley.contacts.ui.internal;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.widgets.Shell;
import org.parley.client.core.ParleyClient;

import jakarta.inject.Named;

/** Parley &gt; Add contact… (Ctrl+N), also the button in the Contacts view. */
public class AddContactHandler {

    @Execute
    void execute(@Named("activeShell") Shell shell, ParleyClient client) {
        ask(shell, client);
    }

    static void ask(Shell shell, ParleyClient client) {
        AddContactDialog d = new AddContactDialog(shell, client);
        if (d.open() != Window.OK || d.chosen() == null) {
            return;
        }
        String name = d.chosen().user();
        client.requestContact(name).whenComplete((r, e) -> shell.getDisplay().asyncExec(() -> {
            if (shell.isDisposed()) {
                return;
            }
            if (e != null) {
                MessageDialog.openError(shell, "Add contact", e.getCause() != null ? e.getCause().getMessage()
                        : e.getMessage());
            } else {
                MessageDialog.openInformation(shell, "Add contact", "Asked " + name + " to become your contact. "
                        + "They appear in your contacts when they accept.");
            }
        }));
    }
}
