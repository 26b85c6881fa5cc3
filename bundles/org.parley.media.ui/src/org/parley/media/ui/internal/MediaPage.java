package org.parley.media.ui.internal;

import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.preference.PreferencePage;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;

/** Preferences &gt; Media (the media plug-in's page): whether videos and sounds play as soon as they open. */
public class MediaPage extends PreferencePage {

    private Button autoplay;

    public MediaPage() {
        setDescription(Messages.MediaPage_description);
    }

    @Override
    protected Control createContents(Composite parent) {
        Composite c = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().applyTo(c);
        autoplay = new Button(c, SWT.CHECK);
        autoplay.setText(Messages.MediaPage_autoplay);
        autoplay.setSelection(MediaPreferences.autoplay());
        return c;
    }

    @Override
    protected void performDefaults() {
        autoplay.setSelection(true);
        super.performDefaults();
    }

    @Override
    public boolean performOk() {
        if (autoplay != null) {
            MediaPreferences.autoplay(autoplay.getSelection());
        }
        return true;
    }
}
