package org.parley.ui.handlers;

import jakarta.inject.Named;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.dialogs.TitleAreaDialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.ProgressBar;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.parley.client.core.ParleyClient;
import org.parley.client.core.ParleyClientException;
import org.parley.protocol.ErrorCode;
import org.parley.ui.Desktop;
import org.parley.ui.LoginDialog;
import org.parley.ui.internal.Messages;

/**
 * Parley &gt; Change password…: the current password and the new one typed twice. The server checks its rules
 * (shown in words when it refuses) and, once changed, signs out every other session of the account; this window
 * stays signed in.
 */
public class ChangePasswordHandler {

    @CanExecute
    boolean canExecute(@Optional ParleyClient client) {
        return client != null;
    }

    @Execute
    void execute(@Named("activeShell") Shell shell, ParleyClient client) {
        if (new ChangePasswordDialog(shell, client).open() == IDialogConstants.OK_ID) {
            MessageDialog.openInformation(shell, Messages.ChangePassword_doneTitle, Messages.ChangePassword_done);
        }
    }

    /** The dialog; the request runs while the dialog stays responsive (Cancel closes it). */
    static final class ChangePasswordDialog extends TitleAreaDialog {
        private final ParleyClient client;
        private Text current;
        private Text fresh;
        private Text confirm;
        private ProgressBar progress;
        private boolean busy;

        ChangePasswordDialog(Shell parent, ParleyClient client) {
            super(parent);
            this.client = client;
        }

        @Override
        protected void configureShell(Shell shell) {
            super.configureShell(shell);
            shell.setText(Messages.ChangePassword_shellTitle);
        }

        @Override
        protected Control createDialogArea(Composite parent) {
            setTitle(Messages.ChangePassword_title);
            setMessage(Messages.ChangePassword_message);
            Composite area = (Composite) super.createDialogArea(parent);
            Composite c = new Composite(area, SWT.NONE);
            GridLayoutFactory.swtDefaults().numColumns(2).margins(10, 10).applyTo(c);
            GridDataFactory.fillDefaults().grab(true, true).applyTo(c);
            current = field(c, "current", Messages.ChangePassword_current);
            fresh = field(c, "new", Messages.ChangePassword_new);
            confirm = field(c, "confirm", Messages.ChangePassword_confirm);
            new Label(c, SWT.NONE);
            progress = new ProgressBar(c, SWT.INDETERMINATE | SWT.HORIZONTAL);
            GridDataFactory.fillDefaults().grab(true, false).applyTo(progress);
            progress.setVisible(false);
            current.setFocus();
            return area;
        }

        private static Text field(Composite c, String name, String label) {
            new Label(c, SWT.NONE).setText(label);
            Text t = new Text(c, SWT.BORDER | SWT.PASSWORD);
            t.setData(LoginDialog.FIELD, name);
            GridDataFactory.fillDefaults().grab(true, false).hint(260, SWT.DEFAULT).applyTo(t);
            return t;
        }

        @Override
        protected void createButtonsForButtonBar(Composite parent) {
            createButton(parent, IDialogConstants.OK_ID, Messages.ChangePassword_button, true);
            createButton(parent, IDialogConstants.CANCEL_ID, IDialogConstants.CANCEL_LABEL, false);
        }

        @Override
        protected void okPressed() {
            if (busy) {
                return;
            }
            String problem = problem();
            if (problem != null) {
                setErrorMessage(problem);
                return;
            }
            setErrorMessage(null);
            setMessage(Messages.ChangePassword_changing);
            setBusy(true);
            org.eclipse.swt.widgets.Display display = getShell().getDisplay();
            client.changePassword(current.getText(), fresh.getText()).whenComplete((x, e) -> display.asyncExec(() -> {
                if (getShell() == null || getShell().isDisposed()) {
                    return; // cancelled: the server may still have changed it, as it would have anyway
                }
                setBusy(false);
                if (e == null) {
                    super.okPressed();
                    return;
                }
                setMessage(Messages.ChangePassword_message);
                setErrorMessage(refusal(e));
            }));
        }

        private String problem() {
            if (current.getText().isEmpty()) {
                current.setFocus();
                return Messages.ChangePassword_currentMissing;
            }
            if (fresh.getText().isEmpty()) {
                fresh.setFocus();
                return Messages.Login_passwordMissing;
            }
            if (!fresh.getText().equals(confirm.getText())) {
                confirm.setFocus();
                confirm.selectAll();
                return Messages.Login_passwordsDiffer;
            }
            if (fresh.getText().equals(current.getText())) {
                fresh.setFocus();
                fresh.selectAll();
                return Messages.ChangePassword_sameAsOld;
            }
            return null;
        }

        private String refusal(Throwable error) {
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            String said = Desktop.inWords(cause);
            ErrorCode code = cause instanceof ParleyClientException p ? p.code() : null;
            if (code == ErrorCode.AUTHENTICATION_FAILED) {
                current.setFocus();
                current.selectAll();
                return Messages.ChangePassword_wrongCurrent;
            }
            if (code == ErrorCode.INVALID_ARGUMENT) {
                fresh.setFocus();
                fresh.selectAll();
                return NLS.bind(Messages.Login_passwordRefused, said);
            }
            return NLS.bind(Messages.ChangePassword_failed, said);
        }

        private void setBusy(boolean b) {
            busy = b;
            for (Text t : new Text[] {current, fresh, confirm}) {
                t.setEnabled(!b);
            }
            progress.setVisible(b);
            getButton(IDialogConstants.OK_ID).setEnabled(!b);
        }
    }
}
