package io.galapagos.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a text into tokens: at white space, and punctuation at either end of a word becomes a token of its own
 * ({@code "Hello, world!"} gives {@code hello , world !}); punctuation inside a word stays ({@code n't},
 * {@code re-imagining}, {@code 3.5}), and so does a word of punctuation alone ({@code ...}, {@code --}). A combining
 * mark (an accent, a vowel sign of Devanagari or Tamil) belongs to its word, and the text is composed first (Unicode
 * NFC), so {@code café} reads alike written with {@code é} or with {@code e} and a combining accent. SST-2 and TREC,
 * tokenised already, mostly come out as written; a final full stop of an abbreviation does not ({@code U.S.} gives
 * {@code U.S .}). Lower-cases with the root locale when asked. Immutable.
 */
public record Tokenizer(boolean lowerCase) {

    /** The rule in words, for those who apply a vocabulary without this class (an exported model's users). */
    public static final String RULE = "Compose the text (Unicode NFC), then lower-case it (Java's "
            + "String.toLowerCase(Locale.ROOT)) when lower_case is true. Split it at runs of white space (space, tab, "
            + "line feed, vertical tab, form feed, carriage return). In each piece, every character at its start or its "
            + "end that is neither a letter, a digit, a combining mark (Unicode), an apostrophe nor a hyphen becomes a "
            + "token of its own, in order, and the rest of the piece is one token: '(Hello,' gives '(', 'Hello', ','; "
            + "'n't', 're-imagining' and '3.5' stay whole. A piece without any letter or digit is one token as written "
            + "('...', '--').";

    public List<String> tokens(String text) {
        String composed = Normalizer.normalize(text, Normalizer.Form.NFC);
        String cased = lowerCase ? composed.toLowerCase(Locale.ROOT) : composed;
        List<String> tokens = new ArrayList<>();
        for (String word : cased.split("\\s+")) {
            if (!word.isEmpty()) {
                split(word, tokens);
            }
        }
        return tokens;
    }

    /** Splits leading and trailing punctuation off {@code word}, by code point: an emoji is one token, not two halves. */
    private static void split(String word, List<String> tokens) {
        if (word.codePoints().noneMatch(Character::isLetterOrDigit)) {
            tokens.add(word);
            return;
        }
        int from = 0;
        int to = word.length();
        while (from < to && edgePunctuation(word.codePointAt(from))) {
            int next = word.offsetByCodePoints(from, 1);
            tokens.add(word.substring(from, next));
            from = next;
        }
        List<String> trailing = new ArrayList<>();
        while (to > from && edgePunctuation(word.codePointBefore(to))) {
            int previous = word.offsetByCodePoints(to, -1);
            trailing.add(0, word.substring(previous, to));
            to = previous;
        }
        if (to > from) {
            tokens.add(word.substring(from, to));
        }
        tokens.addAll(trailing);
    }

    private static boolean edgePunctuation(int codePoint) {
        int type = Character.getType(codePoint);
        boolean mark = type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK;
        return !Character.isLetterOrDigit(codePoint) && !mark && codePoint != '\'' && codePoint != '-';
    }
}
