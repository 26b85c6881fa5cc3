package org.parley.ui.handlers;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.widgets.Shell;
import org.parley.client.core.ParleyClient;
import org.parley.protocol.Protocol;

import jakarta.inject.Named;

/** Help &gt; About Parley. */
public class AboutHandler {

    /** Not while signed out (between a sign-out and the next sign-in). */
    @org.eclipse.e4.core.di.annotations.CanExecute
    boolean canExecute(@org.eclipse.e4.core.di.annotations.Optional ParleyClient client) {
        return client != null;
    }

    @Execute
    void execute(@Named("activeShell") Shell shell, ParleyClient client) {
        MessageDialog.openInformation(shell, "About Parley", "Parley 0.1 — open-source instant messaging for "
                + "organizations.\n\nProtocol version " + Protocol.MAX_VERSION + ".\nSigned in as " + client.user()
                + " (" + client.state().name().toLowerCase() + ").\n\nhttps://github.com/ (Parley project)");
    }
}
