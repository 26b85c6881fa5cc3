package org.parley.server.wire;

import org.slf4j.Marker;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Drops the ERROR lines MINA's I/O processor writes when a peer goes away under it ("Error 'Broken pipe' while
 * trying to write on session …", "Exception occured while trying to read, closing session"): any peer can cause
 * them at will by closing its socket while answers are on their way, so they would let it fill the disk. MINA
 * closes the session and reports the exception to the connection handler, which closes quietly (an
 * {@link java.io.IOException}). The processor's other messages pass. Installed in logback.xml.
 */
public final class PeerIoErrors extends TurboFilter {

    /** The processor logs as {@code IoProcessor} (its interface) or as its class, by MINA version. */
    private static final String MINA_CORE = "org.apache.mina.core.";

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
            Throwable t) {
        if (format != null && logger.getName().startsWith(MINA_CORE) && (format.startsWith("Error '")
                && format.contains("while trying to write") || format.startsWith("Exception occured while trying"))) {
            return FilterReply.DENY;
        }
        return FilterReply.NEUTRAL;
    }
}
