package org.parley.filetransfer.ui.internal;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.preference.PreferencePage;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.osgi.service.prefs.BackingStoreException;
import org.parley.filetransfer.core.DownloadFolder;
import org.parley.filetransfer.ui.Downloads;

/**
 * Preferences &gt; File transfer (this plug-in's page): the folder "Save as…" starts in (empty: the desktop's
 * Downloads folder) and whether it starts in the last folder saved to instead ({@link Downloads#startFolder()}).
 */
public class FileTransferPage extends PreferencePage {

    private Text folder;
    private Button remember;

    public FileTransferPage() {
        setDescription(Messages.FileTransferPage_description);
    }

    @Override
    protected Control createContents(Composite parent) {
        IEclipsePreferences prefs = Downloads.preferences();
        Composite c = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(3).applyTo(c);
        new Label(c, SWT.NONE).setText(Messages.FileTransferPage_folder);
        folder = new Text(c, SWT.BORDER);
        folder.setMessage(NLS.bind(Messages.FileTransferPage_folderHint, DownloadFolder.ofSystem().downloads()));
        folder.setText(prefs.get(Downloads.DOWNLOAD_FOLDER, ""));
        folder.setData("org.parley.ui.preferences.field", Downloads.DOWNLOAD_FOLDER);
        folder.addListener(SWT.Modify, e -> check());
        GridDataFactory.fillDefaults().grab(true, false).hint(200, SWT.DEFAULT).applyTo(folder);
        Button browse = new Button(c, SWT.PUSH);
        browse.setText(Messages.FileTransferPage_browse);
        browse.addListener(SWT.Selection, e -> {
            DirectoryDialog d = new DirectoryDialog(getShell());
            d.setText(Messages.FileTransferPage_chooseFolder);
            d.setFilterPath(Downloads.startFolder().toString());
            String chosen = d.open();
            if (chosen != null) {
                folder.setText(chosen);
            }
        });
        remember = new Button(c, SWT.CHECK);
        remember.setText(Messages.FileTransferPage_remember);
        remember.setSelection(prefs.getBoolean(Downloads.REMEMBER_LAST_FOLDER, true));
        GridDataFactory.fillDefaults().span(3, 1).applyTo(remember);
        check();
        return c;
    }

    /** A folder that is not there is said on the page, and cannot be applied. */
    private void check() {
        String f = folder.getText().strip();
        boolean ok;
        try {
            ok = f.isEmpty() || Path.of(f).isAbsolute() && Files.isDirectory(Path.of(f));
        } catch (InvalidPathException e) {
            ok = false;
        }
        setErrorMessage(ok ? null : NLS.bind(Messages.FileTransferPage_noFolder, f));
        setValid(ok);
    }

    @Override
    protected void performDefaults() {
        folder.setText("");
        remember.setSelection(true);
        super.performDefaults();
    }

    @Override
    public boolean performOk() {
        if (folder != null) {
            IEclipsePreferences prefs = Downloads.preferences();
            prefs.put(Downloads.DOWNLOAD_FOLDER, folder.getText().strip());
            prefs.putBoolean(Downloads.REMEMBER_LAST_FOLDER, remember.getSelection());
            try {
                prefs.flush();
            } catch (BackingStoreException e) {
                // in effect for this session
            }
        }
        return true;
    }
}
