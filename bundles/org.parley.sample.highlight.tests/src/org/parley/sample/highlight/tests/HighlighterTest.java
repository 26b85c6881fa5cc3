package org.parley.sample.highlight.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.parley.sample.highlight.internal.Highlighter;
import org.parley.sample.highlight.internal.Highlighter.Kind;

class HighlighterTest {

    /** The tokens as "KIND:text", for readable assertions. */
    private static List<String> tokens(String language, String code) {
        return Highlighter.tokens(language, code).stream()
                .map(t -> t.kind() + ":" + code.substring(t.start(), t.end())).toList();
    }

    @Test
    void javaKeywordsStringsNumbersAndComments() {
        assertThat(tokens("java", "// note\nint x = 42; String s = \"a\\\"b\"; /* block\n */ return x;"))
                .containsExactly("COMMENT:// note", "KEYWORD:int", "NUMBER:42", "STRING:\"a\\\"b\"",
                        "COMMENT:/* block\n */", "KEYWORD:return");
    }

    @Test
    void wordsThatContainKeywordsOrDigitsAreNotColoured() {
        assertThat(tokens("java", "interfaces format x2 _int intValue")).isEmpty();
    }

    @Test
    void languageIsFoundByNameOrFileExtension() {
        assertThat(tokens("py", "def f(): return 'x'  # done"))
                .containsExactly("KEYWORD:def", "KEYWORD:return", "STRING:'x'", "COMMENT:# done");
        assertThat(tokens("Python", "pass")).containsExactly("KEYWORD:pass");
        assertThat(tokens("ts", "const a = `x${b}`")).containsExactly("KEYWORD:const", "STRING:`x${b}`");
    }

    @Test
    void sqlKeywordsInAnyCase() {
        assertThat(tokens("sql", "SELECT name From t -- all")).containsExactly("KEYWORD:SELECT", "KEYWORD:From",
                "COMMENT:-- all");
    }

    @Test
    void tripleQuotedStringsSpanLines() {
        assertThat(tokens("python", "s = \"\"\"one\n\"two\"\n\"\"\"\nif s:")).containsExactly(
                "STRING:\"\"\"one\n\"two\"\n\"\"\"", "KEYWORD:if");
    }

    @Test
    void anUnterminatedStringStopsAtTheEndOfItsLine() {
        assertThat(tokens("java", "s = \"abc\nint y;")).containsExactly("STRING:\"abc", "KEYWORD:int");
    }

    @Test
    void anUnterminatedBlockCommentRunsToTheEnd() {
        assertThat(tokens("c", "x; /* open\nint y;")).containsExactly("COMMENT:/* open\nint y;");
    }

    @Test
    void markupTagsAttributesAndComments() {
        assertThat(tokens("xml", "<a href=\"x\">t</a><!-- c --><br/>")).containsExactly("TAG:<a",
                "ATTRIBUTE:href", "STRING:\"x\"", "TAG:>", "TAG:</a", "TAG:>", "COMMENT:<!-- c -->", "TAG:<br",
                "TAG:/>");
    }

    @Test
    void aHashInsideAWordIsNotAShellComment() {
        assertThat(tokens("sh", "echo a#b $# # real")).containsExactly("KEYWORD:echo", "COMMENT:# real");
    }

    @Test
    void unknownLanguagesAndEmptyCodeGetNoTokens() {
        assertThat(Highlighter.tokens("klingon", "int x = 1; // y")).isEmpty();
        assertThat(Highlighter.tokens(null, "int")).isEmpty();
        assertThat(Highlighter.tokens("java", "")).isEmpty();
        assertThat(Highlighter.tokens("java", "int x = 1;").stream().map(Highlighter.Token::kind))
                .containsExactly(Kind.KEYWORD, Kind.NUMBER);
    }
}
