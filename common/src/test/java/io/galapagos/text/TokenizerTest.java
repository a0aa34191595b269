package io.galapagos.text;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TokenizerTest {

    @Test
    void splitsAtWhiteSpaceAndPunctuationAtTheEdgesOfWords() {
        assertEquals(List.of("hello", ",", "world", "!"), new Tokenizer(true).tokens("Hello, world!"));
        assertEquals(List.of("(", "great", ")", "\"", "fun", "\"", "."), new Tokenizer(true).tokens("(great) \"fun\"."));
    }

    @Test
    void keepsTokenisedTextAsWrittenAndPunctuationInsideWords() {
        assertEquals(List.of("they", "wo", "n't", "sit", "--", "a", "re-imagining", "'s", "3.5", "..."),
                new Tokenizer(true).tokens("they wo n't  sit -- a re-imagining 's 3.5 ..."));
    }

    /** A character outside the Basic Multilingual Plane is two Java chars; split apart, neither half is text. */
    @Test
    void anEmojiOrALetterBeyondTheBasicPlaneStaysWhole() {
        assertEquals(List.of("great", "\uD83D\uDE00", "film"), new Tokenizer(true).tokens("great\uD83D\uDE00 film"));
        assertEquals(List.of("\uD835\uDC00bc", "!"), new Tokenizer(false).tokens("\uD835\uDC00bc!"));
    }

    /**
     * A combining mark belongs to its word: a Devanagari vowel sign or a decomposed accent at a word's end was split off
     * as punctuation; a decomposed and a precomposed accent give one token.
     */
    @Test
    void combiningMarksStayInTheirWords() {
        assertEquals(List.of("\u0939\u093F\u0902\u0926\u0940", "\u092D\u093E\u0937\u093E"),
                new Tokenizer(false).tokens("\u0939\u093F\u0902\u0926\u0940 \u092D\u093E\u0937\u093E"));
        assertEquals(List.of("caf\u00E9", "!"), new Tokenizer(false).tokens("cafe\u0301!"));
        assertEquals(new Tokenizer(true).tokens("Caf\u00E9"), new Tokenizer(true).tokens("Cafe\u0301"));
    }

    /** Abbreviations keep their inner stops and lose the last, as the rule says (SST-2 and TREC hold some). */
    @Test
    void anAbbreviationsLastStopIsATokenOfItsOwn() {
        assertEquals(List.of("the", "U.S", ".", "?"), new Tokenizer(false).tokens("the U.S. ?"));
    }

    @Test
    void lowerCasesOnlyWhenAsked() {
        assertEquals(List.of("What", "is", "NASA", "?"), new Tokenizer(false).tokens("What is NASA ?"));
        assertEquals(List.of("what", "is", "nasa", "?"), new Tokenizer(true).tokens("What is NASA ?"));
    }
}
