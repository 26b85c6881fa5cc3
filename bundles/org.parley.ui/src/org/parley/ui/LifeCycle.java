package org.parley.ui;

import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.ui.basic.MPartStack;
import org.eclipse.e4.ui.workbench.IWorkbench;
import org.eclipse.e4.ui.workbench.lifecycle.PostContextCreate;
import org.eclipse.e4.ui.workbench.lifecycle.ProcessAdditions;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.e4.ui.workbench.lifecycle.PreSave;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.widgets.Display;
import org.parley.client.core.ParleyClient;
import org.parley.ui.internal.ParleyApplication;
import org.parley.ui.internal.layout.KeptLayout;

/**
 * The workbench's life-cycle manager: puts the signed-in client and the user's activity ({@link UserActivity}) into
 * the application context (signing in first when the workbench was started without {@link ParleyApplication}), and
 * fits the kept layout to the installed plug-ins and the account.
 */
public class LifeCycle {

    /** The application tag that turns E4's min/max add-on off. */
    private static final String NO_MIN_MAX = "DisableMinMaxAddon";

    private boolean cancelled;

    /**
     * The product's application ({@link ParleyApplication}) signed in before the workbench started: its client goes
     * into the context. Started as the E4 application itself (the UI tests), the sign-in window opens here.
     */
    @PostContextCreate
    void postContextCreate(IEclipseContext context) {
        org.parley.ui.internal.MenuShortcuts.install(Display.getDefault(), context);
        context.set(UserActivity.class, UserActivity.of(Display.getDefault()));
        ParleyClient client = ParleyApplication.takeSignedIn();
        if (client == null) {
            LoginDialog login = new LoginDialog(null);
            if (login.open() != Window.OK || login.client() == null) {
                // Signing in was cancelled: there is nothing to show. E4 cannot stop here, so no window is
                // rendered (see processAdditions) and the workbench closes as soon as it runs: an orderly exit.
                cancelled = true;
                closeWhenRunning(Display.getDefault(), context);
                return;
            }
            client = login.client();
        }
        context.set(ParleyClient.class, client);
    }

    private static void closeWhenRunning(Display display, IEclipseContext context) {
        display.asyncExec(() -> {
            IWorkbench workbench = context.get(IWorkbench.class);
            if (workbench != null) {
                workbench.close();
            } else if (!display.isDisposed()) {
                display.timerExec(50, () -> closeWhenRunning(display, context));
            }
        });
    }

    /**
     * After the plug-ins' model fragments are merged into the saved model (or the initial one): what the installed
     * plug-ins no longer provide is left out, the signed-in account's chats are in the window and nobody else's
     * ({@link KeptLayout}); a side stack that no plug-in filled (the contacts plug-in left out) is not shown,
     * instead of an empty frame.
     */
    @ProcessAdditions
    void processAdditions(IEclipseContext context, MApplication application, EModelService models) {
        if (cancelled) {
            application.getChildren().forEach(w -> w.setToBeRendered(false));
            return;
        }
        // No minimize and maximize buttons on the stacks (E4's min/max add-on, which its processor puts into every
        // application): a chat window has no use for them, and in a narrow window they cut the sidebar's tabs.
        if (!application.getTags().contains(NO_MIN_MAX)) {
            application.getTags().add(NO_MIN_MAX);
        }
        java.net.URL base = LifeCycle.class.getResource("/Application.e4xmi");
        if (base != null) {
            KeptLayout.addFromBase(application, base);
        }
        KeptLayout.repair(application);
        ParleyClient client = context.get(ParleyClient.class);
        if (client != null) {
            KeptLayout.signedIn(application, models, KeptLayout.account(client));
        }
        if (models.find(ParleyUi.SIDE_STACK, application) instanceof MPartStack side && side.getChildren().isEmpty()) {
            side.setToBeRendered(false);
        }
    }

    /**
     * The model is saved (window size, part sizes, open chats): the chats opened since the start are marked as the
     * signed-in account's. The session stays resumable: closing the window does not log out.
     */
    @PreSave
    void preSave(IEclipseContext context, MApplication application, EModelService models) {
        ParleyClient client = context.get(ParleyClient.class);
        if (client != null) {
            KeptLayout.tag(application, models, KeptLayout.account(client));
        }
    }
}
