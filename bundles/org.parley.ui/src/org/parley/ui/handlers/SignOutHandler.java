package org.parley.ui.handlers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.inject.Named;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.ui.MElementContainer;
import org.eclipse.e4.ui.model.application.ui.MUIElement;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.model.application.ui.basic.MWindow;
import org.eclipse.e4.ui.workbench.IWorkbench;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.parley.client.core.ParleyClient;
import org.parley.ui.LoginDialog;
import org.parley.ui.internal.layout.KeptLayout;

/**
 * Parley &gt; Sign out: the window puts away everything of the signed-out user (chats and viewers are closed, the
 * side parts are taken down until the next sign-in), the client leaves the application's context, the server
 * forgets this device's session, and the login dialog opens in front of the same window; whoever signs in there
 * gets their own contacts and chats. Cancel in that dialog closes Parley, as at start. Quitting is Parley &gt;
 * Quit. Telling the server is a job (in the status line, with Cancel): with a slow or unreachable server the
 * answer can take the client's whole request timeout, and the window must stay usable meanwhile.
 */
public class SignOutHandler {

    @CanExecute
    boolean canExecute(@Optional ParleyClient client) {
        return client != null;
    }

    @Execute
    void execute(@Named("activeShell") Shell shell, ParleyClient client, MApplication application, MWindow window,
            EModelService models, IWorkbench workbench) {
        if (!MessageDialog.openConfirm(shell, "Sign out", "Sign out of Parley on this computer?")) {
            return;
        }
        // Forgotten at once, whatever the server answers: the next sign-in asks for the password.
        org.eclipse.core.runtime.preferences.IEclipsePreferences prefs = org.parley.ui.Preferences.node();
        org.parley.ui.secure.SecureStore.ofProfile().forgetToken(prefs.get("host", ""), prefs.getInt("port", 0),
                client.user());
        SignedOutWindow away;
        try {
            away = SignedOutWindow.putAway(application, models, KeptLayout.account(client));
        } finally {
            // The parts that required the client are gone: now it can leave the context (the title, the status
            // line and the add-ons follow).
            application.getContext().remove(ParleyClient.class);
        }
        Display display = shell.getDisplay();
        Job job = Job.create("Signing out of Parley", monitor -> {
            monitor.beginTask("Signing out of Parley", IProgressMonitor.UNKNOWN);
            CompletableFuture<Void> out = client.logout();
            while (!out.isDone() && !monitor.isCanceled()) { // wait in slices: Cancel goes on at once
                try {
                    out.get(200, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    // not yet
                } catch (ExecutionException e) {
                    break; // offline: the server forgets the session when it expires
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            client.close();
            monitor.done();
            if (!display.isDisposed()) {
                display.asyncExec(() -> signInAgain(window.getWidget() instanceof Shell w ? w : shell, application,
                        models, away, workbench));
            }
            return Status.OK_STATUS;
        });
        job.setUser(true);
        job.schedule();
    }

    /** The login dialog in front of the window; the signed-in user's parts come back, or Parley closes. */
    private static void signInAgain(Shell window, MApplication application, EModelService models,
            SignedOutWindow away, IWorkbench workbench) {
        if (window.isDisposed()) {
            return;
        }
        LoginDialog login = new LoginDialog(window);
        if (login.open() != Window.OK || login.client() == null) {
            workbench.close();
            return;
        }
        application.getContext().set(ParleyClient.class, login.client());
        away.bringBack();
        KeptLayout.signedIn(application, models, KeptLayout.account(login.client())); // their chats come back
    }

    /**
     * What the window showed for the user who signed out. Parts made from descriptors (chats, viewers) belong to
     * that user and are parked until they sign in again ({@link KeptLayout}); the parts of the application's layout
     * (contacts, transfers, and what other plug-ins put there) are taken down, which disposes them, and rendered
     * again for the next user.
     */
    static final class SignedOutWindow {
        private final List<MPart> hidden = new ArrayList<>();
        private final Map<MElementContainer<MUIElement>, MUIElement> selected = new LinkedHashMap<>();

        static SignedOutWindow putAway(MApplication application, EModelService models, String account) {
            SignedOutWindow w = new SignedOutWindow();
            KeptLayout.signedOut(application, models, account);
            // The part in front of each stack goes last: taking one down earlier would bring another forward and
            // create it (the Transfers part, say) just to take it down again.
            List<MPart> all = new ArrayList<>(models.findElements(application, null, MPart.class, null));
            all.sort(java.util.Comparator.comparing(p -> p.getParent() != null
                    && p.getParent().getSelectedElement() == p));
            for (MPart p : all) {
                MElementContainer<MUIElement> parent = p.getParent();
                if (p.isToBeRendered()) {
                    if (parent != null && !w.selected.containsKey(parent)) {
                        w.selected.put(parent, parent.getSelectedElement());
                    }
                    p.setToBeRendered(false);
                    w.hidden.add(p);
                }
            }
            return w;
        }

        void bringBack() {
            hidden.forEach(p -> p.setToBeRendered(true));
            selected.forEach((stack, element) -> {
                if (element != null && stack.getChildren().contains(element)) {
                    stack.setSelectedElement(element);
                }
            });
        }
    }
}
