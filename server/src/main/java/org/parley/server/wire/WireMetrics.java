package org.parley.server.wire;

/** What the wire layer reports for metrics (the server's {@code ops.Metrics} implements it). */
public interface WireMetrics {

    WireMetrics NONE = ok -> {
    };

    /** A Login, Register or Resume was answered: logged in ({@code ok}) or refused. */
    void login(boolean ok);
}
