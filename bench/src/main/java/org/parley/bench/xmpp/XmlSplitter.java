package org.parley.bench.xmpp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Cuts an XMPP byte stream into top-level elements (stanzas and stream-level elements such as features or SASL
 * answers), without parsing them: it only counts tag depth, minding quoted attribute values. The stream header
 * ({@code <stream:stream ...>}) is reported on its own. Enough for what XMPP servers send (no DTDs, no CDATA in
 * practice), and cheap enough for tens of thousands of connections in one process.
 */
final class XmlSplitter {

    private byte[] buf = new byte[4096];
    private int len;
    private int scan; // next byte to look at
    private int depth;
    private int elementStart = -1;
    private final Consumer<String> onElement;

    XmlSplitter(Consumer<String> onElement) {
        this.onElement = onElement;
    }

    /** A new stream starts (after SASL success): the next bytes are a fresh stream header. */
    void restart() {
        depth = 0;
        elementStart = -1;
    }

    void feed(byte[] data, int off, int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
        System.arraycopy(data, off, buf, len, n);
        len += n;
        parse();
    }

    private void parse() {
        while (true) {
            int lt = indexOf((byte) '<', scan);
            if (lt < 0) {
                scan = len;
                break;
            }
            int gt = tagEnd(lt);
            if (gt < 0) {
                scan = lt; // the tag is not complete yet: look again from its start
                break;
            }
            scan = gt + 1;
            byte kind = lt + 1 < len ? buf[lt + 1] : 0;
            if (kind == '?' || kind == '!') {
                continue; // XML declaration, comment
            }
            if (kind == '/') {
                depth--;
                if (depth == 1 && elementStart >= 0) {
                    emit(elementStart, scan);
                } else if (depth <= 0) {
                    onElement.accept("</stream:stream>");
                }
                continue;
            }
            boolean selfClosing = buf[gt - 1] == '/';
            if (depth == 0) {
                depth = 1; // the stream header
                onElement.accept(new String(buf, lt, scan - lt, StandardCharsets.UTF_8));
                continue;
            }
            if (depth == 1) {
                elementStart = lt;
            }
            if (selfClosing) {
                if (depth == 1) {
                    emit(lt, scan);
                }
            } else {
                depth++;
            }
        }
        // Everything before the current element (or, between elements, before the next incomplete tag) is done.
        int keepFrom = elementStart >= 0 ? elementStart : scan;
        if (keepFrom > 0) {
            System.arraycopy(buf, keepFrom, buf, 0, len - keepFrom);
            len -= keepFrom;
            scan -= keepFrom;
            if (elementStart >= 0) {
                elementStart -= keepFrom;
            }
        }
    }

    private void emit(int from, int to) {
        elementStart = -1;
        onElement.accept(new String(buf, from, to - from, StandardCharsets.UTF_8));
    }

    private int indexOf(byte b, int from) {
        for (int i = from; i < len; i++) {
            if (buf[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** The index of the '>' closing the tag opened at {@code lt}, skipping quoted values; -1 if not yet here. */
    private int tagEnd(int lt) {
        byte quote = 0;
        for (int i = lt + 1; i < len; i++) {
            byte b = buf[i];
            if (quote != 0) {
                if (b == quote) {
                    quote = 0;
                }
            } else if (b == '"' || b == '\'') {
                quote = b;
            } else if (b == '>') {
                return i;
            }
        }
        return -1;
    }
}
