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

    @Test
    void lowerCasesOnlyWhenAsked() {
        assertEquals(List.of("What", "is", "NASA", "?"), new Tokenizer(false).tokens("What is NASA ?"));
        assertEquals(List.of("what", "is", "nasa", "?"), new Tokenizer(true).tokens("What is NASA ?"));
    }
}
