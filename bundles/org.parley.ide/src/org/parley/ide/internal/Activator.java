package org.parley.ide.internal;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.parley.chat.ui.SnippetOpener;

/** Offers the chat an editor to open snippets in (the {@link SnippetOpener} service) while this plug-in runs. */
public final class Activator implements BundleActivator {

    private ServiceRegistration<SnippetOpener> opener;

    @Override
    public void start(BundleContext context) {
        opener = context.registerService(SnippetOpener.class, new EditorSnippetOpener(), null);
    }

    @Override
    public void stop(BundleContext context) {
        if (opener != null) {
            opener.unregister();
        }
        ParleySession.get().shutdown();
    }
}
