package org.parley.ide.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.eclipse.jface.text.Document;
import org.junit.jupiter.api.Test;
import org.parley.chat.ui.Snippet;
import org.parley.ide.internal.SnippetsAccess;

/**
 * The snippet format (chat.ui's API record) and the IDE's snippet from an editor selection: round trips, fences
 * that the code cannot close, and texts that are not snippets.
 */
class SnippetTest {

    @Test
    void theDocumentedExampleParses() {
        Snippet s = Snippet.parse("```java src/org/example/Foo.java:12-30\nclass Foo {\n}\n```").orElseThrow();
        assertThat(s).isEqualTo(new Snippet("java", "src/org/example/Foo.java", 12, 30, "class Foo {\n}"));
        assertThat(s.fileName()).isEqualTo("Foo.java");
        assertThat(s.title()).isEqualTo("Foo.java, lines 12–30");
        assertThat(new Snippet("text", "README", 3, 3, "x").title()).isEqualTo("README, line 3");
    }

    @Test
    void roundTrips() {
        for (String code : new String[] {"", "one line", "a\nb\n", "\n\n", "\ttabbed\n  spaced", "ünïcödé ✓",
                "```\nfenced inside\n```", "````\n```", "  ```` indented fence", "~~~\ntilde", "x ``` not at start"}) {
            Snippet s = Snippet.of("p/My File.java", 1, 9, code);
            Optional<Snippet> back = Snippet.parse(s.toMessageText());
            assertThat(back).as("round trip of %s as %s", code, s.toMessageText()).contains(s);
        }
        assertThat(Snippet.parse(Snippet.of("a.py", 1, 1, "x").toMessageText() + "\n"))
                .as("a final line end").isPresent();
    }

    @Test
    void theFenceIsLongerThanAnyBacktickRunAtALineStart() {
        String text = Snippet.of("Doc.md", 1, 4, "````\n```\n   `````x").toMessageText();
        assertThat(text).startsWith("``````markdown Doc.md:1-4\n").endsWith("\n``````");
        assertThat(Snippet.of("A.java", 1, 1, "int a;").toMessageText()).isEqualTo("```java A.java:1-1\nint a;\n```");
    }

    @Test
    void crlfBecomesLf() {
        assertThat(Snippet.of("a.c", 1, 2, "a\r\nb").code()).isEqualTo("a\nb");
        assertThat(Snippet.parse("```c a.c:1-2\r\na\r\nb\r\n```")).contains(Snippet.of("a.c", 1, 2, "a\nb"));
    }

    @Test
    void languageFromTheExtension() {
        assertThat(Snippet.languageOf("x/Foo.java")).isEqualTo("java");
        assertThat(Snippet.languageOf("script.PY")).isEqualTo("python");
        assertThat(Snippet.languageOf("Makefile")).isEqualTo("text");
        assertThat(Snippet.languageOf("a.unknownext")).isEqualTo("text");
        assertThat(Snippet.of("C:\\src\\Foo.java", 1, 1, "").fileName()).isEqualTo("Foo.java");
    }

    @Test
    void otherTextsAreNotSnippets() {
        for (String text : new String[] {"hello", "```java Foo.java:1-2\nno end", "```\nplain block\n```",
                "```java Foo.java\nno lines\n```", "```java Foo.java:5-2\nbackwards\n```",
                "```java Foo.java:0-2\nline zero\n```", "text before\n```java F.java:1-1\nx\n```",
                "```java F.java:1-1\nx\n```\ntext after", "```java F.java:1-1\na\n```\nb\n```",
                "```java F.java:1-1\nx\n~~~", "```ja`va F.java:1-1\nx\n```", "", "```java F.java:1-1"}) {
            assertThat(Snippet.parse(text)).as(text).isEmpty();
        }
        assertThat(Snippet.parse(null)).isEmpty();
    }

    @Test
    void badPartsAreRefused() {
        assertThatThrownBy(() -> new Snippet("two words", "a", 1, 1, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Snippet("java", "a`b", 1, 1, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Snippet("java", "a\nb", 1, 1, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Snippet("java", "a", 2, 1, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Snippet("java", "a", 1, 1, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSelectionTakesTheWholeLinesItTouches() throws Exception {
        Document d = new Document("l1\nl2 abc\nl3\nl4\n");
        // From the middle of line 2 to the middle of line 3.
        assertThat(SnippetsAccess.fromSelection(d, 5, 6, "p/T.txt")).isEqualTo(Snippet.of("p/T.txt", 2, 3, "l2 abc\nl3"));
        // Whole lines 2-3 selected, ending at the start of line 4: line 4 is not taken.
        assertThat(SnippetsAccess.fromSelection(d, 3, 10, "T.txt")).isEqualTo(Snippet.of("T.txt", 2, 3, "l2 abc\nl3"));
        // No selection: the caret's line.
        assertThat(SnippetsAccess.fromSelection(d, 0, 0, "T.txt")).isEqualTo(Snippet.of("T.txt", 1, 1, "l1"));
    }
}
