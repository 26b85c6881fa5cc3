package org.parley.server.ops;

import java.util.List;

import org.slf4j.event.KeyValuePair;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * {@code %ekvp}: the event's key/value pairs as {@code key="value"} separated by spaces, values escaped (see
 * {@link EscapedText}); a key is kept to letters, digits, '.', '_' and '-' (others become '_').
 */
public final class EscapedKeyValueConverter extends ClassicConverter {

    @Override
    public String convert(ILoggingEvent event) {
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs == null || pairs.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (KeyValuePair kv : pairs) {
            if (!b.isEmpty()) {
                b.append(' ');
            }
            String key = String.valueOf(kv.key);
            for (int i = 0; i < key.length(); i++) {
                char c = key.charAt(i);
                b.append(Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-' ? c : '_');
            }
            b.append("=\"");
            EscapedText.append(b, kv.value == null ? null : String.valueOf(kv.value));
            b.append('"');
        }
        return b.toString();
    }
}
