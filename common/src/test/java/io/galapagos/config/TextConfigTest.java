package io.galapagos.config;

import io.galapagos.space.Activation;
import io.galapagos.space.SequenceLayerType;
import io.galapagos.space.SequencePooling;
import io.galapagos.space.SequenceSearchSpace;
import io.galapagos.text.VocabularyRules;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;

import static io.galapagos.config.ConfigAssertions.assertRejected;
import static io.galapagos.config.ConfigAssertions.load;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextConfigTest {

    private static final String TEXT_SEARCH = """
            name: t
            seed: 4
            space: {kind: sequence}
            data:
              format: label-space-text
              train: text/TREC.train.all
              test: text/TREC.test.all
              encoding: ISO-8859-1
            training: {epochs: 3}
            """;

    private static TextDataConfig data(String yaml, String... overrides) {
        return ((TextTrainerConfig) load(yaml, overrides).trainer()).data();
    }

    @Test
    void aTextDataSectionWithDefaults() {
        TextDataConfig data = data(TEXT_SEARCH);
        assertEquals("/configs/text/TREC.train.all", data.train());
        assertEquals("/configs/text/TREC.test.all", data.test());
        assertNull(data.validation(), "cut from training");
        assertEquals(0.1, data.validationFraction());
        assertEquals("ISO-8859-1", data.encoding());
        assertEquals(new VocabularyRules(true, 1, 20_000, VocabularyRules.AUTO_LENGTH), data.vocabulary());
        assertEquals(4, data.seed(), "the study's seed cuts the splits");
        assertEquals(3, ((TextTrainerConfig) load(TEXT_SEARCH).trainer()).training().epochs());
    }

    @Test
    void theRecordedConfigurationOfATextSearchReadsBack() {
        ConfigLoader.Loaded loaded = ConfigLoader.parse("t.yaml", TEXT_SEARCH, java.nio.file.Path.of("/configs"),
                List.of());
        assertTrue(loaded.effectiveYaml().contains("max_length: auto"), loaded.effectiveYaml());
        ConfigLoader.Loaded again = ConfigLoader.parse("config.yaml", loaded.effectiveYaml(),
                java.nio.file.Path.of("/configs"), List.of());
        assertEquals(loaded.config(), again.config());
    }

    @Test
    void vocabularyRulesAndFractionsAreRead() {
        TextDataConfig data = data(TEXT_SEARCH, "data.min_count=2", "data.max_vocabulary=5000", "data.max_length=30",
                "data.lower_case=false", "data.validation_fraction=0.2");
        assertEquals(new VocabularyRules(false, 2, 5000, 30), data.vocabulary());
        assertEquals(0.2, data.validationFraction());
        assertEquals(VocabularyRules.AUTO_LENGTH, data(TEXT_SEARCH, "data.max_length=auto").vocabulary().maxLength());
        assertEquals(0.15, data(TEXT_SEARCH.replace("  test: text/TREC.test.all\n", ""), "data.test_fraction=0.15")
                .testFraction());
    }

    @Test
    void theSequenceSpaceIsReadWithItsKeys() {
        SequenceSearchSpace space = (SequenceSearchSpace) load(TEXT_SEARCH.replace("space: {kind: sequence}", """
                space:
                  kind: sequence
                  max_blocks: 2
                  embedding_dims: [32]
                  blocks: [bilstm, conv1d, transformer]
                  units: [16]
                  filters: [32]
                  activations: [relu, tanh]
                  heads: [4]
                  feed_forward: [64]
                  dropout: [0.0, 0.5]
                  residual: [false]
                  pooling: [max, attention]""")).space();
        assertEquals(new SequenceSearchSpace(1, 2, List.of(32), EnumSet.of(SequenceLayerType.BILSTM,
                SequenceLayerType.CONV1D, SequenceLayerType.TRANSFORMER), List.of(16), List.of(3, 5), List.of(32),
                List.of(Activation.RELU, Activation.TANH), List.of(4), List.of(64), List.of(0.0, 0.5), List.of(false),
                List.of(SequencePooling.MAX, SequencePooling.ATTENTION)), space);
    }

    @Test
    void badTextSettingsAreOneLineNamingTheKey() {
        assertRejected("data.max_length=0: 0 must be at least 1, or auto", TEXT_SEARCH, "data.max_length=0");
        assertRejected("data.encoding=UTF-9: UTF-9 is not an encoding this JVM knows", TEXT_SEARCH, "data.encoding=UTF-9");
        assertRejected("data.encoding=UTF-16LE: UTF-16LE writes 'a' and a line end in other bytes than ASCII does",
                TEXT_SEARCH, "data.encoding=UTF-16LE");
        assertRejected("data.encoding=x-JISAutoDetect: x-JISAutoDetect is an encoding Java only decodes", TEXT_SEARCH,
                "data.encoding=x-JISAutoDetect");
        assertRejected("'csv' is not valid: expected label-space-text", TEXT_SEARCH, "data.format=csv");
        assertRejected("0.2 is used only without a test file; data.test names one", TEXT_SEARCH,
                "data.test_fraction=0.2");
        assertRejected("data.format: 'label-space-text' is text data, which only the sequence space reads",
                TEXT_SEARCH.replace("space: {kind: sequence}", "space: {kind: macro}"));
        assertRejected("test.yaml: space.kind: sequence reads text data: give the data section 'format: label-space-text'",
                ConfigAssertions.CELL_SEARCH.replace("space: {kind: nb201}", "space: {kind: sequence}")
                        .replace("training: {epochs: 2, cell_channels: 8, cells_per_stage: 1}", "training: {epochs: 2}"));
        assertRejected("unknown block type 'lstn'", TEXT_SEARCH, "space.blocks=[lstn]");
        assertRejected("8 is used only by the cell space", TEXT_SEARCH,
                "training.cell_channels=8");
        assertRejected("3 must divide every width", TEXT_SEARCH, "space.heads=[3]");
        assertRejected("data.train: (missing) is required", TEXT_SEARCH.replace("  train: text/TREC.train.all\n", ""));
    }
}
