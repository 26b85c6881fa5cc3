package org.parley.server.search.lucene;

import java.io.IOException;
import java.text.Normalizer;

import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * Removes accents (non-spacing marks) from letters of the Latin, Greek and Cyrillic scripts, whatever the
 * language: {@code ελληνικά} becomes {@code ελληνικα}, {@code tiếng} becomes {@code tieng}. Marks on other scripts
 * are kept (in Japanese, Devanagari or Thai they change the letter, not only its accent). Folding to ASCII that
 * is not a matter of marks ({@code ß}, {@code ø}) is {@code ASCIIFoldingFilter}'s, after this one.
 */
final class MarkFoldingFilter extends TokenFilter {

    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);

    MarkFoldingFilter(TokenStream in) {
        super(in);
    }

    @Override
    public boolean incrementToken() throws IOException {
        if (!input.incrementToken()) {
            return false;
        }
        boolean ascii = true;
        for (int i = 0; i < term.length() && ascii; i++) {
            ascii = term.charAt(i) < 0x80;
        }
        if (ascii) {
            return true;
        }
        String decomposed = Normalizer.normalize(term, Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(decomposed.length());
        Character.UnicodeScript base = Character.UnicodeScript.COMMON;
        for (int i = 0; i < decomposed.length();) {
            int cp = decomposed.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.getType(cp) == Character.NON_SPACING_MARK) {
                if (base == Character.UnicodeScript.LATIN || base == Character.UnicodeScript.GREEK
                        || base == Character.UnicodeScript.CYRILLIC) {
                    continue;
                }
            } else {
                base = Character.UnicodeScript.of(cp);
            }
            out.appendCodePoint(cp);
        }
        String folded = Normalizer.normalize(out, Normalizer.Form.NFC);
        term.setEmpty().append(folded);
        return true;
    }
}
