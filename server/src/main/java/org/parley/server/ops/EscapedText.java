package org.parley.server.ops;

/** Escapes a value for a double-quoted field of a key=value log line: one line, quotes and backslashes escaped. */
final class EscapedText {

    private EscapedText() {
    }

    static void append(StringBuilder b, String s) {
        if (s == null) {
            b.append("null");
            return;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
    }
}
