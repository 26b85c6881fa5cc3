package org.parley.ui.handlers;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.TitleAreaDialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Spinner;
import org.parley.ui.Preferences;
import org.parley.ui.internal.Messages;

import jakarta.inject.Named;

/** Parley &gt; Preferences…: notifications, sound, reconnection, when the user counts as away. */
public class PreferencesHandler {

    @Execute
    void execute(@Named("activeShell") Shell shell) {
        new PreferencesDialog(shell).open();
    }

    static final class PreferencesDialog extends TitleAreaDialog {
        private Button notifications;
        private Button sound;
        private Spinner reconnect;
        private Spinner idle;
        private org.eclipse.swt.widgets.Text caFile;

        PreferencesDialog(Shell parent) {
            super(parent);
        }

        @Override
        protected void configureShell(Shell shell) {
            super.configureShell(shell);
            shell.setText("Preferences");
        }

        @Override
        protected Control createDialogArea(Composite parent) {
            setTitle("Parley preferences");
            setMessage("How Parley tells you about new messages, and how it reconnects.");
            Composite area = (Composite) super.createDialogArea(parent);
            Composite c = new Composite(area, SWT.NONE);
            GridLayoutFactory.swtDefaults().numColumns(2).margins(10, 10).applyTo(c);
            GridDataFactory.fillDefaults().grab(true, true).applyTo(c);
            notifications = check(c, "Show a &notification for new messages in chats not in front",
                    Preferences.notifications());
            sound = check(c, "Play a &sound with notifications", Preferences.sound());
            new Label(c, SWT.NONE).setText("&Longest wait between reconnection attempts (seconds):");
            reconnect = new Spinner(c, SWT.BORDER);
            reconnect.setValues(Preferences.maxReconnectSeconds(), 1, 600, 0, 1, 10);
            Label idleLabel = new Label(c, SWT.NONE);
            idleLabel.setText("&Away after (minutes without keyboard or mouse):");
            idleLabel.setToolTipText("Messages that arrive while you are away are delivered, not read, until you"
                    + " come back");
            idle = new Spinner(c, SWT.BORDER);
            idle.setValues(Preferences.idleMinutes(), 1, 120, 0, 1, 5);
            Label caLabel = new Label(c, SWT.NONE);
            caLabel.setText(Messages.Preferences_caFile);
            caLabel.setToolTipText(Messages.Preferences_caFileTooltip);
            Composite ca = new Composite(c, SWT.NONE);
            GridLayoutFactory.fillDefaults().numColumns(2).applyTo(ca);
            GridDataFactory.fillDefaults().grab(true, false).applyTo(ca);
            caFile = new org.eclipse.swt.widgets.Text(ca, SWT.BORDER);
            caFile.setText(Preferences.organizationCaFile());
            caFile.setToolTipText(Messages.Preferences_caFileTooltip);
            GridDataFactory.fillDefaults().grab(true, false).hint(220, SWT.DEFAULT).applyTo(caFile);
            Button browse = new Button(ca, SWT.PUSH);
            browse.setText(Messages.Preferences_browse);
            browse.addListener(SWT.Selection, e -> {
                org.eclipse.swt.widgets.FileDialog d = new org.eclipse.swt.widgets.FileDialog(getShell(), SWT.OPEN);
                d.setFilterExtensions(new String[] {"*.pem;*.crt;*.cer", "*"});
                String chosen = d.open();
                if (chosen != null) {
                    caFile.setText(chosen);
                }
            });
            return area;
        }

        private static Button check(Composite c, String text, boolean value) {
            Button b = new Button(c, SWT.CHECK);
            b.setText(text);
            b.setSelection(value);
            GridDataFactory.fillDefaults().span(2, 1).applyTo(b);
            return b;
        }

        @Override
        protected void okPressed() {
            Preferences.node().putBoolean(Preferences.NOTIFICATIONS, notifications.getSelection());
            Preferences.node().putBoolean(Preferences.SOUND, sound.getSelection());
            Preferences.node().putInt(Preferences.MAX_RECONNECT_SECONDS, reconnect.getSelection());
            Preferences.node().putInt(Preferences.IDLE_MINUTES, idle.getSelection());
            Preferences.node().put(Preferences.ORGANIZATION_CA_FILE, caFile.getText().strip());
            Preferences.save();
            super.okPressed();
        }

        @Override
        protected void createButtonsForButtonBar(Composite parent) {
            createButton(parent, IDialogConstants.OK_ID, "&Apply and Close", true);
            createButton(parent, IDialogConstants.CANCEL_ID, IDialogConstants.CANCEL_LABEL, false);
        }
    }
}
