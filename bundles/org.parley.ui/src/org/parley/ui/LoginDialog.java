package org.parley.ui;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.core.runtime.preferences.InstanceScope;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.dialogs.TitleAreaDialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Link;
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
import org.parley.ui.internal.Messages;
import org.parley.ui.secure.SecureStore;

/**
 * Asks for the server and the credentials and signs in without freezing the UI, returning the logged-in client;
 * remembers the server and the user name. Three modes: sign in; create an account (password typed twice, display
 * name, the invitation code a server with {@code registration=invite} needs: such a server's refusal says so, and
 * the dialog points at the field); reset a forgotten password with the one-time code an administrator made
 * ({@code ResetPassword}, new password typed twice). The server's password rules come back in words when it
 * refuses a password. A server whose certificate a trusted CA issued for its name is accepted silently; a
 * self-signed one seen for the first time shows its fingerprint to accept, and a changed one is refused loudly.
 */
public final class LoginDialog extends TitleAreaDialog {

    /** What the dialog does with the form. */
    public enum Mode {
        SIGN_IN, CREATE, RESET
    }

    /** Each entry field carries its name under this key ("host", "password", "invitation", ...), for tests. */
    public static final String FIELD = "org.parley.ui.login.field";

    private static final String PREFS = "org.parley.ui";
    /** Answers to a resumed session that mean it is over: the password is needed. */
    private static final java.util.Set<ErrorCode> SESSION_ENDED = java.util.EnumSet.of(ErrorCode.INVALID_TOKEN,
            ErrorCode.AUTHENTICATION_FAILED, ErrorCode.NOT_AUTHENTICATED, ErrorCode.ACCOUNT_DISABLED);

    private Text host;
    private Text port;
    private Text user;
    private Text password;
    private Label passwordLabel;
    private Text confirm;
    private Button register;
    private Text displayName;
    private Text invitation;
    private Text resetCode;
    private Button stay;
    private Link modeLink;
    private Composite form;
    private final java.util.Map<Mode, List<Control>> rows = new java.util.EnumMap<>(Mode.class);
    private Mode mode = Mode.SIGN_IN;
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

    /** What the form does now. */
    public Mode mode() {
        return mode;
    }

    @Override
    protected void configureShell(Shell shell) {
        super.configureShell(shell);
        shell.setText(Messages.Login_shellTitle);
        shell.setImages(Icons.windowImages());
    }

