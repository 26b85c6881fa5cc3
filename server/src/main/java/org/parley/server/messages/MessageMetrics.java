package org.parley.server.messages;

import org.parley.server.common.MessageStages;

/** What the messages feature reports for metrics (the server's {@code ops.Metrics} implements it). */
public interface MessageMetrics {

    MessageMetrics NONE = (stored, deliveries) -> {
    };

    /** A batch of {@code stored} new messages was stored and pushed in {@code deliveries} frames to connections. */
    void fannedOut(int stored, int deliveries);

    /** Where the message writer records a message's stages (setting {@code metrics-message-stages}). */
    default MessageStages stages() {
        return MessageStages.OFF;
    }
}
