package org.parley.bench.xmpp;

/** The few string operations the driver needs on a stanza it knows the shape of. */
final class Xml {

    private Xml() {
    }

    /** The value of an attribute of the element's first tag, or null. */
    static String attr(String element, String name) {
        int end = element.indexOf('>');
        for (int i = element.indexOf(' ' + name + '='); i >= 0 && i < end;
                i = element.indexOf(' ' + name + '=', i + 1)) {
            int q = i + name.length() + 2;
            char quote = element.charAt(q);
            int close = element.indexOf(quote, q + 1);
            return unescape(element.substring(q + 1, close));
        }
        return null;
    }

    /** The text of the first {@code <name>} child (anywhere inside), unescaped, or null. */
    static String text(String element, String name) {
        int open = element.indexOf('<' + name);
        while (open >= 0) {
            char after = element.charAt(open + name.length() + 1);
            if (after == '>' || after == ' ') {
                break;
            }
            open = element.indexOf('<' + name, open + 1);
        }
        if (open < 0) {
            return null;
        }
        int start = element.indexOf('>', open) + 1;
        if (element.charAt(start - 2) == '/') {
            return "";
        }
        int end = element.indexOf("</" + name + '>', start);
        return end < 0 ? null : unescape(element.substring(start, end));
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '\'' -> b.append("&apos;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    static String unescape(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
                .replace("&amp;", "&");
    }
}
