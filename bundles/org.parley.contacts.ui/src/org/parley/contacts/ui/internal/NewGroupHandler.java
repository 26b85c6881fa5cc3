package org.parley.contacts.ui.internal;

import java.util.Arrays;
import java.util.List;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.eclipse.jface.dialogs.InputDialog;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.widgets.Shell;
import org.parley.client.core.ParleyClient;
import org.parley.ui.ChatOpener;

import jakarta.inject.Named;

/** Parley &gt; New group… (Ctrl+G): a title and members, then the group's chat opens. */
public class NewGroupHandler {

    @Execute
    void execute(@Named("activeShell") Shell shell, ParleyClient client, EPartService parts, EModelService models,
            MApplication application) {
        InputDialog title = new InputDialog(shell, "New group", "Name of the group:", "",
                s -> s.strip().isEmpty() ? "Enter a name" : s.length() > 100 ? "At most 100 characters" : null);
        if (title.open() != Window.OK) {
            return;
        }
        InputDialog members = new InputDialog(shell, "New group", "Members (user names, separated by commas):", "",
                s -> s.strip().isEmpty() ? "Enter at least one user name" : null);
        if (members.open() != Window.OK) {
            return;
        }
        List<String> users = Arrays.stream(members.getValue().split("[,\\s]+")).filter(s -> !s.isBlank()).toList();
        client.createGroup(title.getValue().strip(), users).whenComplete((c, e) -> shell.getDisplay().asyncExec(() -> {
            if (shell.isDisposed()) {
                return;
            }
            if (e != null) {
                MessageDialog.openError(shell, "New group", e.getCause() != null ? e.getCause().getMessage()
                        : e.getMessage());
            } else {
                ChatOpener.open(parts, models, application, c);
            }
        }));
    }
}
