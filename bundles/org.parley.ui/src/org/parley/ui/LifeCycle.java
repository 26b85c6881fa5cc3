package org.parley.ui;

import org.eclipse.e4.ui.workbench.lifecycle.PostContextCreate;

/** The application's life cycle hooks (login before the window opens comes here). */
public class LifeCycle {

    @PostContextCreate
    void postContextCreate() {
        // Nothing yet: the login dialog will be shown here, before the workbench window is created.
    }
}
