package org.parley.chat.ui;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A code snippet sent as a chat message: a TEXT message that is one fenced code block whose info string is
 * "&lt;language&gt; &lt;path&gt;:&lt;first&gt;-&lt;last&gt;", for example
 *
 * <pre>
 * ```java src/org/example/Foo.java:12-30
 * ...the code...
 * ```
 * </pre>
 *
 * The format is plain CommonMark, so a client that knows nothing of snippets still shows readable text. Lines in
 * {@code code} are separated by {@code \n} (other line ends are converted); the path uses {@code /} and is relative
 * to the sender's workspace (or any path the sender chose).
 *
 * @param language  a word without spaces or backticks ("java", "text")
 * @param path      where the code comes from; no line breaks, no backticks
 * @param firstLine the first line's number (1-based)
 * @param lastLine  the last line's number, at least {@code firstLine}
 * @param code      the lines themselves, without a final line end
 */
public record Snippet(String language, String path, int firstLine, int lastLine, String code) {

    private static final Pattern LANGUAGE = Pattern.compile("[^\\s`]+");
    private static final Pattern OPENING = Pattern.compile("( {0,3})(`{3,}|~{3,})(.*)");
    private static final Pattern LOCATION = Pattern.compile("(\\S+) +(.+):(\\d{1,9})-(\\d{1,9})");
    private static final Pattern LINE_START_FENCE = Pattern.compile(" {0,3}(`+|~+)");

    /** Languages by file extension; anything else is "text". */
    private static final Map<String, String> LANGUAGES = Map.ofEntries(Map.entry("java", "java"),
            Map.entry("kt", "kotlin"), Map.entry("scala", "scala"), Map.entry("groovy", "groovy"),
            Map.entry("c", "c"), Map.entry("h", "c"), Map.entry("cpp", "cpp"), Map.entry("cc", "cpp"),
            Map.entry("hpp", "cpp"), Map.entry("cs", "csharp"), Map.entry("go", "go"), Map.entry("rs", "rust"),
            Map.entry("py", "python"), Map.entry("rb", "ruby"), Map.entry("js", "javascript"),
            Map.entry("mjs", "javascript"), Map.entry("ts", "typescript"), Map.entry("php", "php"),
            Map.entry("sh", "sh"), Map.entry("bash", "sh"), Map.entry("sql", "sql"), Map.entry("xml", "xml"),
            Map.entry("xsd", "xml"), Map.entry("e4xmi", "xml"), Map.entry("exsd", "xml"), Map.entry("pom", "xml"),
            Map.entry("html", "html"), Map.entry("htm", "html"), Map.entry("css", "css"), Map.entry("json", "json"),
            Map.entry("yaml", "yaml"), Map.entry("yml", "yaml"), Map.entry("toml", "toml"),
            Map.entry("properties", "properties"), Map.entry("md", "markdown"), Map.entry("mf", "manifest"),
            Map.entry("gradle", "groovy"), Map.entry("swift", "swift"), Map.entry("txt", "text"));

    /** Checks the parts, so that {@link #toMessageText()} always gives text that {@link #parse} reads back. */
    public Snippet {
        if (language == null || !LANGUAGE.matcher(language).matches()) {
            throw new IllegalArgumentException("A snippet's language is one word without backticks: " + language);
        }
        if (path == null || path.isBlank() || path.indexOf('`') >= 0 || path.indexOf('\n') >= 0
                || path.indexOf('\r') >= 0 || !path.strip().equals(path)) {
            throw new IllegalArgumentException("A snippet's path must be one line without backticks: " + path);
        }
        if (firstLine < 1 || lastLine < firstLine) {
            throw new IllegalArgumentException("Bad line range " + firstLine + "-" + lastLine);
        }
        if (code == null) {
            throw new IllegalArgumentException("A snippet has code");
        }
        code = code.replace("\r\n", "\n").replace('\r', '\n');
    }

    /** A snippet of the given file's lines, its language from the file's extension. */
    public static Snippet of(String path, int firstLine, int lastLine, String code) {
        return new Snippet(languageOf(path), path, firstLine, lastLine, code);
    }

