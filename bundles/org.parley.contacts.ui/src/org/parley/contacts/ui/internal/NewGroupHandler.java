package org.parley.contacts.ui.internal;

import java.util.List;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.widgets.Shell;
import org.parley.client.core.ParleyClient;
import org.parley.ui.ChatOpener;

import jakarta.inject.Named;

/** Parley &gt; New group… (Ctrl+G): a name and members from the member picker, then the group's chat opens. */
public class NewGroupHandler {

    @Execute
    void execute(@Named("activeShell") Shell shell, ParleyClient client, EPartService parts, EModelService models,
            MApplication application) {
        MemberPickerDialog picker = new MemberPickerDialog(shell, client, null, List.of(client.user()));
        if (picker.open() != Window.OK) {
            return;
        }
        client.createGroup(picker.groupName(), picker.chosen()).whenComplete((c, e) -> shell.getDisplay().asyncExec(
                () -> {
                    if (shell.isDisposed()) {
                        return;
                    }
                    if (e != null) {
                        MessageDialog.openError(shell, Messages.Picker_newGroupShell, e.getCause() != null
                                ? e.getCause().getMessage() : e.getMessage());
                    } else {
                        ChatOpener.open(parts, models, application, c);
                    }
                }));
    }
}
