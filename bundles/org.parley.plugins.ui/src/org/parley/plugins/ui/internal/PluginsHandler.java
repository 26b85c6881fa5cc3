package org.parley.plugins.ui.internal;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.ui.workbench.IWorkbench;
import org.eclipse.swt.widgets.Shell;

import jakarta.inject.Named;

/** Parley &gt; Plug-ins…: installs, updates and removes Parley features (p2). */
public class PluginsHandler {

    @Execute
    void execute(@Named("activeShell") Shell shell, IWorkbench workbench) {
        new PluginsDialog(shell, workbench).open();
    }
}
