package org.parley.ui.testing;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * Leaving a plug-in out of the running test runtime, as an organization would leave its feature out of the
 * product: the bundle is uninstalled (its model fragment and extensions go with it), then installed again. The
 * calling test bundle must not depend on that plug-in, or the framework refresh would restart it too.
 */
public final class Plugins {

    /** Something to run while the plug-in is gone. */
    public interface Body {
        void run() throws Exception;
    }

    private Plugins() {
    }

    /** Runs {@code body} with the bundle {@code symbolicName} uninstalled; installs and starts it again after. */
    public static void without(String symbolicName, Body body) throws Exception {
        BundleContext context = context();
        Bundle bundle = Arrays.stream(context.getBundles()).filter(b -> b.getSymbolicName().equals(symbolicName))
                .findFirst().orElseThrow(() -> new IllegalStateException(symbolicName + " is not installed"));
        // Installed again from where it is now (its recorded location may be relative to the launch).
        String location = "reference:" + org.eclipse.core.runtime.FileLocator.getBundleFile(bundle).toURI();
        int startLevel = bundle.adapt(org.osgi.framework.startlevel.BundleStartLevel.class).getStartLevel();
        bundle.uninstall();
        refresh(context, bundle);
        try {
            body.run();
        } finally {
            Bundle again = context.installBundle(location);
            again.adapt(org.osgi.framework.startlevel.BundleStartLevel.class).setStartLevel(startLevel);
            refresh(context, again);
            again.start(Bundle.START_ACTIVATION_POLICY);
        }
    }

    /** This bundle's context (it has no activator: started here when the runtime has not started it). */
    private static BundleContext context() {
        Bundle self = FrameworkUtil.getBundle(Plugins.class);
        if (self.getBundleContext() == null) {
            try {
                self.start(Bundle.START_TRANSIENT);
            } catch (org.osgi.framework.BundleException e) {
                throw new IllegalStateException(e);
            }
        }
        return self.getBundleContext();
    }

    private static void refresh(BundleContext context, Bundle bundle) throws InterruptedException {
        CountDownLatch refreshed = new CountDownLatch(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(List.of(bundle),
                e -> refreshed.countDown());
        if (!refreshed.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the framework did not refresh " + bundle.getSymbolicName());
        }
    }

    /** Whether a bundle of that name is installed now. */
    public static boolean installed(String symbolicName) throws Exception {
        return Arrays.stream(context().getBundles())
                .anyMatch(b -> b.getSymbolicName().equals(symbolicName));
    }
}
