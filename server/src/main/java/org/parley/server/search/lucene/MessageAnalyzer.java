package org.parley.server.search.lucene;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;

/**
 * How texts are cut into words and folded, the same for messages and queries: Unicode word boundaries (UAX #29,
 * {@link StandardTokenizer}: any script; ideographs one by one), lower case, accents and other diacritics folded
 * to ASCII where there is a folding ({@code Café} and {@code cafe} are the same word), accents of Greek and Cyrillic
 * letters removed ({@link MarkFoldingFilter}). No stemming and no stop
 * words: they are language-specific, and prefix matching covers most plurals.
 */
final class MessageAnalyzer extends Analyzer {

    /** Longer "words" (a pasted key, a long hash) are cut into pieces of this length. */
    static final int MAX_WORD = 100;

    @Override
    protected TokenStreamComponents createComponents(String fieldName) {
        StandardTokenizer tokenizer = new StandardTokenizer();
        tokenizer.setMaxTokenLength(MAX_WORD);
        TokenStream stream = new ASCIIFoldingFilter(new MarkFoldingFilter(new LowerCaseFilter(tokenizer)));
        return new TokenStreamComponents(tokenizer, stream);
    }

    @Override
    protected TokenStream normalize(String fieldName, TokenStream in) {
        return new ASCIIFoldingFilter(new MarkFoldingFilter(new LowerCaseFilter(in)));
    }
}
