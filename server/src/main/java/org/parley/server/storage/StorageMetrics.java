package org.parley.server.storage;

/** What storage reports for metrics (the server's {@code ops.Metrics} implements it). */
public interface StorageMetrics {

    StorageMetrics NONE = new StorageMetrics() {
        @Override
        public void messagesWritten(long nanos) {
        }

        @Override
        public void synced(long nanos) {
        }
    };

    /** A batch of messages was written (committed), in {@code nanos}; the sync, if any, is not included. */
    void messagesWritten(long nanos);

    /** The data was forced to the device (fsync), in {@code nanos}. */
    void synced(long nanos);
}
