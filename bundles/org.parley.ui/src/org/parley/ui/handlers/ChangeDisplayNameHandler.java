package org.parley.ui.handlers;

import jakarta.inject.Named;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.TitleAreaDialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.parley.client.core.ParleyClient;
import org.parley.ui.Desktop;
import org.parley.ui.LoginDialog;
import org.parley.ui.internal.Messages;

/**
 * Parley &gt; Change display name…: the name others see ("Ann Archer"). The server checks it (shown in words when it
 * refuses: too long, invisible characters, a directory account's name is the directory's) and pushes it to
 * everyone who shows it, so their sidebars, tabs and chats follow at once; so do this window's.
 */
public class ChangeDisplayNameHandler {

    @CanExecute
    boolean canExecute(@Optional ParleyClient client) {
        return client != null && client.protocolVersion() >= 2;
    }

    @Execute
    void execute(@Named("activeShell") Shell shell, ParleyClient client) {
        new DisplayNameDialog(shell, client).open();
    }

    /** The dialog; the request runs while the dialog stays responsive (Cancel closes it). */
    static final class DisplayNameDialog extends TitleAreaDialog {
        private final ParleyClient client;
        private Text name;
        private boolean busy;

        DisplayNameDialog(Shell parent, ParleyClient client) {
            super(parent);
            this.client = client;
        }

        @Override
        protected void configureShell(Shell shell) {
            super.configureShell(shell);
            shell.setText(Messages.DisplayName_shellTitle);
        }

        @Override
        protected Control createDialogArea(Composite parent) {
            setTitle(Messages.DisplayName_title);
            setMessage(NLS.bind(Messages.DisplayName_message, client.user()));
            Composite area = (Composite) super.createDialogArea(parent);
            Composite c = new Composite(area, SWT.NONE);
            GridLayoutFactory.swtDefaults().numColumns(2).margins(10, 10).applyTo(c);
            GridDataFactory.fillDefaults().grab(true, true).applyTo(c);
            new Label(c, SWT.NONE).setText(Messages.DisplayName_label);
            name = new Text(c, SWT.BORDER);
            name.setData(LoginDialog.FIELD, "displayName");
            name.setTextLimit(100);
            name.setText(client.names().of(client.user()));
            name.selectAll();
            GridDataFactory.fillDefaults().grab(true, false).hint(260, SWT.DEFAULT).applyTo(name);
            name.setFocus();
            return area;
        }

        @Override
        protected void createButtonsForButtonBar(Composite parent) {
            createButton(parent, IDialogConstants.OK_ID, Messages.DisplayName_button, true);
            createButton(parent, IDialogConstants.CANCEL_ID, IDialogConstants.CANCEL_LABEL, false);
        }

        @Override
        protected void okPressed() {
            if (busy) {
                return;
            }
            setErrorMessage(null);
            busy = true;
            name.setEnabled(false);
            getButton(IDialogConstants.OK_ID).setEnabled(false);
            org.eclipse.swt.widgets.Display display = getShell().getDisplay();
            client.setDisplayName(name.getText().strip()).whenComplete((x, e) -> display.asyncExec(() -> {
                if (getShell() == null || getShell().isDisposed()) {
                    return;
                }
                busy = false;
                name.setEnabled(true);
                getButton(IDialogConstants.OK_ID).setEnabled(true);
                if (e == null) {
                    super.okPressed();
                    return;
                }
                Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                        ? e.getCause() : e;
                setErrorMessage(NLS.bind(Messages.DisplayName_failed, Desktop.inWords(cause)));
                name.setFocus();
            }));
        }
    }
}
