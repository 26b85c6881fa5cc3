package org.parley.ui.internal;

import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.core.runtime.IConfigurationElement;
import org.eclipse.core.runtime.IExtension;
import org.eclipse.core.runtime.IProduct;
import org.eclipse.core.runtime.Platform;
import org.eclipse.core.runtime.RegistryFactory;
import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.widgets.Display;
import org.parley.client.core.ParleyClient;
import org.parley.ui.LoginDialog;

/**
 * The product's application ({@code org.parley.ui.application}): the sign-in window first, made with SWT and JFace
 * alone, and only once signed in (or a remembered session resumed) the E4 workbench, which it starts as the
 * application it is ({@code org.eclipse.e4.ui.workbench.swt.E4Application}). Before, the E4 application opened
 * the sign-in window from its life-cycle manager, so that the workbench's bundles, its dependency injection,
 * services and model code were loaded before the user saw anything (docs/performance.md, "Client").
 * <p>
 * The declarative services runtime, which the workbench needs and the sign-in window does not, is started once the
 * window shows and waited for before the workbench starts ({@link DeclarativeServices}).
 * <p>
 * The client that signed in is handed to the workbench's {@link org.parley.ui.LifeCycle}, which puts it into the
 * application's context. Cancel closes Parley without starting the workbench. The E4 application started directly
 * (the UI tests do) still works: its life-cycle manager then opens the sign-in window itself.
 */
public final class ParleyApplication implements IApplication {

    /** The E4 application's extension (in org.eclipse.e4.ui.workbench.swt). */
    static final String E4_APPLICATION = "org.eclipse.e4.ui.workbench.swt.E4Application";

    private static final AtomicReference<ParleyClient> SIGNED_IN = new AtomicReference<>();

    private volatile Display display;
    private volatile LoginDialog login;
    private volatile IApplication workbench;

    @Override
    public Object start(IApplicationContext context) throws Exception {
        // The application's name before the display exists, as E4 sets it (the window manager's class, menus).
        IProduct product = Platform.getProduct();
        if (product != null && product.getName() != null) {
            Display.setAppName(product.getName());
        }
        display = Display.getDefault();
        context.applicationRunning();
        login = new LoginDialog(null);
        // Runs once the dialog's window is open (the first turn of its event loop): the declarative services the
        // workbench needs start while the user looks at the window, not before it.
        DeclarativeServices services = new DeclarativeServices();
        display.asyncExec(services::startInBackground);
        boolean signedIn = login.open() == Window.OK && login.client() != null;
        ParleyClient client = login.client();
        login = null;
        if (!signedIn) {
            services.await(); // not to stop the framework while SCR is starting
            display.dispose();
            return EXIT_OK;
        }
        services.startInBackground(); // started already unless the dialog closed before its event loop ran
        services.await();
        SIGNED_IN.set(client);
        IApplication e4 = e4Application();
        workbench = e4;
        return e4.start(context); // uses this display (the thread's default) and disposes it at the end
    }

    @Override
    public void stop() {
        IApplication e4 = workbench;
        if (e4 != null) {
            e4.stop();
            return;
        }
        Display d = display;
        if (d != null && !d.isDisposed()) {
            d.asyncExec(() -> {
                LoginDialog dialog = login;
                if (dialog != null) {
                    dialog.close();
                }
            });
        }
    }

    /**
     * The client signed in before the workbench started, once (the life-cycle manager takes it into the
     * application's context); null when the workbench was started without this application.
     */
    public static ParleyClient takeSignedIn() {
        return SIGNED_IN.getAndSet(null);
    }

    private static IApplication e4Application() throws Exception {
        IExtension extension = RegistryFactory.getRegistry().getExtension("org.eclipse.core.runtime.applications",
                E4_APPLICATION);
        if (extension == null) {
            throw new IllegalStateException("The E4 application is not installed (" + E4_APPLICATION + ")");
        }
        for (IConfigurationElement application : extension.getConfigurationElements()) {
            for (IConfigurationElement run : application.getChildren("run")) {
                return (IApplication) run.createExecutableExtension("class");
            }
        }
        throw new IllegalStateException("The E4 application has no class to run (" + E4_APPLICATION + ")");
    }
}
