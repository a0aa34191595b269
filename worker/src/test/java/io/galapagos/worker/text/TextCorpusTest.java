package io.galapagos.worker.text;

import io.galapagos.config.TextDataConfig;
import io.galapagos.text.TextFormatException;
import io.galapagos.text.Vocabulary;
import io.galapagos.text.VocabularyRules;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextCorpusTest {

    private static final Path TREC = Path.of("..", "data", "text", "trec").toAbsolutePath().normalize();
    private static final VocabularyRules RULES = new VocabularyRules(true, 1, 20_000, VocabularyRules.AUTO_LENGTH);

    @TempDir
    Path dir;

    private static TextDataConfig config(String train, String validation, String test, String encoding) {
        return new TextDataConfig(train, validation, test, encoding, 0.1, 0.1, RULES, 7);
    }

    private Path file(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    @Test
    void trecReadsWithItsTestFileAndAValidationSplitCutByClass() throws Exception {
        TextCorpus corpus = TextCorpus.read(config(TREC.resolve("TREC.train.all").toString(), null,
                TREC.resolve("TREC.test.all").toString(), "ISO-8859-1"), new Configuration());
        assertEquals(List.of("0", "1", "2", "3", "4", "5"), corpus.classes());
        assertEquals(500, corpus.test().size());
        assertEquals(5452, corpus.train().size() + corpus.validation().size());
        assertEquals(Math.round(0.1 * 86), corpus.validation().stream().filter(e -> e.label().equals("2")).count(),
                "ABBR keeps its share of the validation split");
    }

    @Test
    void aDataSetWithoutTestOrValidationFilesHasBothCutDisjointly() throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            lines.append(i % 4 == 0 ? "pos" : "neg").append(" text number ").append(i).append('\n');
        }
        Path train = file("all.txt", lines.toString());
        TextCorpus corpus = TextCorpus.read(config(train.toString(), null, null, "UTF-8"), new Configuration());
        assertEquals(List.of("neg", "pos"), corpus.classes());
        assertEquals(20, corpus.test().size());
        assertEquals(19, corpus.validation().size(), "10% of each class of the 180 left after the test cut: "
                + "round(4.5) of 45 pos, round(13.5) of 135 neg");
        assertEquals(161, corpus.train().size());
        assertTrue(corpus.train().stream().noneMatch(corpus.test()::contains));
        assertTrue(corpus.validation().stream().noneMatch(corpus.test()::contains));
        assertEquals(corpus, TextCorpus.read(config(train.toString(), null, null, "UTF-8"), new Configuration()),
                "the same seed cuts the same splits");
    }

    @Test
    void labelsOutsideTheTrainingClassesAndSingleClassFilesAreRefusedNamingFileAndLine() throws Exception {
        Path train = file("train.txt", "1 good\n0 bad\n");
        Path test = file("test.txt", "1 fine\n2 what\n");
        TextFormatException e = assertThrows(TextFormatException.class, () -> TextCorpus.read(
                config(train.toString(), null, test.toString(), "UTF-8"), new Configuration()));
        assertEquals(test + ": line 2: label '2' is not one of the training file's classes [0, 1]", e.getMessage());
        Path single = file("single.txt", "1 good\n1 fine\n");
        assertEquals(single + ": holds only the label '1': a classifier needs at least 2 classes",
                assertThrows(TextFormatException.class, () -> TextCorpus.read(config(single.toString(), null,
                        test.toString(), "UTF-8"), new Configuration())).getMessage());
    }

    @Test
    void encodedBatchesArePaddedToTheVocabularysLengthWithAMaskOfTheRealTokens() throws Exception {
        TextCorpus corpus = TextCorpus.read(config(TREC.resolve("TREC.train.all").toString(), null,
                TREC.resolve("TREC.test.all").toString(), "ISO-8859-1"), new Configuration());
        Vocabulary vocabulary = Vocabulary.build(corpus.train(), new VocabularyRules(true, 1, 20_000, 5));
        TokenDataset test = TokenDataset.encode(corpus.test(), vocabulary, corpus.classes());
        DataSet batch = test.batch(new int[]{0, 1}, 0, 2);
        assertEquals(List.of(2L, 1L, 5L), List.of(batch.getFeatures().shape()[0], batch.getFeatures().shape()[1],
                batch.getFeatures().shape()[2]));
        int[] first = vocabulary.encode(corpus.test().get(0).text());
        for (int t = 0; t < 5; t++) {
            assertEquals(t < first.length ? first[t] : Vocabulary.PAD, batch.getFeatures().getInt(0, 0, t));
            assertEquals(t < first.length ? 1 : 0, batch.getFeaturesMaskArray().getInt(0, t));
        }
        assertEquals(1, batch.getLabels().getInt(0, test.label(0)));
    }
}