    @Override
    protected Control createDialogArea(Composite parent) {
        setTitleImage(Icons.image("parley-48"));
        Composite area = (Composite) super.createDialogArea(parent);
        Composite c = new Composite(area, SWT.NONE);
        form = c;
        GridLayoutFactory.swtDefaults().numColumns(2).margins(10, 10).applyTo(c);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(c);
        Preferences prefs = InstanceScope.INSTANCE.getNode(PREFS);
        host = field(c, "host", Messages.Login_server, prefs.get("host", "localhost"), SWT.BORDER);
        port = field(c, "port", Messages.Login_port, prefs.get("port", String.valueOf(Protocol.DEFAULT_PORT)),
                SWT.BORDER);
        new Label(c, SWT.NONE);
        register = new Button(c, SWT.CHECK);
        register.setText(Messages.Login_createCheck);
        notWhenResetting(register);
        user = field(c, "user", Messages.Login_user, prefs.get("user", ""), SWT.BORDER);
        resetCode = field(c, "resetCode", Messages.Login_resetCode, "", SWT.BORDER, Mode.RESET);
        password = field(c, "password", Messages.Login_password, "", SWT.BORDER | SWT.PASSWORD);
        passwordLabel = (Label) password.getParent().getChildren()[indexOf(password) - 1];
        confirm = field(c, "confirm", Messages.Login_confirmPassword, "", SWT.BORDER | SWT.PASSWORD, Mode.CREATE,
                Mode.RESET);
        displayName = field(c, "displayName", Messages.Login_displayName, "", SWT.BORDER, Mode.CREATE);
        invitation = field(c, "invitation", Messages.Login_invitation, "", SWT.BORDER, Mode.CREATE);
        invitation.setMessage(Messages.Login_invitationHint);
        invitation.setToolTipText(Messages.Login_invitationHint);
        new Label(c, SWT.NONE);
        stay = new Button(c, SWT.CHECK);
        stay.setText(Messages.Login_stay);
        stay.setSelection(prefs.getBoolean("staySignedIn", true));
        stay.setToolTipText(Messages.Login_stayTooltip);
        register.addListener(SWT.Selection, e -> setMode(register.getSelection() ? Mode.CREATE : Mode.SIGN_IN));
        new Label(c, SWT.NONE);
        modeLink = new Link(c, SWT.NONE);
        modeLink.addListener(SWT.Selection, e -> setMode(mode == Mode.SIGN_IN ? Mode.RESET : Mode.SIGN_IN));
        new Label(c, SWT.NONE);
        progress = new ProgressBar(c, SWT.INDETERMINATE | SWT.HORIZONTAL);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(progress);
        progress.setVisible(false);
        showMode();
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

    private static int indexOf(Control control) {
        return java.util.Arrays.asList(control.getParent().getChildren()).indexOf(control);
    }

    /** A labelled entry field, shown in {@code modes} only (all modes when none are given). */
    private Text field(Composite c, String name, String label, String value, int style, Mode... modes) {
        Label l = new Label(c, SWT.NONE);
        l.setText(label);
        Text t = new Text(c, style);
        t.setText(value);
        t.setData(FIELD, name);
        GridDataFactory.fillDefaults().grab(true, false).hint(300, SWT.DEFAULT).applyTo(t);
        if (modes.length > 0) {
            for (Mode m : modes) {
                rows.computeIfAbsent(m, k -> new java.util.ArrayList<>()).addAll(List.of(l, t));
            }
        }
        return t;
    }

    /** A control (and the label cell before it) shown in every mode but RESET: the create-account box. */
    private void notWhenResetting(Control control) {
        rows.computeIfAbsent(Mode.SIGN_IN, k -> new java.util.ArrayList<>()).add(control);
        rows.computeIfAbsent(Mode.CREATE, k -> new java.util.ArrayList<>()).add(control);
        Label before = (Label) control.getParent().getChildren()[indexOf(control) - 1];
        rows.get(Mode.SIGN_IN).add(before);
        rows.get(Mode.CREATE).add(before);
    }

    /** Switches the form to another mode (the create-account box, the "forgot your password" link). */
    public void setMode(Mode m) {
        mode = m;
        register.setSelection(m == Mode.CREATE);
        showMode();
        setErrorMessage(null);
        (m == Mode.RESET ? resetCode : m == Mode.CREATE && !user.getText().isEmpty() ? password : user).setFocus();
    }

    private void showMode() {
        java.util.Set<Control> shown = new java.util.HashSet<>(rows.getOrDefault(mode, List.of()));
        java.util.Set<Control> optional = new java.util.HashSet<>();
        rows.values().forEach(optional::addAll);
        for (Control ctl : optional) {
            boolean visible = shown.contains(ctl);
            ctl.setVisible(visible);
            if (ctl.getLayoutData() == null) {
                GridDataFactory.fillDefaults().applyTo(ctl);
            }
            ((org.eclipse.swt.layout.GridData) ctl.getLayoutData()).exclude = !visible;
        }
        passwordLabel.setText(mode == Mode.RESET ? Messages.Login_newPassword : Messages.Login_password);
        modeLink.setText(mode == Mode.SIGN_IN ? Messages.Login_forgotLink : mode == Mode.RESET
                ? Messages.Login_backLink : "");
        modeLink.setVisible(mode != Mode.CREATE);
        switch (mode) {
            case SIGN_IN -> {
                setTitle(Messages.Login_title);
                setMessage(Messages.Login_message);
            }
            case CREATE -> {
                setTitle(Messages.Login_createTitle);
                setMessage(Messages.Login_createMessage);
            }
            case RESET -> {
                setTitle(Messages.Login_resetTitle);
                setMessage(Messages.Login_resetMessage);
            }
        }
        Button ok = getButton(IDialogConstants.OK_ID);
        if (ok != null) {
            ok.setText(okLabel());
            ((Composite) ok.getParent()).layout(true);
        }
        form.layout(true, true);
    }

    /** High enough for the tallest mode, so that switching modes never cuts a field off nor resizes the window. */
    @Override
    protected org.eclipse.swt.graphics.Point getInitialSize() {
        org.eclipse.swt.graphics.Point size = super.getInitialSize();
        Mode shown = mode;
        for (Mode m : Mode.values()) {
            mode = m;
            showMode();
            getShell().layout(true, true);
            size.y = Math.max(size.y, getShell().computeSize(size.x, SWT.DEFAULT, true).y);
        }
        mode = shown;
        showMode();
        return size;
    }

    private String okLabel() {
        return switch (mode) {
            case SIGN_IN -> Messages.Login_signInButton;
            case CREATE -> Messages.Login_createButton;
            case RESET -> Messages.Login_resetButton;
        };
    }

    @Override
    protected void createButtonsForButtonBar(Composite parent) {
        createButton(parent, IDialogConstants.OK_ID, okLabel(), true);
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
            setErrorMessage(NLS.bind(Messages.Login_portNotANumber, Protocol.DEFAULT_PORT));
            port.setFocus();
            return;
        }
        String name = user.getText().strip();
        String problem = formProblem(name);
        if (problem != null) {
            setErrorMessage(problem);
            return;
        }
        // Several nodes of one deployment: "chat1.example.org:7443, chat2.example.org:7443" (the port field is
        // the port of an entry without one); the first address names the account (tokens, pins, settings).
        java.util.List<org.parley.client.core.ServerAddress> servers;
        try {
            servers = org.parley.client.core.ServerAddress.parseList(host.getText(), portNumber);
        } catch (IllegalArgumentException e) {
            setErrorMessage(NLS.bind(Messages.Login_badServer, e.getMessage()));
            host.setFocus();
            return;
        }
        String h = servers.getFirst().host();
        int firstPort = servers.getFirst().port();
        Display display = getShell().getDisplay();
        Path home = Path.of(System.getProperty("parley.home", System.getProperty("user.home") + "/.parley"));
        org.parley.client.core.CertificateAuthorities cas;
        try {
            cas = authorities();
        } catch (java.io.IOException e) {
            setErrorMessage(NLS.bind(Messages.Login_caFileUnusable, e.getMessage()));
            return;
        }
        ParleyClient.Config config = ParleyClient.Config.of(servers)
                .trust(trustStore(home), askUser(display)).authorities(cas)
                .device("Parley desktop").backoff(250, org.parley.ui.Preferences.maxReconnectSeconds() * 1000L);
        if (Boolean.getBoolean("parley.plaintext")) { // tests and loopback demos only
            config = config.plaintext();
        }
        ParleyClient c = new ParleyClient(config);
        setErrorMessage(null);
        busy(true);
        signingIn = c;
        Mode asked = mode;
        java.util.Optional<String> token = asked != Mode.SIGN_IN || !password.getText().isEmpty()
                ? java.util.Optional.empty() : SecureStore.ofProfile().token(h, firstPort, name);
        setMessage(switch (asked) {
            case CREATE -> NLS.bind(Messages.Login_creating, name, h);
            case RESET -> NLS.bind(Messages.Login_resetting, name, h);
            case SIGN_IN -> token.isPresent() ? NLS.bind(Messages.Login_signingInAs, name, h)
                    : NLS.bind(Messages.Login_signingIn, h);
        });
        CompletableFuture<Accounts.LoggedIn> login = switch (asked) {
            case CREATE -> c.register(name, password.getText(), displayName.getText().strip(),
                    invitation.getText().strip());
            case RESET -> c.resetPassword(name, resetCode.getText().strip(), password.getText());
            case SIGN_IN -> token.isPresent() ? c.resume(token.get()) : c.login(name, password.getText());
        };
        // No waiting here: the answer comes back to the display thread, which stays free for Cancel and typing.
        login.whenComplete((r, e) -> display.asyncExec(() -> finished(c, r, e, h, firstPort, token.isPresent(),
                asked)));
    }