    /** The language a file's extension says ("java" for Foo.java), or "text". */
    public static String languageOf(String path) {
        String name = lastSegment(path);
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? name.toLowerCase(Locale.ROOT) : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return LANGUAGES.getOrDefault(ext, "text");
    }

    /**
     * The snippet a message's text is, or empty unless the whole text (a final line end aside) is one fenced code
     * block with a "language path:first-last" info string.
     */
    public static Optional<Snippet> parse(String messageText) {
        if (messageText == null) {
            return Optional.empty();
        }
        String text = messageText.replace("\r\n", "\n").replace('\r', '\n');
        if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1);
        }
        List<String> lines = text.lines().toList();
        if (lines.size() < 2 || text.endsWith("\n")) {
            return Optional.empty();
        }
        Matcher open = OPENING.matcher(lines.get(0));
        if (!open.matches()) {
            return Optional.empty();
        }
        String fence = open.group(2);
        String info = open.group(3).strip();
        if (fence.charAt(0) == '`' && info.indexOf('`') >= 0) {
            return Optional.empty(); // CommonMark: then it is not a fence at all
        }
        Matcher location = LOCATION.matcher(info);
        if (!location.matches()) {
            return Optional.empty();
        }
        int last = lines.size() - 1;
        if (!closes(lines.get(last), fence)) {
            return Optional.empty();
        }
        for (int i = 1; i < last; i++) {
            if (closes(lines.get(i), fence)) {
                return Optional.empty(); // the block ends early: the text is more than one block
            }
        }
        int indent = open.group(1).length();
        StringBuilder code = new StringBuilder();
        for (int i = 1; i < last; i++) {
            code.append(i > 1 ? "\n" : "").append(unindent(lines.get(i), indent));
        }
        try {
            return Optional.of(new Snippet(location.group(1), location.group(2).strip(),
                    Integer.parseInt(location.group(3)), Integer.parseInt(location.group(4)), code.toString()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A closing fence: up to 3 spaces, at least as many of the fence's character, then only spaces. */
    private static boolean closes(String line, String fence) {
        int i = 0;
        while (i < line.length() && i < 3 && line.charAt(i) == ' ') {
            i++;
        }
        int run = 0;
        while (i + run < line.length() && line.charAt(i + run) == fence.charAt(0)) {
            run++;
        }
        return run >= fence.length() && line.substring(i + run).isBlank();
    }

    /** CommonMark: an indented opening fence takes up to as many spaces off each content line. */
    private static String unindent(String line, int indent) {
        int i = 0;
        while (i < indent && i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return line.substring(i);
    }

    /**
     * The message text: a backtick fence longer than any backtick run that starts a line of the code (so that no
     * line of the code can close it), the info string, the code, the closing fence.
     */
    public String toMessageText() {
        int longest = 2;
        for (String line : code.split("\n", -1)) {
            Matcher m = LINE_START_FENCE.matcher(line);
            if (m.lookingAt() && m.group(1).charAt(0) == '`') {
                longest = Math.max(longest, m.group(1).length());
            }
        }
        String fence = "`".repeat(longest + 1);
        return fence + language + " " + path + ":" + firstLine + "-" + lastLine + "\n"
                + (code.isEmpty() ? "" : code + "\n") + fence;
    }

    /** The file's name: the last segment of the path. */
    public String fileName() {
        return lastSegment(path);
    }

    /** "Foo.java, lines 12–30", or "Foo.java, line 12" for one line. */
    public String title() {
        return fileName() + (firstLine == lastLine ? ", line " + firstLine : ", lines " + firstLine + "–" + lastLine);
    }

    /** The number of lines of code. */
    public int lineCount() {
        return code.isEmpty() ? 1 : (int) code.chars().filter(c -> c == '\n').count() + 1;
    }

    private static String lastSegment(String path) {
        String p = path.replace('\\', '/');
        while (p.endsWith("/") && p.length() > 1) {
            p = p.substring(0, p.length() - 1);
        }
        return p.substring(p.lastIndexOf('/') + 1);
    }
}
