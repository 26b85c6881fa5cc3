package org.parley.ui.internal;

import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.Platform;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;

/**
 * The declarative services runtime (Felix SCR), started by {@link ParleyApplication} on a thread of its own once the
 * sign-in window shows, and waited for before the workbench starts. Nothing in the sign-in window uses a declarative
 * service, but SCR, as soon as it starts, reads the component descriptions of every bundle and activates the
 * immediate ones of third-party bundles (E4's model assembler with the E4 model and EMF, the content type manager,
 * p2's framework administration): the product therefore does not start it at launch (its .product lists
 * {@code org.apache.felix.scr} without {@code autoStart}), so that this work is done while the user looks at the
 * window (docs/decisions/client-start.md). Where SCR is already active (started by the runtime's configuration,
 * as in the UI tests or an IDE), this does nothing.
 */
final class DeclarativeServices {

    /** The bundle of the declarative services runtime. */
    static final String SCR = "org.apache.felix.scr";

    private final AtomicReference<Thread> thread = new AtomicReference<>();

    /**
     * Starts SCR (transiently: the next launch defers it again) on a thread of its own, unless it is active already;
     * once only, later calls do nothing.
     */
    void startInBackground() {
        Thread t = new Thread(DeclarativeServices::startScr, "Parley: starting declarative services");
        t.setDaemon(true);
        if (thread.compareAndSet(null, t)) {
            t.start();
        }
    }

    private static void startScr() {
        Bundle scr = Platform.getBundle(SCR);
        if (scr == null) {
            ILog.of(DeclarativeServices.class).error("The declarative services runtime (" + SCR
                    + ") is not installed: the workbench will lack its services");
            return;
        }
        if (scr.getState() == Bundle.ACTIVE) {
            return;
        }
        try {
            scr.start(Bundle.START_TRANSIENT);
        } catch (BundleException | RuntimeException e) {
            ILog.of(DeclarativeServices.class).error("The declarative services runtime could not be started", e);
        }
    }

    /**
     * Waits until SCR has started (it has then activated the immediate components of the bundles started); at once
     * when it was never asked to start.
     */
    void await() {
        Thread t = thread.get();
        if (t == null) {
            return;
        }
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
