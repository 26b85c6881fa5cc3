package org.parley.ui.handlers;

import java.text.DateFormat;
import java.util.Date;

import jakarta.inject.Named;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.TitleAreaDialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.SWT;
import org.eclipse.swt.dnd.Clipboard;
import org.eclipse.swt.dnd.TextTransfer;
import org.eclipse.swt.dnd.Transfer;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.parley.client.core.ParleyClient;
import org.parley.client.core.ParleyClientException;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Admin;
import org.parley.ui.Desktop;
import org.parley.ui.internal.Messages;

/**
 * Parley &gt; Invite someone…: asks the server for a new invitation code ({@code CreateInvitation}: administrators,
 * or everyone on a server with {@code users-may-invite}) and shows it, selectable and with Copy, with its expiry.
 * Anyone else gets the server's refusal in words.
 */
public class InviteHandler {

    @CanExecute
    boolean canExecute(@Optional ParleyClient client) {
        return client != null;
    }

    @Execute
    void execute(@Named("activeShell") Shell shell, ParleyClient client) {
        new InviteDialog(shell, client).open();
    }

    static final class InviteDialog extends TitleAreaDialog {
        private final ParleyClient client;
        private Text code;
        private Label expires;
        private Button copy;

        InviteDialog(Shell parent, ParleyClient client) {
            super(parent);
            this.client = client;
        }

        @Override
        protected void configureShell(Shell shell) {
            super.configureShell(shell);
            shell.setText(Messages.Invite_shellTitle);
        }

        @Override
        protected Control createDialogArea(Composite parent) {
            setTitle(Messages.Invite_title);
            setMessage(Messages.Invite_creating);
            Composite area = (Composite) super.createDialogArea(parent);
            Composite c = new Composite(area, SWT.NONE);
            GridLayoutFactory.swtDefaults().numColumns(3).margins(10, 10).applyTo(c);
            GridDataFactory.fillDefaults().grab(true, true).applyTo(c);
            new Label(c, SWT.NONE).setText(Messages.Invite_code);
            code = new Text(c, SWT.BORDER | SWT.READ_ONLY);
            code.setFont(JFaceResources.getTextFont());
            GridDataFactory.fillDefaults().grab(true, false).hint(300, SWT.DEFAULT).applyTo(code);
            copy = new Button(c, SWT.PUSH);
            copy.setText(Messages.Invite_copy);
            copy.setEnabled(false);
            copy.addListener(SWT.Selection, e -> copy());
            new Label(c, SWT.NONE);
            expires = new Label(c, SWT.WRAP);
            GridDataFactory.fillDefaults().grab(true, false).span(2, 1).applyTo(expires);
            requestCode();
            return area;
        }

        private void requestCode() {
            org.eclipse.swt.widgets.Display display = code.getDisplay();
            client.createInvitation().whenComplete((r, e) -> display.asyncExec(() -> {
                if (code.isDisposed()) {
                    return;
                }
                if (e != null) {
                    setMessage(Messages.Invite_title);
                    setErrorMessage(refusal(e));
                    code.getParent().setVisible(false); // no code to show or copy
                    return;
                }
                show(r);
            }));
        }

        private void show(Admin.InvitationCreated created) {
            setErrorMessage(null);
            setMessage(Messages.Invite_message);
            code.setText(created.code());
            code.selectAll();
            code.setFocus();
            expires.setText(NLS.bind(Messages.Invite_expires, DateFormat.getDateTimeInstance(DateFormat.LONG,
                    DateFormat.SHORT).format(new Date(created.expiresAt()))));
            copy.setEnabled(true);
            code.getParent().layout(true, true);
        }

        private void copy() {
            Clipboard clipboard = new Clipboard(code.getDisplay());
            try {
                clipboard.setContents(new Object[] {code.getText()}, new Transfer[] {TextTransfer.getInstance()});
            } finally {
                clipboard.dispose();
            }
            setMessage(Messages.Invite_message + "\n" + Messages.Invite_copied);
        }

        private static String refusal(Throwable error) {
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            String said = Desktop.inWords(cause);
            if (cause instanceof ParleyClientException p && p.code() == ErrorCode.FORBIDDEN) {
                return NLS.bind(Messages.Invite_forbidden, said);
            }
            return NLS.bind(Messages.Invite_failed, said);
        }

        @Override
        protected void createButtonsForButtonBar(Composite parent) {
            createButton(parent, IDialogConstants.OK_ID, IDialogConstants.CLOSE_LABEL, true);
        }
    }
}
