package org.parley.ui;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.core.runtime.preferences.InstanceScope;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.dialogs.TitleAreaDialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.ProgressBar;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.osgi.service.prefs.BackingStoreException;
import org.osgi.service.prefs.Preferences;
import org.parley.client.core.FileTrustStore;
import org.parley.client.core.ParleyClient;
import org.parley.client.core.ParleyClientException;
import org.parley.client.core.TrustDecider;
import org.parley.protocol.Protocol;

/**
 * Asks for the server and the credentials, logs in (or creates the account) without freezing the UI, and returns
 * the logged-in client. Remembers the server and the user name. A server seen for the first time shows its
 * certificate fingerprint to accept; a changed certificate is refused with a loud warning.
 */
public final class LoginDialog extends TitleAreaDialog {

    private static final String PREFS = "org.parley.ui";

    private Text host;
    private Text port;
    private Text user;
    private Text password;
    private Button register;
    private Text displayName;
    private ParleyClient client;
    private ProgressBar progress;
    /** The client of the sign-in under way, or null. */
    private ParleyClient signingIn;

    public LoginDialog(Shell parent) {
        super(parent);
    }

    /** The logged-in client once the dialog closed with OK. */
    public ParleyClient client() {
        return client;
    }

    @Override
    protected void configureShell(Shell shell) {
        super.configureShell(shell);
        shell.setText("Parley");
    }

    @Override
    protected Control createDialogArea(Composite parent) {
        setTitle("Sign in to Parley");
        setMessage("Enter your Parley server and your account.");
        Composite area = (Composite) super.createDialogArea(parent);
        Composite c = new Composite(area, SWT.NONE);
        GridLayoutFactory.swtDefaults().numColumns(2).margins(10, 10).applyTo(c);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(c);
        Preferences prefs = InstanceScope.INSTANCE.getNode(PREFS);
        host = field(c, "&Server:", prefs.get("host", "localhost"), SWT.BORDER);
        port = field(c, "P&ort:", prefs.get("port", String.valueOf(Protocol.DEFAULT_PORT)), SWT.BORDER);
        user = field(c, "&User name:", prefs.get("user", ""), SWT.BORDER);
        password = field(c, "&Password:", "", SWT.BORDER | SWT.PASSWORD);
        new Label(c, SWT.NONE);
        register = new Button(c, SWT.CHECK);
        register.setText("&Create this account");
        displayName = field(c, "&Display name:", "", SWT.BORDER);
        displayName.setEnabled(false);
        register.addListener(SWT.Selection, e -> displayName.setEnabled(register.getSelection()));
        new Label(c, SWT.NONE);
        progress = new ProgressBar(c, SWT.INDETERMINATE | SWT.HORIZONTAL);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(progress);
        progress.setVisible(false);
        (user.getText().isEmpty() ? user : password).setFocus();
        return area;
    }

    private static Text field(Composite c, String label, String value, int style) {
        new Label(c, SWT.NONE).setText(label);
        Text t = new Text(c, style);
        t.setText(value);
        GridDataFactory.fillDefaults().grab(true, false).hint(260, SWT.DEFAULT).applyTo(t);
        return t;
    }

    @Override
    protected void createButtonsForButtonBar(Composite parent) {
        createButton(parent, IDialogConstants.OK_ID, "Sign &in", true);
        createButton(parent, IDialogConstants.CANCEL_ID, IDialogConstants.CANCEL_LABEL, false);
    }

