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
import org.parley.client.core.ClientListener;
import org.parley.client.core.ParleyClient;
import org.parley.client.core.ParleyClientException;
import org.parley.client.core.TrustDecider;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.Protocol;
import org.parley.protocol.message.Accounts;
import org.parley.ui.secure.SecureStore;

/**
 * Asks for the server and the credentials, logs in (or creates the account) without freezing the UI, and returns
 * the logged-in client. Remembers the server and the user name. A server seen for the first time shows its
 * certificate fingerprint to accept; a changed certificate is refused with a loud warning.
 */
public final class LoginDialog extends TitleAreaDialog {

    private static final String PREFS = "org.parley.ui";
    /** Answers to a resumed session that mean it is over: the password is needed. */
    private static final java.util.Set<ErrorCode> SESSION_ENDED = java.util.EnumSet.of(ErrorCode.INVALID_TOKEN,
            ErrorCode.AUTHENTICATION_FAILED, ErrorCode.NOT_AUTHENTICATED, ErrorCode.ACCOUNT_DISABLED);

    private Text host;
    private Text port;
    private Text user;
    private Text password;
    private Button register;
    private Text displayName;
    private Button stay;
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
        shell.setImages(Icons.windowImages());
    }

    @Override
    protected Control createDialogArea(Composite parent) {
        setTitle("Sign in to Parley");
        setTitleImage(Icons.image("parley-48"));
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
        new Label(c, SWT.NONE);
        stay = new Button(c, SWT.CHECK);
        stay.setText("S&tay signed in on this computer");
        stay.setSelection(prefs.getBoolean("staySignedIn", true));
        stay.setToolTipText("Keeps this device's session token, encrypted in Eclipse secure storage, so that Parley "
                + "signs in by itself next time (Sign out forgets it).");
        register.addListener(SWT.Selection, e -> displayName.setEnabled(register.getSelection()));
        new Label(c, SWT.NONE);
        progress = new ProgressBar(c, SWT.INDETERMINATE | SWT.HORIZONTAL);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(progress);
        progress.setVisible(false);
        (user.getText().isEmpty() ? user : password).setFocus();
        if (stay.getSelection() && rememberedToken().isPresent()) {
            // A remembered session: sign in with it at once (Cancel stops it and shows the form).
            parent.getDisplay().asyncExec(() -> {
                if (getShell() != null && !getShell().isDisposed()) {
                    okPressed();
                }
            });
        }
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
        busy(true);
        signingIn = c;
        String name = user.getText().strip();
        java.util.Optional<String> token = register.getSelection() || !password.getText().isEmpty()
                ? java.util.Optional.empty() : SecureStore.ofProfile().token(h, portNumber, name);
        setMessage(token.isPresent() ? "Signing in as " + name + " to " + h + "…" : "Signing in to " + h + "…");
        CompletableFuture<Accounts.LoggedIn> login = register.getSelection()
                ? c.register(name, password.getText(), displayName.getText().strip())
                : token.isPresent() ? c.resume(token.get()) : c.login(name, password.getText());
        // No waiting here: the answer comes back to the display thread, which stays free for Cancel and typing.
        login.whenComplete((r, e) -> display.asyncExec(() -> finished(c, r, e, h, portNumber, token.isPresent())));
    }

    /** The remembered session of the server and user in the form, if any. */
    private java.util.Optional<String> rememberedToken() {
        try {
            return SecureStore.ofProfile().token(host.getText().strip(), Integer.parseInt(port.getText().strip()),
                    user.getText().strip());
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    private void finished(ParleyClient c, Accounts.LoggedIn session, Throwable error, String h, int portNumber,
            boolean resumed) {
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
            if (resumed && cause instanceof ParleyClientException p && p.code() != null && SESSION_ENDED.contains(
                    p.code())) {
                SecureStore.ofProfile().forgetToken(h, portNumber, user.getText().strip());
                setErrorMessage("Your session has ended (" + p.getMessage() + "). Enter your password.");
                password.setFocus();
                return;
            }
            setErrorMessage(Desktop.inWords(cause));
            return;
        }
        remember(c, h, portNumber, session);
        Preferences prefs = InstanceScope.INSTANCE.getNode(PREFS);
        prefs.put("host", h);
        prefs.put("port", String.valueOf(portNumber));
        prefs.put("user", user.getText().strip());
        prefs.putBoolean("staySignedIn", stay.getSelection());
        try {
            prefs.flush();
        } catch (BackingStoreException e) {
            // remembering the server is a convenience
        }
        client = c;
        super.okPressed();
    }

    /**
     * Keeps the session token for next time ("stay signed in"), also when the client later resumes with a new one;
     * or forgets it.
     */
    private void remember(ParleyClient c, String h, int portNumber, Accounts.LoggedIn session) {
        SecureStore store = SecureStore.ofProfile();
        if (!stay.getSelection()) {
            store.forgetToken(h, portNumber, session.user());
            return;
        }
        store.saveToken(h, portNumber, session.user(), session.token());
        c.addListener(new ClientListener() {
            @Override
            public void loggedIn(Accounts.LoggedIn again) {
                if (!again.token().equals(session.token())) {
                    store.saveToken(h, portNumber, again.user(), again.token());
                }
            }
        });
    }

    /** While signing in: the fields are locked, a progress bar runs, Cancel stops the attempt. */
    private void busy(boolean busy) {
        for (Control field : new Control[] {host, port, user, password, register, stay}) {
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

    /** Where the pinned server certificates are kept: secure storage (or its fallback). */
    private static org.parley.client.core.TrustStore trustStore(Path home) {
        return SecureStore.of(home).trustStore();
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
