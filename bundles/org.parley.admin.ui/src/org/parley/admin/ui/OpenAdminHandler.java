package org.parley.admin.ui;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.model.application.ui.basic.MPartStack;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.eclipse.e4.ui.workbench.modeling.EPartService.PartState;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.widgets.Shell;
import org.parley.admin.core.AdminClient;
import org.parley.client.core.ParleyClient;
import org.parley.ui.ParleyUi;

import jakarta.inject.Named;

/** Opens the Administration part; enabled only while the signed-in account is an administrator. */
public final class OpenAdminHandler {

    public static final String DESCRIPTOR = "org.parley.admin.ui.part";

    @CanExecute
    boolean canExecute(@Optional ParleyClient client) {
        return client != null && new AdminClient(client).isAdmin();
    }

    @Execute
    void execute(@Named("activeShell") Shell shell, ParleyClient client, EPartService parts, EModelService models,
            MApplication application) {
        if (!new AdminClient(client).isAdmin()) {
            MessageDialog.openInformation(shell, Messages.Admin_title, Messages.Admin_notAdmin);
            return;
        }
        MPart part = parts.findPart(DESCRIPTOR);
        if (part == null) {
            part = parts.createPart(DESCRIPTOR);
            if (models.find(ParleyUi.MAIN_STACK, application) instanceof MPartStack main) {
                main.getChildren().add(part);
            }
        }
        parts.showPart(part, PartState.ACTIVATE);
    }
}