    @Override
    protected void okPressed() {
        if (signingIn != null) {
            return;
        }
        int portNumber;
        try {
            portNumber = Integer.parseInt(port.getText().strip());
        } catch (NumberFormatException e) {
            setErrorMessage("The port must be a number, like " + Protocol.DEFAULT_PORT + ".");
            return;
        }
        String h = host.getText().strip();
        Display display = getShell().getDisplay();
        Path home = Path.of(System.getProperty("parley.home", System.getProperty("user.home") + "/.parley"));
        ParleyClient.Config config = ParleyClient.Config.of(h, portNumber)
                .trust(trustStore(home), askUser(display))
                .device("Parley desktop").backoff(250, org.parley.ui.Preferences.maxReconnectSeconds() * 1000L);
        if (Boolean.getBoolean("parley.plaintext")) { // tests and loopback demos only
            config = config.plaintext();
        }
        ParleyClient c = new ParleyClient(config);
        setErrorMessage(null);
        setMessage("Signing in to " + h + "…");
        busy(true);
        signingIn = c;
        CompletableFuture<?> login = register.getSelection()
                ? c.register(user.getText().strip(), password.getText(), displayName.getText().strip())
                : c.login(user.getText().strip(), password.getText());
        // No waiting here: the answer comes back to the display thread, which stays free for Cancel and typing.
        login.whenComplete((r, e) -> display.asyncExec(() -> finished(c, e, h, portNumber)));
    }

    private void finished(ParleyClient c, Throwable error, String h, int portNumber) {
        if (signingIn != c || getShell() == null || getShell().isDisposed()) {
            c.close(); // cancelled meanwhile
            return;
        }
        signingIn = null;
        busy(false);
        if (error != null) {
            c.close();
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            setMessage("Enter your Parley server and your account.");
            setErrorMessage(cause instanceof ParleyClientException p ? p.getMessage() : String.valueOf(cause));
            return;
        }
        Preferences prefs = InstanceScope.INSTANCE.getNode(PREFS);
        prefs.put("host", h);
        prefs.put("port", String.valueOf(portNumber));
        prefs.put("user", user.getText().strip());
        try {
            prefs.flush();
        } catch (BackingStoreException e) {
            // remembering the server is a convenience
        }
        client = c;
        super.okPressed();
    }

    /** While signing in: the fields are locked, a progress bar runs, Cancel stops the attempt. */
    private void busy(boolean busy) {
        for (Control field : new Control[] {host, port, user, password, register}) {
            field.setEnabled(!busy);
        }
        displayName.setEnabled(!busy && register.getSelection());
        progress.setVisible(busy);
        getButton(IDialogConstants.OK_ID).setEnabled(!busy);
    }

    /** Cancel while signing in stops that attempt (the dialog stays, to correct the server); else it closes. */
    @Override
    protected void cancelPressed() {
        ParleyClient c = signingIn;
        if (c != null) {
            signingIn = null;
            c.close();
            busy(false);
            setErrorMessage(null);
            setMessage("Signing in was cancelled. Check the server and try again.");
            return;
        }
        super.cancelPressed();
    }

    @Override
    public boolean close() {
        ParleyClient c = signingIn;
        signingIn = null;
        if (c != null) {
            c.close();
        }
        return super.close();
    }

    /** Where the pinned server certificates are kept. */
    private static org.parley.client.core.TrustStore trustStore(Path home) {
        return new FileTrustStore(home.resolve("known_servers"));
    }

    /** Shows an unknown server's fingerprint and asks whether to trust it; a changed one is refused loudly. */
    private static TrustDecider askUser(Display display) {
        return (host, port, fingerprint, previous) -> {
            AtomicBoolean ok = new AtomicBoolean();
            display.syncExec(() -> {
                if (previous == null) {
                    ok.set(MessageDialog.openQuestion(display.getActiveShell(), "Trust this server?",
                            "You are connecting to " + host + ":" + port + " for the first time.\n\n"
                                    + "Its certificate fingerprint (SHA-256) is:\n" + fingerprint + "\n\n"
                                    + "Compare it with the one your administrator gave you. Trust this server?"));
                } else {
                    MessageDialog.openError(display.getActiveShell(), "Server identity changed!",
                            "WARNING: the certificate of " + host + ":" + port + " has CHANGED.\n\nNow: "
                                    + fingerprint + "\nBefore: " + previous + "\n\nSomeone may be impersonating "
                                    + "the server. Parley will not connect. Ask your administrator.");
                }
            });
            return ok.get();
        };
    }
}
