package org.parley.ui.handlers;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.jface.dialogs.InputDialog;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.widgets.Shell;
import org.parley.client.core.ParleyClient;
import org.parley.protocol.message.Contacts;

import jakarta.inject.Named;

/**
 * Parley &gt; Set status: away with a status text (empty text: back to online); kept for the next start of the
 * application ({@link org.parley.ui.StatusMemory}).
 */
public class SetStatusHandler {

    /** Not while signed out (between a sign-out and the next sign-in). */
    @org.eclipse.e4.core.di.annotations.CanExecute
    boolean canExecute(@org.eclipse.e4.core.di.annotations.Optional ParleyClient client) {
        return client != null;
    }

    @Execute
    void execute(@Named("activeShell") Shell shell, ParleyClient client) {
        InputDialog d = new InputDialog(shell, "Set status",
                "What your contacts see (leave empty to show you as available):", "", s -> s.length() > 200
                        ? "At most 200 characters" : null);
        if (d.open() == Window.OK) {
            String text = d.getValue().strip();
            // remembered for the next start (StatusMemory)
            org.parley.ui.StatusMemory.set(client, text.isEmpty() ? Contacts.Presence.ONLINE
                    : Contacts.Presence.AWAY, text);
        }
    }
}
