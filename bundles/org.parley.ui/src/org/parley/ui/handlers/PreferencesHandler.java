package org.parley.ui.handlers;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.swt.widgets.Shell;
import org.parley.ui.internal.preferences.PreferencePages;

import jakarta.inject.Named;

/**
 * Parley &gt; Preferences…: the Eclipse preference dialog, one page per feature, each contributed by its plug-in
 * ({@code org.parley.ui.preferencePages}; {@link PreferencePages}).
 */
public class PreferencesHandler {

    @Execute
    void execute(@Named("activeShell") Shell shell) {
        PreferencePages.open(shell);
    }
}
