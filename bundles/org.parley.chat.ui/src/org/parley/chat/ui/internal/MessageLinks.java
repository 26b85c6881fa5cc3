package org.parley.chat.ui.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Links to a message: {@code parley:conversation/<conversation id>/message/<seq>} (docs/protocol.md, "Links to
 * messages"). Copy Link makes them; a click on one in a chat opens that chat at that message.
 */
final class MessageLinks {

    static final String PREFIX = "parley:conversation/";
    /** A message link inside a text (a pasted one, without Markdown's brackets). */
    static final Pattern IN_TEXT = Pattern.compile("(?i)parley:conversation/[1-9][0-9]{0,18}/message/[1-9][0-9]{0,18}"
            + "(?![0-9])");
    private static final Pattern LINK = Pattern.compile("parley:conversation/([1-9][0-9]{0,18})/message/"
            + "([1-9][0-9]{0,18})");

    /** Where a link points. */
    record Target(long conversationId, long seq) {
    }

    private MessageLinks() {
    }

    static String of(long conversationId, long seq) {
        return PREFIX + conversationId + "/message/" + seq;
    }

    /** Whether {@code link} uses the scheme of message links (then it is never handed to the desktop). */
    static boolean isMessageLink(String link) {
        return link != null && link.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    /** The message a link names, or null when it is not a well-formed message link. */
    static Target parse(String link) {
        Matcher m = link == null ? null : LINK.matcher(link.strip().toLowerCase(java.util.Locale.ROOT));
        if (m == null || !m.matches()) {
            return null;
        }
        try {
            return new Target(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
        } catch (NumberFormatException e) {
            return null; // beyond a long
        }
    }
}
