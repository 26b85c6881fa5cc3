package org.parley.ide.internal;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.HandlerEvent;
import org.eclipse.ui.handlers.HandlerUtil;

/**
 * Sign Out of Parley: asks, forgets the kept session, and puts the Parley views back to their "Sign in" prompt
 * (the IDE stays open, unlike in the Parley application). Enabled while signed in.
 */
public final class SignOutHandler extends AbstractHandler {

    private final Runnable changed = () -> fireHandlerChanged(new HandlerEvent(this, true, false));

    public SignOutHandler() {
        ParleySession.get().addListener(changed);
    }

    @Override
    public Object execute(ExecutionEvent event) {
        ParleySession.get().signOut(HandlerUtil.getActiveShell(event), ParleySession.confirmSignOut);
        return null;
    }

    @Override
    public boolean isEnabled() {
        return ParleySession.get().client() != null;
    }

    @Override
    public void dispose() {
        ParleySession.get().removeListener(changed);
        super.dispose();
    }
}
