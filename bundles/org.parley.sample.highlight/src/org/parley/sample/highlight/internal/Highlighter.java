package org.parley.sample.highlight.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits code into coloured ranges in one pass: comments, strings, numbers, keywords, and for markup tags and
 * attribute names. Text that is none of these gets no token. Unterminated strings and comments run to the end of
 * the line (strings) or of the code (block comments), as an editor would show them while typing.
 */
public final class Highlighter {

    /** What a range of the code is. */
    public enum Kind {
        KEYWORD, STRING, COMMENT, NUMBER, TAG, ATTRIBUTE
    }

    /** Characters {@code [start, end)} of the code are of {@code kind}. */
    public record Token(int start, int end, Kind kind) {
    }

    private Highlighter() {
    }

    /** The tokens of {@code code} in the language named by {@code language} (a name or a file extension). */
    public static List<Token> tokens(String language, String code) {
        Language lang = Language.of(language);
        if (lang == Language.PLAIN) {
            return List.of();
        }
        return lang.markup() ? markup(code) : code(lang, code);
    }

    private static List<Token> code(Language lang, String s) {
        List<Token> out = new ArrayList<>();
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            String line = lineComment(lang, s, i);
            if (line != null) {
                int end = s.indexOf('\n', i);
                end = end < 0 ? n : end;
                out.add(new Token(i, end, Kind.COMMENT));
                i = end;
            } else if (lang.blockComment() != null && s.startsWith(lang.blockComment()[0], i)) {
                int end = s.indexOf(lang.blockComment()[1], i + lang.blockComment()[0].length());
                end = end < 0 ? n : end + lang.blockComment()[1].length();
                out.add(new Token(i, end, Kind.COMMENT));
                i = end;
            } else if (lang.quotes().indexOf(c) >= 0) {
                int end = string(lang, s, i);
                out.add(new Token(i, end, Kind.STRING));
                i = end;
            } else if (Character.isDigit(c) && (i == 0 || !isWordPart(s.charAt(i - 1)))) {
                int end = i + 1;
                while (end < n && (Character.isLetterOrDigit(s.charAt(end)) || s.charAt(end) == '_'
                        || s.charAt(end) == '.' && end + 1 < n && Character.isDigit(s.charAt(end + 1)))) {
                    end++;
                }
                out.add(new Token(i, end, Kind.NUMBER));
                i = end;
            } else if (isWordStart(c)) {
                int end = i + 1;
                while (end < n && isWordPart(s.charAt(end))) {
                    end++;
                }
                if (lang.isKeyword(s.substring(i, end))) {
                    out.add(new Token(i, end, Kind.KEYWORD));
                }
                i = end;
            } else {
                i++;
            }
        }
        return out;
    }

    private static String lineComment(Language lang, String s, int i) {
        for (String start : lang.lineComments()) {
            // "#" starts a comment only where a word could start (not in "a#b" or in "$#" of a shell)
            if (s.startsWith(start, i) && (!start.equals("#") || i == 0 || Character.isWhitespace(s.charAt(i - 1)))) {
                return start;
            }
        }
        return null;
    }

    /** The end (exclusive) of the string starting at {@code i}. */
    private static int string(Language lang, String s, int i) {
        char q = s.charAt(i);
        int n = s.length();
        if (lang.tripleQuotes() && s.startsWith("" + q + q + q, i)) {
            int end = s.indexOf("" + q + q + q, i + 3);
            return end < 0 ? n : end + 3;
        }
        int j = i + 1;
        while (j < n) {
            char c = s.charAt(j);
            if (c == '\\' && j + 1 < n) {
                j += 2;
            } else if (c == q) {
                return j + 1;
            } else if (c == '\n' && q != '`') {
                return j; // unterminated: the string stops at the line's end
            } else {
                j++;
            }
        }
        return n;
    }

    private static boolean isWordStart(char c) {
        return Character.isLetter(c) || c == '_' || c == '#' || c == '$' || c == '@';
    }

    private static boolean isWordPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    private static List<Token> markup(String s) {
        List<Token> out = new ArrayList<>();
        int n = s.length();
        int i = 0;
        while (i < n) {
            if (s.startsWith("<!--", i)) {
                int end = s.indexOf("-->", i + 4);
                end = end < 0 ? n : end + 3;
                out.add(new Token(i, end, Kind.COMMENT));
                i = end;
            } else if (s.charAt(i) == '<' && i + 1 < n && (Character.isLetter(s.charAt(i + 1))
                    || "/?!".indexOf(s.charAt(i + 1)) >= 0)) {
                i = tag(s, i, out);
            } else {
                i++;
            }
        }
        return out;
    }

    /** Tokens of the tag starting at {@code i}; returns the index after it. */
    private static int tag(String s, int i, List<Token> out) {
        int n = s.length();
        int j = i + 1;
        while (j < n && "/?!".indexOf(s.charAt(j)) >= 0) {
            j++;
        }
        int nameEnd = j;
        while (nameEnd < n && !Character.isWhitespace(s.charAt(nameEnd)) && "/>".indexOf(s.charAt(nameEnd)) < 0) {
            nameEnd++;
        }
        out.add(new Token(i, nameEnd, Kind.TAG));
        j = nameEnd;
        while (j < n && s.charAt(j) != '>') {
            char c = s.charAt(j);
            if (c == '"' || c == '\'') {
                int end = s.indexOf(c, j + 1);
                end = end < 0 ? n : end + 1;
                out.add(new Token(j, end, Kind.STRING));
                j = end;
            } else if (Character.isLetter(c)) {
                int end = j + 1;
                while (end < n && (Character.isLetterOrDigit(s.charAt(end)) || ":-_.".indexOf(s.charAt(end)) >= 0)) {
                    end++;
                }
                out.add(new Token(j, end, Kind.ATTRIBUTE));
                j = end;
            } else {
                j++;
            }
        }
        if (j < n) {
            out.add(new Token(j - (s.charAt(j - 1) == '/' || s.charAt(j - 1) == '?' ? 1 : 0), j + 1, Kind.TAG));
            j++;
        }
        return j;
    }
}
