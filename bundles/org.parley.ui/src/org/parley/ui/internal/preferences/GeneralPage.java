package org.parley.ui.internal.preferences;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.preference.PreferencePage;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Spinner;
import org.parley.ui.Preferences;

/** Preferences &gt; General: when the user counts as away ({@link Preferences#idleMinutes()}). */
public class GeneralPage extends PreferencePage {

    static final int DEFAULT_IDLE = 5;
    private Spinner idle;

    public GeneralPage() {
        setDescription(Messages.General_description);
    }

    @Override
    protected Control createContents(Composite parent) {
        Composite c = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(2).applyTo(c);
        Label label = new Label(c, SWT.NONE);
        label.setText(Messages.General_idle);
        label.setToolTipText(Messages.General_idleTooltip);
        idle = new Spinner(c, SWT.BORDER);
        idle.setValues(Preferences.idleMinutes(), 1, 120, 0, 1, 5);
        idle.setToolTipText(Messages.General_idleTooltip);
        GridDataFactory.fillDefaults().applyTo(idle);
        return c;
    }

    @Override
    protected void performDefaults() {
        idle.setSelection(DEFAULT_IDLE);
        super.performDefaults();
    }

    @Override
    public boolean performOk() {
        if (idle != null) {
            Preferences.node().putInt(Preferences.IDLE_MINUTES, idle.getSelection());
            Preferences.save();
        }
        return true;
    }
}
