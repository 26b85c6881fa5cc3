package org.parley.ide.internal;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.HandlerEvent;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.handlers.HandlerUtil;

/** Sign In to Parley: the login dialog, then the Contacts view. Enabled while signed out. */
public final class SignInHandler extends AbstractHandler {

    private final Runnable changed = () -> fireHandlerChanged(new HandlerEvent(this, true, false));

    public SignInHandler() {
        ParleySession.get().addListener(changed);
    }

    @Override
    public Object execute(ExecutionEvent event) {
        if (ParleySession.get().signIn(HandlerUtil.getActiveShell(event))) {
            IWorkbenchPage page = HandlerUtil.getActiveWorkbenchWindow(event) == null ? null
                    : HandlerUtil.getActiveWorkbenchWindow(event).getActivePage();
            if (page != null) {
                try {
                    page.showView(ContactsView.ID);
                } catch (PartInitException e) {
                    org.eclipse.core.runtime.ILog.of(SignInHandler.class).error("cannot show the contacts", e);
                }
            }
        }
        return null;
    }

    @Override
    public boolean isEnabled() {
        return ParleySession.get().client() == null;
    }

    @Override
    public void dispose() {
        ParleySession.get().removeListener(changed);
        super.dispose();
    }
}
