package org.parley.filetransfer.core;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A received file's name made safe to save under on any system, whatever the server sent (it may be an older or
 * another server that does not clean names): no path separators or "..", no control, invisible or
 * bidirectional-control characters (which would make {@code invoice\u202Egnp.exe} look like a PNG), none of the
 * characters Windows forbids ({@code : * ? " < > |}; {@code :} is also its stream syntax), no trailing dots or
 * spaces (Windows drops them, so {@code x.exe.} would be an {@code .exe}), no leading dots (hidden files), and no
 * Windows device name ({@code CON}, {@code com1.txt} get a {@code _} in front). At most 200 characters, keeping
 * the end (the extension).
 */
public final class SafeNames {

    private static final int MAX = 200;
    private static final Pattern DEVICE = Pattern.compile(
            "(con|prn|aux|nul|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3]|conin\\$|conout\\$|clock\\$)");

    private SafeNames() {
    }

    /** The name to save {@code name} under; "file" when nothing usable is left. */
    public static String forSaving(String name) {
        String n = name == null ? "" : Normalizer.normalize(name, Normalizer.Form.NFC);
        StringBuilder b = new StringBuilder(n.length());
        n.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp) || invisible(cp)) {
                return;
            }
            b.appendCodePoint("/\\:*?\"<>|".indexOf(cp) >= 0 ? '_' : cp);
        });
        String s = b.toString().strip();
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '.' || Character.isWhitespace(s.charAt(end - 1)))) {
            end--;
        }
        int start = 0;
        while (start < end && (s.charAt(start) == '.' || Character.isWhitespace(s.charAt(start)))) {
            start++;
        }
        s = s.substring(start, end);
        if (s.length() > MAX) {
            s = s.substring(s.length() - MAX).strip();
        }
        if (s.isEmpty()) {
            return "file";
        }
        int dot = s.indexOf('.');
        String base = (dot < 0 ? s : s.substring(0, dot)).stripTrailing().toLowerCase(Locale.ROOT);
        return DEVICE.matcher(base).matches() ? "_" + s : s;
    }

    /**
     * Characters that show as nothing or reorder what follows: format characters (bidirectional controls, zero-width
     * characters, the byte order mark, soft hyphens), line and paragraph separators, the combining grapheme joiner,
     * Hangul fillers and variation selectors.
     */
    private static boolean invisible(int cp) {
        int type = Character.getType(cp);
        return type == Character.FORMAT || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || cp == 0x034F || cp == 0x115F || cp == 0x1160 || cp == 0x3164 || cp == 0xFFA0
                || cp >= 0xFE00 && cp <= 0xFE0F || cp >= 0xE0100 && cp <= 0xE01EF;
    }
}
