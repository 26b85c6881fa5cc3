package org.parley.server.wire;

import org.parley.server.common.MessageStages;

/** What the wire layer reports for metrics (the server's {@code ops.Metrics} implements it). */
public interface WireMetrics {

    WireMetrics NONE = ok -> {
    };

    /** A Login, Register or Resume was answered: logged in ({@code ok}) or refused. */
    void login(boolean ok);

    /** Where the wire layer records a message's stages (setting {@code metrics-message-stages}). */
    default MessageStages stages() {
        return MessageStages.OFF;
    }
}
