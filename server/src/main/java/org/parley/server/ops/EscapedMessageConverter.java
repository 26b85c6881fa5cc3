package org.parley.server.ops;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** {@code %emsg}: the formatted message, escaped for {@code msg="..."} (see {@link EscapedText}). */
public final class EscapedMessageConverter extends ClassicConverter {

    @Override
    public String convert(ILoggingEvent event) {
        StringBuilder b = new StringBuilder();
        EscapedText.append(b, event.getFormattedMessage());
        return b.toString();
    }
}
