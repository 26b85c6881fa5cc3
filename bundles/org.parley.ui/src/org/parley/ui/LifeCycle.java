package org.parley.ui;

import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.ui.basic.MPartStack;
import org.eclipse.e4.ui.workbench.lifecycle.PostContextCreate;
import org.eclipse.e4.ui.workbench.lifecycle.ProcessAdditions;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.e4.ui.workbench.lifecycle.PreSave;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.widgets.Display;
import org.parley.client.core.ParleyClient;

/** Signs the user in before the workbench window opens, and puts the client into the application context. */
public class LifeCycle {

    @PostContextCreate
    void postContextCreate(IEclipseContext context) {
        Display display = Display.getDefault();
        LoginDialog login = new LoginDialog(null);
        if (login.open() != Window.OK || login.client() == null) {
            display.dispose();
            System.exit(0); // signing in was cancelled: there is nothing to show
        }
        context.set(ParleyClient.class, login.client());
    }

    /**
     * After the plug-ins' model fragments are merged: a side stack that no plug-in filled (the contacts plug-in left
     * out) is not shown, instead of an empty frame.
     */
    @ProcessAdditions
    void processAdditions(MApplication application, EModelService models) {
        if (models.find(ParleyUi.SIDE_STACK, application) instanceof MPartStack side && side.getChildren().isEmpty()) {
            side.setToBeRendered(false);
        }
    }

    @PreSave
    void preSave(IEclipseContext context) {
        // The session stays resumable: closing the window does not log out.
    }
}