    /** What is missing or wrong in the form before anything is sent, or null. */
    private String formProblem(String name) {
        if (mode == Mode.SIGN_IN) {
            return null; // an empty password may mean "resume the remembered session"
        }
        if (name.isEmpty()) {
            user.setFocus();
            return Messages.Login_userMissing;
        }
        if (mode == Mode.RESET && resetCode.getText().isBlank()) {
            resetCode.setFocus();
            return Messages.Login_resetCodeMissing;
        }
        if (password.getText().isEmpty()) {
            password.setFocus();
            return Messages.Login_passwordMissing;
        }
        if (!password.getText().equals(confirm.getText())) {
            confirm.setFocus();
            confirm.selectAll();
            return Messages.Login_passwordsDiffer;
        }
        return null;
    }

    /** The system's CAs, and the organization's CA file from the preferences if one is set. */
    private static org.parley.client.core.CertificateAuthorities authorities() throws java.io.IOException {
        org.parley.client.core.CertificateAuthorities cas = org.parley.client.core.CertificateAuthorities.system();
        String file = org.parley.ui.Preferences.organizationCaFile();
        return file.isBlank() ? cas : cas.plusPemFile(Path.of(file));
    }

    /** The remembered session of the server and user in the form, if any. */
    private java.util.Optional<String> rememberedToken() {
        try {
            org.parley.client.core.ServerAddress first = org.parley.client.core.ServerAddress.parseList(
                    host.getText(), Integer.parseInt(port.getText().strip())).getFirst();
            return SecureStore.ofProfile().token(first.host(), first.port(), user.getText().strip());
        } catch (IllegalArgumentException e) { // a port or an address not valid (yet): nothing remembered
            return java.util.Optional.empty();
        }
    }

