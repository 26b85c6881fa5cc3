package org.parley.sample.highlight.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the highlighter needs to know about a language: its keywords, how comments and strings are written, and
 * whether it is markup (tags and attributes instead of keywords). A table, not a grammar: enough to colour a
 * snippet in a chat, not to parse it.
 *
 * @param name            the canonical name
 * @param keywords        words coloured as keywords (compared case-insensitively when {@code ignoreCase})
 * @param ignoreCase      keywords match in any case (SQL)
 * @param lineComments    what starts a comment running to the end of the line
 * @param blockComment    start and end of a block comment, or null
 * @param quotes          characters that delimit strings
 * @param tripleQuotes    {@code """…"""} strings (Python, Kotlin, Java text blocks)
 * @param markup          tags {@code <name attr="…">} and {@code <!-- … -->} comments (XML, HTML)
 */
record Language(String name, Set<String> keywords, boolean ignoreCase, List<String> lineComments,
        String[] blockComment, String quotes, boolean tripleQuotes, boolean markup) {

    private static final Map<String, Language> BY_NAME = new HashMap<>();

    static final Language PLAIN = new Language("text", Set.of(), false, List.of(), null, "", false, false);

    static {
        String[] cBlock = {"/*", "*/"};
        add(new Language("java", words("abstract assert boolean break byte case catch char class const continue "
                + "default do double else enum extends final finally float for goto if implements import instanceof "
                + "int interface long native new package private protected public return short static strictfp "
                + "super switch synchronized this throw throws transient try void volatile while var record yield "
                + "sealed permits non-sealed true false null"), false, List.of("//"), cBlock, "\"'", true, false),
                "java", "jav");
        add(new Language("kotlin", words("as break class continue do else false for fun if in interface is null "
                + "object package return super this throw true try typealias typeof val var when while by catch "
                + "constructor finally get import init set where data sealed override open private protected "
                + "public internal companion lateinit suspend"), false, List.of("//"), cBlock, "\"'", true, false),
                "kotlin", "kt", "kts");
        add(new Language("javascript", words("break case catch class const continue debugger default delete do "
                + "else export extends finally for function if import in instanceof let new return super switch "
                + "this throw try typeof var void while with yield async await of true false null undefined "
                + "interface type enum implements private public protected readonly"), false, List.of("//"), cBlock,
                "\"'`", false, false), "javascript", "js", "mjs", "cjs", "typescript", "ts", "tsx", "jsx");
        add(new Language("python", words("False None True and as assert async await break class continue def del "
                + "elif else except finally for from global if import in is lambda nonlocal not or pass raise "
                + "return try while with yield match case self"), false, List.of("#"), null, "\"'", true, false),
                "python", "py", "pyw");
        add(new Language("c", words("auto break case char const continue default do double else enum extern "
                + "float for goto if inline int long register restrict return short signed sizeof static struct "
                + "switch typedef union unsigned void volatile while bool true false NULL nullptr class namespace "
                + "template typename public private protected virtual override new delete this using operator "
                + "#include #define #ifdef #ifndef #endif #if #else #pragma"), false, List.of("//"), cBlock, "\"'",
                false, false), "c", "h", "cpp", "c++", "cc", "cxx", "hpp", "hh", "hxx");
        add(new Language("csharp", words("abstract as base bool break byte case catch char checked class const "
                + "continue decimal default delegate do double else enum event explicit extern false finally fixed "
                + "float for foreach goto if implicit in int interface internal is lock long namespace new null "
                + "object operator out override params private protected public readonly ref return sbyte sealed "
                + "short sizeof static string struct switch this throw true try typeof uint ulong unchecked unsafe "
                + "ushort using var virtual void volatile while async await record"), false, List.of("//"), cBlock,
                "\"'", false, false), "csharp", "cs", "c#");
        add(new Language("go", words("break case chan const continue default defer else fallthrough for func go "
                + "goto if import interface map package range return select struct switch type var true false nil"),
                false, List.of("//"), cBlock, "\"'`", false, false), "go");
        add(new Language("rust", words("as async await break const continue crate dyn else enum extern false fn "
                + "for if impl in let loop match mod move mut pub ref return self Self static struct super trait "
                + "true type unsafe use where while"), false, List.of("//"), cBlock, "\"", false, false),
                "rust", "rs");
        add(new Language("shell", words("if then else elif fi case esac for while until do done in function "
                + "return local export readonly set unset shift exit echo source"), false, List.of("#"), null,
                "\"'", false, false), "shell", "sh", "bash", "zsh");
        add(new Language("sql", words("select from where and or not insert into values update set delete create "
                + "table index view drop alter add primary key foreign references join inner left right outer on "
                + "group by order having limit offset as distinct null is in like between union all case when then "
                + "else end begin commit rollback"), true, List.of("--"), cBlock, "'\"", false, false), "sql");
        add(new Language("json", words("true false null"), false, List.of(), null, "\"", false, false), "json");
        add(new Language("yaml", words("true false null yes no"), false, List.of("#"), null, "\"'", false, false),
                "yaml", "yml");
        add(new Language("properties", Set.of(), false, List.of("#", "!"), null, "", false, false),
                "properties", "ini", "cfg", "conf");
        add(new Language("xml", Set.of(), false, List.of(), null, "\"'", false, true),
                "xml", "html", "htm", "xhtml", "svg", "xsd", "exsd", "e4xmi", "xmi", "product", "target");
    }

    private static Set<String> words(String list) {
        return Set.of(list.split(" "));
    }

    private static void add(Language language, String... aliases) {
        for (String a : aliases) {
            BY_NAME.put(a, language);
        }
    }

    /** The language for a snippet's language name or file extension; {@link #PLAIN} for one not known. */
    static Language of(String nameOrExtension) {
        if (nameOrExtension == null) {
            return PLAIN;
        }
        return BY_NAME.getOrDefault(nameOrExtension.toLowerCase(Locale.ROOT), PLAIN);
    }

    boolean isKeyword(String word) {
        return keywords.contains(ignoreCase ? word.toLowerCase(Locale.ROOT) : word);
    }
}
