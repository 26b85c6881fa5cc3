package org.parley.server.ops;

import java.util.function.BooleanSupplier;

/**
 * Liveness and readiness. Live: the process answers. Ready: storage is open (the schema migrated) and its check
 * passes, and the server is not stopping.
 */
public final class Health {

    private volatile BooleanSupplier storageCheck;
    private volatile boolean stopping;

    /** The server opened its storage and serves; {@code storageCheck} tells whether storage still works. */
    public void ready(BooleanSupplier check) {
        this.storageCheck = check;
    }

    /** The server is stopping: not ready any more. */
    public void stopping() {
        stopping = true;
    }

    /** Why the server is not ready, or null when it is. */
    public String notReadyReason() {
        BooleanSupplier check = storageCheck;
        if (stopping) {
            return "stopping";
        }
        if (check == null) {
            return "starting (storage opening or migrating)";
        }
        try {
            return check.getAsBoolean() ? null : "storage check failed";
        } catch (RuntimeException e) {
            return "storage check failed: " + e.getMessage();
        }
    }
}
