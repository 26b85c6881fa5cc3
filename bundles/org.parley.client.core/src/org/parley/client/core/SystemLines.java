package org.parley.client.core;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The SYSTEM lines a server writes into a group's history (docs/protocol.md, "SYSTEM messages") with the people in
 * them named as the client names them. The server writes user names, which never change ("ann added bob, cat"); a
 * client shows "Ann Lee added Bob Roy, Cat Ng" with the display names it knows when it shows the line, so a later
 * rename shows in old lines too. Only the forms the protocol document lists are recognized; a line of any other
 * form (a newer server's) is shown as it is.
 */
public final class SystemLines {

    /** A form: its pattern, and which of its groups are user names (a list of them "a, b, c" included). */
    private record Form(Pattern pattern, boolean[] users) {
    }

    private static final String USER = "[a-z0-9._-]{2,32}";

    private static final List<Form> FORMS = List.of(
            form("(U) created the group “(.*)”", true, false),
            form("(U) renamed the group to “(.*)”", true, false),
            form("(U) added (U(?:, U)*)", true, true),
            form("(U) removed (U)", true, true),
            form("(U) left", true),
            form("(U) made (U) an admin", true, true),
            form("(U) is no longer an admin", true),
            form("(U) made (U) a member \\(no longer an admin\\)", true, true),
            form("(U) is now an admin \\(the last admin left\\)", true),
            form("(U) edited a message", true),
            form("(U) deleted a message", true));

    private SystemLines() {
    }

    private static Form form(String template, boolean... users) {
        return new Form(Pattern.compile(template.replace("U", USER), Pattern.DOTALL), users);
    }

    /**
     * {@code text} with each user name in it replaced by {@code name}'s answer for it (a display name); the text as
     * it is when it has none of the known forms.
     */
    public static String shown(String text, Function<String, String> name) {
        if (text == null) {
            return "";
        }
        for (Form f : FORMS) {
            Matcher m = f.pattern().matcher(text);
            if (!m.matches()) {
                continue;
            }
            StringBuilder out = new StringBuilder();
            int at = 0;
            for (int g = 1; g <= m.groupCount(); g++) {
                if (g - 1 < f.users().length && f.users()[g - 1] && m.start(g) >= 0) {
                    out.append(text, at, m.start(g));
                    out.append(Arrays.stream(m.group(g).split(", ")).map(u -> {
                        String shown = name.apply(u);
                        return shown == null || shown.isBlank() ? u : shown;
                    }).collect(Collectors.joining(", ")));
                    at = m.end(g);
                }
            }
            return out.append(text.substring(at)).toString();
        }
        return text;
    }

    /** The same with the display names {@code names} knows (the user name where it knows none). */
    public static String shown(String text, DisplayNames names) {
        return shown(text, names::of);
    }
}
