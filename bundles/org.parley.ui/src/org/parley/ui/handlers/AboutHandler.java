package org.parley.ui.handlers;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.widgets.Shell;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.Version;
import org.parley.client.core.ParleyClient;
import org.parley.protocol.Protocol;
import org.parley.protocol.message.Session;
import org.parley.ui.internal.Messages;

import jakarta.inject.Named;

/** Help &gt; About Parley: the application's version and build, and the server it is signed in to. */
public class AboutHandler {

    /** Not while signed out (between a sign-out and the next sign-in). */
    @org.eclipse.e4.core.di.annotations.CanExecute
    boolean canExecute(@org.eclipse.e4.core.di.annotations.Optional ParleyClient client) {
        return client != null;
    }

    @Execute
    void execute(@Named("activeShell") Shell shell, ParleyClient client) {
        MessageDialog.openInformation(shell, Messages.About_title, text(client));
    }

    /** What the About box says. */
    static String text(ParleyClient client) {
        Version v = FrameworkUtil.getBundle(AboutHandler.class).getVersion();
        String version = v.getMajor() + "." + v.getMinor() + "." + v.getMicro();
        String build = v.getQualifier().isEmpty() ? Messages.About_noBuild : v.getQualifier();
        Session.Welcome w = client.welcome();
        String server = w == null ? Messages.About_unknown : w.server();
        int protocol = w == null ? Protocol.MAX_VERSION : w.version();
        return NLS.bind(Messages.About_text, new Object[] {version, build, client.config().host() + ":"
                + client.config().port(), server, String.valueOf(protocol), client.user(),
                client.state().name().toLowerCase(java.util.Locale.ROOT)});
    }
}
