package io.galapagos.worker.training;

import io.galapagos.config.Constraints;
import io.galapagos.config.TextDataConfig;
import io.galapagos.config.TrainingConfig;
import io.galapagos.space.SequenceArchitecture;
import io.galapagos.text.Vocabulary;
import io.galapagos.text.VocabularyRules;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialResult;
import io.galapagos.worker.text.TextCorpus;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * Fidelity levels on text: a promoted sequence network (dropout's random masks, SameDiff transformer and attention
 * pooling layers, Adam's state) continues from its level checkpoint to exactly the state of uninterrupted training.
 */
class TextFidelityTrainingTest {

    /** Level 1 is below the last, so its training is saved too and can be compared. */
    private static final TrainingConfig LEVELS = new TrainingConfig(3, 60, 16, 0.01, 10, 1, Constraints.NONE, List.of(1, 2, 3));
    private static final String ARCHITECTURE = "embed8/conv1d-k3x8:relu:d0.25/transformer2x16:res/head-attention";
    private static final long SEED = Candidate.seedFor(5, 0);

    @TempDir
    Path dir;

    private TextTrainingData data() throws Exception {
        Random rng = new Random(1);
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 160; i++) {
            boolean positive = rng.nextBoolean();
            lines.append(positive ? "pos" : "neg");
            for (int w = 0; w < 3 + rng.nextInt(6); w++) {
                lines.append(' ').append(rng.nextInt(4) == 0 ? (positive ? "good" : "bad") : "word" + rng.nextInt(20));
            }
            lines.append('\n');
        }
        Path train = Files.writeString(dir.resolve("texts.txt"), lines.toString());
        TextDataConfig config = new TextDataConfig(train.toString(), null, null, "UTF-8", 0.2, 0.2,
                new VocabularyRules(true, 1, 100, 8), 3);
        Vocabulary vocabulary = Vocabulary.build(TextCorpus.read(config, new Configuration()).train(),
                config.vocabulary());
        return new TextTrainingData(config, vocabulary);
    }

    private static Candidate atLevel(int level, int number, long seed) {
        return new Candidate(number, SequenceArchitecture.parse(ARCHITECTURE), seed, level);
    }

    private static TrialResult.Completed completed(TrialResult result) {
        return assertInstanceOf(TrialResult.Completed.class, result, result.reason());
    }

    private static CheckpointFile.Contents read(Path folder, int level) throws Exception {
        try (InputStream in = Files.newInputStream(folder.resolve(LevelCheckpoints.fileName(ARCHITECTURE, level)))) {
            return CheckpointFile.read(in);
        }
    }

    @Test
    void aPromotedSequenceNetworkContinuesToExactlyTheStateOfUninterruptedTraining() throws Exception {
        TextTrainingData data = data();
        Path promoted = Files.createDirectories(dir.resolve("promoted"));
        Dl4jTrialRunner runner = new Dl4jTrialRunner(data, LEVELS, 1, promoted.toUri().toString());
        assertEquals(1, completed(runner.run(atLevel(0, 0, SEED))).metrics().require(Metrics.EPOCHS));
        TrialResult.Completed continued = completed(runner.run(atLevel(1, 7, Candidate.seedFor(5, 7))));
        assertEquals(1, continued.metrics().require(Metrics.CONTINUED_FROM_EPOCHS));

        Path scratch = Files.createDirectories(dir.resolve("scratch"));
        TrialResult.Completed uninterrupted = completed(new Dl4jTrialRunner(data, LEVELS, 1,
                scratch.toUri().toString()).run(atLevel(1, 0, SEED)));
        assertEquals(0, uninterrupted.metrics().require(Metrics.CONTINUED_FROM_EPOCHS));
        assertEquals(uninterrupted.metrics().require(Metrics.VAL_ACCURACY),
                continued.metrics().require(Metrics.VAL_ACCURACY));
        try (CheckpointFile.Contents a = read(promoted, 1); CheckpointFile.Contents b = read(scratch, 1)) {
            assertArrayEquals(b.params().toFloatVector(), a.params().toFloatVector());
            assertArrayEquals(b.updater().toFloatVector(), a.updater().toFloatVector());
        }
    }
}