    private void finished(ParleyClient c, Accounts.LoggedIn session, Throwable error, String h, int portNumber,
            boolean resumed, Mode asked) {
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
            showMode(); // the mode's own message again
            if (resumed && cause instanceof ParleyClientException p && p.code() != null && SESSION_ENDED.contains(
                    p.code())) {
                SecureStore.ofProfile().forgetToken(h, portNumber, user.getText().strip());
                setErrorMessage(NLS.bind(Messages.Login_sessionEnded, p.getMessage()));
                password.setFocus();
                return;
            }
            setErrorMessage(refusal(cause, asked));
            return;
        }
        remember(c, h, portNumber, session);
        Preferences prefs = InstanceScope.INSTANCE.getNode(PREFS);
        prefs.put("host", host.getText().strip()); // every address, as typed
        prefs.put("port", port.getText().strip());
        prefs.put("user", user.getText().strip());
        prefs.putBoolean("staySignedIn", stay.getSelection());
        try {
            prefs.flush();
        } catch (BackingStoreException e) {
            // remembering the server is a convenience
        }
        StatusMemory.restore(c);
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

    /**
     * Why the server refused, in words, pointing at the field to correct: the server's password rules, a taken
     * name, the invitation code a server with {@code registration=invite} needs, a wrong reset code.
     */
    private String refusal(Throwable cause, Mode asked) {
        String said = Desktop.inWords(cause);
        ErrorCode code = cause instanceof ParleyClientException p ? p.code() : null;
        if (code == null || asked == Mode.SIGN_IN) {
            return said;
        }
        switch (code) {
            case INVALID_ARGUMENT -> {
                if (said.toLowerCase(java.util.Locale.ROOT).contains("password")) {
                    password.setFocus();
                    password.selectAll();
                    return NLS.bind(Messages.Login_passwordRefused, said);
                }
                return said;
            }
            case USER_EXISTS -> {
                user.setFocus();
                user.selectAll();
                return NLS.bind(Messages.Login_nameTaken, user.getText().strip());
            }
            case FORBIDDEN -> {
                if (said.contains("invitation")) {
                    invitation.setFocus();
                    invitation.selectAll();
                    return NLS.bind(Messages.Login_invitationNeeded, said);
                }
                return NLS.bind(Messages.Login_registrationRefused, said);
            }
            case AUTHENTICATION_FAILED -> {
                if (asked == Mode.RESET) {
                    resetCode.setFocus();
                    resetCode.selectAll();
                    return Messages.Login_resetCodeWrong;
                }
                return said;
            }
            default -> {
                return said;
            }
        }
    }

    /** While signing in: the fields are locked, a progress bar runs, Cancel stops the attempt. */
    private void busy(boolean busy) {
        for (Control field : new Control[] {host, port, user, password, confirm, register, displayName, invitation,
                resetCode, stay, modeLink}) {
            field.setEnabled(!busy);
        }
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
            setMessage(Messages.Login_cancelled);
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

    /**
     * Shows the fingerprint of a server whose certificate no trusted CA issued (self-signed) and asks whether to
     * trust it; a changed one is refused loudly. A CA-issued certificate never comes here.
     */
    private static TrustDecider askUser(Display display) {
        return (host, port, fingerprint, previous) -> {
            AtomicBoolean ok = new AtomicBoolean();
            display.syncExec(() -> {
                if (previous == null) {
                    ok.set(MessageDialog.openQuestion(display.getActiveShell(), Messages.Trust_firstTitle,
                            NLS.bind(Messages.Trust_first, new Object[] {host, String.valueOf(port), fingerprint})));
                } else {
                    MessageDialog.openError(display.getActiveShell(), Messages.Trust_changedTitle,
                            NLS.bind(Messages.Trust_changed, new Object[] {host, String.valueOf(port), fingerprint,
                                    previous}));
                }
            });
            return ok.get();
        };
    }
}
