package io.galapagos.text;

import io.galapagos.space.InvalidValueException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VocabularyTest {

    private static final List<TextExample> TRAINING = List.of(
            new TextExample("1", "The film is good ."),
            new TextExample("1", "a good , good film"),
            new TextExample("0", "the plot is thin ."),
            new TextExample("0", "Thin ."));

    @Test
    void keepsTokensSeenAtLeastMinCountTimesMostFrequentFirstTiesInAlphabeticalOrder() {
        Vocabulary v = Vocabulary.build(TRAINING, new VocabularyRules(true, 2, 100, 10));
        assertEquals(List.of("<pad>", "<unk>", ".", "good", "film", "is", "the", "thin"), v.tokens());
        assertEquals(8, v.size());
    }

    @Test
    void capsTheSizeKeepingTheMostFrequentAndMapsEverythingElseToUnknown() {
        Vocabulary v = Vocabulary.build(TRAINING, new VocabularyRules(true, 1, 4, 10));
        assertEquals(List.of("<pad>", "<unk>", ".", "good"), v.tokens());
        assertArrayEquals(new int[]{Vocabulary.UNKNOWN, 3, Vocabulary.UNKNOWN, 2}, v.encode("A GOOD surprise ."));
    }

    @Test
    void casesAsTheRulesSay() {
        Vocabulary cased = Vocabulary.build(TRAINING, new VocabularyRules(false, 1, 100, 10));
        assertTrue(cased.tokens().contains("The") && cased.tokens().contains("the"));
        assertArrayEquals(new int[]{Vocabulary.UNKNOWN}, cased.encode("THE"));
    }

    @Test
    void cutsTextsToTheMaximumLengthKeepingTheirStart() {
        Vocabulary v = Vocabulary.build(TRAINING, new VocabularyRules(true, 1, 100, 3));
        int[] ids = v.encode("the film is good .");
        assertEquals(3, ids.length);
        assertArrayEquals(new int[]{v.tokens().indexOf("the"), v.tokens().indexOf("film"), v.tokens().indexOf("is")},
                ids);
    }

    @Test
    void autoLengthKeepsNinetyNinePercentOfTheTrainingTextsWhole() {
        List<TextExample> texts = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            texts.add(new TextExample("0", "w ".repeat(i <= 198 ? 5 : 40)));
        }
        assertEquals(5, Vocabulary.build(texts, new VocabularyRules(true, 1, 100, VocabularyRules.AUTO_LENGTH))
                .maxLength(), "198 of 200 texts have 5 tokens, 2 have 40: 99% fit in 5");
        texts.add(new TextExample("0", "w ".repeat(40)));
        assertEquals(40, Vocabulary.build(texts, new VocabularyRules(true, 1, 100, VocabularyRules.AUTO_LENGTH))
                .maxLength(), "3 of 201 texts are longer than 5: more than 1%");
    }

    @Test
    void textThatSpellsASpecialTokenIsTokenisedLikeAnyOtherPunctuation() {
        Vocabulary v = Vocabulary.build(List.of(new TextExample("0", "<pad> x")), new VocabularyRules(false, 1, 100, 10));
        assertEquals(List.of("<pad>", "<unk>", "<", ">", "pad", "x"), v.tokens());
        assertArrayEquals(new int[]{2, 4, 3}, v.encode("<pad>"), "never the padding id");
    }

    @Test
    void rulesOutOfRangeNameTheKey() {
        assertTrue(assertThrows(InvalidValueException.class, () -> new VocabularyRules(true, 0, 100, 10))
                .getMessage().contains("min_count"));
        assertTrue(assertThrows(InvalidValueException.class, () -> new VocabularyRules(true, 1, 2, 10))
                .getMessage().contains("max_vocabulary"));
        assertTrue(assertThrows(InvalidValueException.class, () -> new VocabularyRules(true, 1, 100, -1))
                .getMessage().contains("max_length"));
    }
}
