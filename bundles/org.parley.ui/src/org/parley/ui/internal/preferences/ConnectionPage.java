package org.parley.ui.internal.preferences;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.preference.PreferencePage;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Spinner;
import org.eclipse.swt.widgets.Text;
import org.parley.ui.Preferences;

/**
 * Preferences &gt; Connection: the longest wait between reconnection attempts and the organization's CA
 * certificate ({@link Preferences#maxReconnectSeconds()}, {@link Preferences#organizationCaFile()}). Both apply
 * from the next sign-in.
 */
public class ConnectionPage extends PreferencePage {

    static final int DEFAULT_RECONNECT = 30;
    private Spinner reconnect;
    private Text caFile;

    public ConnectionPage() {
        setDescription(Messages.Connection_description);
    }

    @Override
    protected Control createContents(Composite parent) {
        Composite c = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(3).applyTo(c);
        new Label(c, SWT.NONE).setText(Messages.Connection_reconnect);
        reconnect = new Spinner(c, SWT.BORDER);
        reconnect.setValues(Preferences.maxReconnectSeconds(), 1, 600, 0, 1, 10);
        GridDataFactory.fillDefaults().span(2, 1).align(SWT.BEGINNING, SWT.CENTER).applyTo(reconnect);
        Label caLabel = new Label(c, SWT.NONE);
        caLabel.setText(Messages.Connection_caFile);
        caLabel.setToolTipText(Messages.Connection_caFileTooltip);
        caFile = new Text(c, SWT.BORDER);
        caFile.setText(Preferences.organizationCaFile());
        caFile.setToolTipText(Messages.Connection_caFileTooltip);
        caFile.setData("org.parley.ui.preferences.field", Preferences.ORGANIZATION_CA_FILE);
        caFile.addListener(SWT.Modify, e -> check());
        GridDataFactory.fillDefaults().grab(true, false).hint(200, SWT.DEFAULT).applyTo(caFile);
        Button browse = new Button(c, SWT.PUSH);
        browse.setText(Messages.Connection_browse);
        browse.addListener(SWT.Selection, e -> {
            FileDialog d = new FileDialog(getShell(), SWT.OPEN);
            d.setFilterExtensions(new String[] {"*.pem;*.crt;*.cer", "*"});
            String chosen = d.open();
            if (chosen != null) {
                caFile.setText(chosen);
            }
        });
        check();
        return c;
    }

    /** A CA file that is not there is said on the page, and cannot be applied. */
    private void check() {
        String file = caFile.getText().strip();
        boolean ok;
        try {
            ok = file.isEmpty() || Files.isRegularFile(Path.of(file));
        } catch (InvalidPathException e) {
            ok = false;
        }
        setErrorMessage(ok ? null : NLS.bind(Messages.Connection_caFileMissing, file));
        setValid(ok);
    }

    @Override
    protected void performDefaults() {
        reconnect.setSelection(DEFAULT_RECONNECT);
        caFile.setText("");
        super.performDefaults();
    }

    @Override
    public boolean performOk() {
        if (reconnect != null) {
            Preferences.node().putInt(Preferences.MAX_RECONNECT_SECONDS, reconnect.getSelection());
            Preferences.node().put(Preferences.ORGANIZATION_CA_FILE, caFile.getText().strip());
            Preferences.save();
        }
        return true;
    }
}
