package org.parley.ui;

import jakarta.inject.Inject;

import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.ui.basic.MWindow;
import org.parley.client.core.ParleyClient;
import org.parley.protocol.Protocol;

/**
 * A model add-on of the Parley application: the window title says who is signed in and where ("Parley —
 * alice@chat.example.org", the port too when it is not the default), so that two clients side by side are told
 * apart; plain "Parley" while signed out. Follows the client in the application's context through sign-in and
 * sign-out.
 */
public class WindowTitle {

    static final String APPLICATION = "Parley";

    @Inject
    MApplication application;

    @Inject
    void client(@Optional ParleyClient signedIn) {
        String title = title(signedIn);
        for (MWindow w : application.getChildren()) {
            w.setLabel(title);
            // The window's renderer follows the label through a UI event; set the shell's text directly too: in a
            // test runtime that had run other workbenches before, the label's change did not reach the shell.
            if (w.getWidget() instanceof org.eclipse.swt.widgets.Shell shell && !shell.isDisposed()
                    && shell.getDisplay().getThread() == Thread.currentThread()) {
                shell.setText(title);
            }
        }
    }

    /** "Parley — user@host" (":port" when not the default), or "Parley" without a signed-in client. */
    public static String title(ParleyClient client) {
        if (client == null || client.user() == null) {
            return APPLICATION;
        }
        ParleyClient.Config c = client.config();
        return APPLICATION + " \u2014 " + client.user() + "@" + c.host()
                + (c.port() == Protocol.DEFAULT_PORT ? "" : ":" + c.port());
    }
}
