package org.parley.server.files;

import java.text.Normalizer;
import java.util.regex.Pattern;

import org.parley.protocol.ErrorCode;
import org.parley.server.common.ParleyException;

/**
 * The name a file is shown to others under, made unable to lie: invisible and bidirectional-control characters go
 * ({@code invoice\u202Egnp.exe} would show as "invoiceexe.png"), the stream syntax of Windows file systems
 * ({@code a.txt:evil.exe}) becomes an underscore, trailing dots and spaces (which Windows drops, so that
 * {@code x.exe.} is an {@code .exe}) go, and a reserved device name ({@code CON}, {@code com1.txt}) gets an
 * underscore in front. Control characters and path separators are refused, as before.
 */
final class FileNames {

    static final int MAX_NAME = 255;

    /** DOS device names, reserved in every directory of Windows, with any extension. */
    private static final Pattern DEVICE = Pattern.compile(
            "(con|prn|aux|nul|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3]|conin\\$|conout\\$|clock\\$)");

    private FileNames() {
    }

    /** The name as shown to the conversation's members; INVALID_ARGUMENT when nothing usable is left. */
    static String clean(String raw) {
        if (raw != null && raw.length() > 8 * MAX_NAME) { // NFC composes a few characters into one at most
            throw refused();
        }
        String name = raw == null ? "" : Normalizer.normalize(raw, Normalizer.Form.NFC);
        if (name.chars().anyMatch(ch -> ch == '/' || ch == '\\' || Character.isISOControl(ch))) {
            throw refused();
        }
        StringBuilder b = new StringBuilder(name.length());
        name.codePoints().forEach(cp -> {
            if (invisible(cp)) {
                return;
            }
            b.appendCodePoint(cp == ':' ? '_' : cp);
        });
        // Leading white space; trailing white space and dots.
        int end = b.length();
        while (end > 0 && (Character.isWhitespace(b.charAt(end - 1)) || Character.isSpaceChar(b.charAt(end - 1))
                || b.charAt(end - 1) == '.')) {
            end--;
        }
        int start = 0;
        while (start < end && (Character.isWhitespace(b.charAt(start)) || Character.isSpaceChar(b.charAt(start)))) {
            start++;
        }
        String cleaned = b.substring(start, end);
        if (cleaned.isEmpty()) {
            throw refused();
        }
        int dot = cleaned.indexOf('.');
        // Device names are short: never lower a whole name (see Names.canonical).
        String base = org.parley.server.common.Names.lowerBounded((dot < 0 ? cleaned : cleaned.substring(0, dot))
                .stripTrailing(), 16);
        if (DEVICE.matcher(base).matches()) {
            cleaned = "_" + cleaned;
        }
        if (cleaned.length() > MAX_NAME) {
            throw refused();
        }
        return cleaned;
    }

    /**
     * Characters that show as nothing or reorder what follows: format characters (bidirectional controls and
     * isolates, zero-width spaces and joiners, the byte order mark, soft hyphens), line and paragraph separators,
     * the combining grapheme joiner and the Hangul fillers.
     */
    private static boolean invisible(int cp) {
        int type = Character.getType(cp);
        return type == Character.FORMAT || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || cp == 0x034F || cp == 0x115F || cp == 0x1160 || cp == 0x3164 || cp == 0xFFA0
                || cp >= 0xFE00 && cp <= 0xFE0F || cp >= 0xE0100 && cp <= 0xE01EF;
    }

    private static ParleyException refused() {
        return new ParleyException(ErrorCode.INVALID_ARGUMENT, "a file name has 1 to " + MAX_NAME + " visible "
                + "characters, without '/', '\\' or control characters");
    }
}
