package io.galapagos.worker.training;

import io.galapagos.config.CellNetworkConfig;
import io.galapagos.config.Constraints;
import io.galapagos.config.DataConfig;
import io.galapagos.config.TrainingConfig;
import io.galapagos.space.MacroArchitecture;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The DL4J runner at fidelity levels: each level's epochs, level checkpoints where documented, and a promotion
 * that continues its lower level's training to exactly the state (weights, updater, accuracies) uninterrupted
 * training reaches; a missing, damaged or mismatched checkpoint means training from scratch.
 */
class FidelityTrainingTest {

    /** Levels of 1, 3 and 4 epochs: level 1 is below the last, so its training is saved too and can be compared. */
    private static final TrainingConfig LEVELS = new TrainingConfig(4, 60, 16, 0.01, 10, 1, Constraints.NONE, List.of(1, 3, 4));
    /** Convolution, batch normalisation (running statistics) and dropout (random masks): all the state there is. */
    private static final String ARCHITECTURE = "conv3x3x4:relu:bn/maxpool/dense16:relu:d0.25";
    private static final long SEED = Candidate.seedFor(42, 0);

    @TempDir
    static Path dir;
    private static DataConfig data;

    @BeforeAll
    static void writeData() throws IOException {
        data = SyntheticImages.write(Files.createDirectories(dir.resolve("data")), 300, 60, 5);
    }

    /** Levels as {@link #LEVELS}, the learning rate annealed over the full training's 4 epochs. */
    private static final TrainingConfig COSINE_LEVELS = new TrainingConfig(4, 60, 16, 0.01, 10, 1, Constraints.NONE,
            List.of(1, 3, 4), CellNetworkConfig.NB201, TrainingConfig.LearningRateSchedule.COSINE);

    @ParameterizedTest
    @EnumSource(TrainingConfig.LearningRateSchedule.class)
    void aPromotionContinuesToExactlyTheStateOfUninterruptedTraining(TrainingConfig.LearningRateSchedule schedule)
            throws IOException {
        TrainingConfig levels = schedule == TrainingConfig.LearningRateSchedule.COSINE ? COSINE_LEVELS : LEVELS;
        Path promoted = Files.createDirectories(dir.resolve("promoted-" + schedule.text()));
        Dl4jTrialRunner runner = runner(promoted, levels);
        TrialResult.Completed low = completed(runner.run(atLevel(0, 0, SEED)));
        assertEquals(1, low.metrics().require(Metrics.EPOCHS));
        assertEquals(0, low.metrics().require(Metrics.CONTINUED_FROM_EPOCHS));
        // the promotion is another trial, with another seed: it follows the seed of the training it continues
        TrialResult.Completed continued = completed(runner.run(atLevel(1, 7, Candidate.seedFor(42, 7))));
        assertEquals(1, continued.metrics().require(Metrics.CONTINUED_FROM_EPOCHS));
        assertEquals(3, continued.metrics().require(Metrics.EPOCHS));

        Path scratch = Files.createDirectories(dir.resolve("scratch-" + schedule.text()));
        TrialResult.Completed uninterrupted = completed(runner(scratch, levels).run(atLevel(1, 0, SEED)));
        assertEquals(0, uninterrupted.metrics().require(Metrics.CONTINUED_FROM_EPOCHS));
        assertEquals(3, uninterrupted.metrics().require(Metrics.EPOCHS));

        assertEquals(uninterrupted.metrics().require(Metrics.VAL_ACCURACY), continued.metrics().require(Metrics.VAL_ACCURACY));
        assertEquals(uninterrupted.metrics().require(Metrics.TEST_ACCURACY),
                continued.metrics().require(Metrics.TEST_ACCURACY));
        // both saved their 3-epoch state as level 1's checkpoint: weights and updater state are bit for bit equal
        try (CheckpointFile.Contents a = read(promoted, 1); CheckpointFile.Contents b = read(scratch, 1)) {
            assertArrayEquals(b.params().toFloatVector(), a.params().toFloatVector());
            assertArrayEquals(b.updater().toFloatVector(), a.updater().toFloatVector());
            assertEquals(b.state(), a.state());
            assertEquals(SEED, a.state().seed());
            assertEquals(3, a.state().epochs());
        }
        try (CheckpointFile.Contents first = read(promoted, 0)) {
            assertEquals(1, first.state().epochs());
            assertEquals(0, first.state().level());
            assertEquals(ARCHITECTURE, first.state().architecture());
        }
    }

    @Test
    void checkpointsAreNamedByArchitectureHashAndLevelAndWrittenWhole() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("named"));
        Dl4jTrialRunner runner = runner(folder);
        completed(runner.run(atLevel(0, 0, SEED)));
        completed(runner.run(atLevel(1, 1, SEED)));
        completed(runner.run(atLevel(2, 2, SEED)));
        String key = LevelCheckpoints.fileName(ARCHITECTURE, 0).substring(0, 16);
        assertTrue(key.matches("[0-9a-f]{16}"), key);
        // the last level is never promoted, so it saves nothing; no temporary or checksum files remain
        assertEquals(List.of(key + "-L0.zip", key + "-L1.zip"), files(folder));
        // a standard DL4J model file besides: ModelSerializer's own entries are there
        try (InputStream in = Files.newInputStream(folder.resolve(key + "-L0.zip"));
             ZipInputStream zip = new ZipInputStream(in)) {
            List<String> entries = new ArrayList<>();
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                entries.add(e.getName());
            }
            assertTrue(entries.containsAll(List.of(CheckpointFile.STATE, "configuration.json", "coefficients.bin",
                    "updaterState.bin")), entries.toString());
        }
    }

    @Test
    void aMissingCheckpointMeansTrainingFromScratchWithTheCandidatesOwnSeed() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        long own = Candidate.seedFor(42, 9);
        TrialResult.Completed promoted = completed(runner(empty).run(atLevel(1, 9, own)));
        assertEquals(0, promoted.metrics().require(Metrics.CONTINUED_FROM_EPOCHS));
        assertEquals(3, promoted.metrics().require(Metrics.EPOCHS));
        TrialResult.Completed plain = completed(new Dl4jTrialRunner(data, LEVELS).run(atLevel(1, 9, own)));
        assertEquals(plain.metrics().require(Metrics.VAL_ACCURACY), promoted.metrics().require(Metrics.VAL_ACCURACY));
        assertEquals(0, plain.metrics().require(Metrics.CONTINUED_FROM_EPOCHS), "no folder: always from scratch");
    }

    @Test
    void aDamagedCheckpointIsPassedOverForALowerOneOrForScratch() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("damaged"));
        Dl4jTrialRunner runner = runner(folder);
        completed(runner.run(atLevel(0, 0, SEED)));
        completed(runner.run(atLevel(1, 1, SEED)));
        Path levelOne = folder.resolve(LevelCheckpoints.fileName(ARCHITECTURE, 1));
        byte[] bytes = Files.readAllBytes(levelOne);
        Files.write(levelOne, Arrays.copyOf(bytes, bytes.length / 2));
        TrialResult.Completed fromZero = completed(runner.run(atLevel(2, 2, SEED)));
        assertEquals(1, fromZero.metrics().require(Metrics.CONTINUED_FROM_EPOCHS), "truncated level 1: level 0 used");

        Path levelZero = folder.resolve(LevelCheckpoints.fileName(ARCHITECTURE, 0));
        byte[] flipped = Files.readAllBytes(levelZero);
        flipped[flipped.length / 2] ^= 0x5A;
        Files.write(levelZero, flipped);
        Files.writeString(levelOne, "not a zip at all");
        TrialResult.Completed scratch = completed(runner.run(atLevel(2, 3, SEED)));
        assertEquals(0, scratch.metrics().require(Metrics.CONTINUED_FROM_EPOCHS), "both damaged: from scratch");
        assertEquals(4, scratch.metrics().require(Metrics.EPOCHS));
        TrialResult.Completed reference = completed(new Dl4jTrialRunner(data, LEVELS).run(atLevel(2, 3, SEED)));
        assertEquals(reference.metrics().require(Metrics.VAL_ACCURACY), scratch.metrics().require(Metrics.VAL_ACCURACY));
    }

    @Test
    void aCheckpointOfOtherTrainingSettingsIsNotContinued() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("settings"));
        completed(runner(folder).run(atLevel(0, 0, SEED)));
        TrainingConfig otherRate = new TrainingConfig(4, 60, 16, 0.02, 10, 1, Constraints.NONE, List.of(1, 3, 4));
        TrialResult.Completed promoted = completed(new Dl4jTrialRunner(data, otherRate, 1, folder.toString())
                .run(atLevel(1, 1, SEED)));
        assertEquals(0, promoted.metrics().require(Metrics.CONTINUED_FROM_EPOCHS));
        // a changed time cap changes no epoch's result: that checkpoint is continued
        TrainingConfig otherCap = new TrainingConfig(4, 120, 16, 0.01, 10, 1, Constraints.NONE, List.of(1, 3, 4));
        TrialResult.Completed capped = completed(new Dl4jTrialRunner(data, otherCap, 1, folder.toString())
                .run(atLevel(1, 2, SEED)));
        assertEquals(1, capped.metrics().require(Metrics.CONTINUED_FROM_EPOCHS));
        // under a cosine schedule, the learning rate of every mini-batch differs: not continued
        TrialResult.Completed cosine = completed(new Dl4jTrialRunner(data, COSINE_LEVELS, 1, folder.toString())
                .run(atLevel(1, 3, SEED)));
        assertEquals(0, cosine.metrics().require(Metrics.CONTINUED_FROM_EPOCHS));
    }

    @Test
    void aTrainingCutByTheTimeCapSavesNothing() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("capped"));
        TrainingConfig tiny = new TrainingConfig(4, 1e-6, 16, 0.01, 10, 1, Constraints.NONE, List.of(1, 3, 4));
        TrialResult result = new Dl4jTrialRunner(data, tiny, 1, folder.toString()).run(atLevel(0, 0, SEED));
        assertEquals(1, result.metrics().require(Metrics.TIME_CAPPED));
        assertEquals(List.of(), files(folder));
    }

    @Test
    void eachLevelTrainsItsEpochsAndFullFidelityTheConfiguredOnes() {
        Dl4jTrialRunner runner = new Dl4jTrialRunner(data, LEVELS);
        assertEquals(1, completed(runner.run(atLevel(0, 0, SEED))).metrics().require(Metrics.EPOCHS));
        TrialResult.Completed full = completed(runner.run(new Candidate(0, MacroArchitecture.parse(ARCHITECTURE), SEED)));
        assertEquals(4, full.metrics().require(Metrics.EPOCHS));
        assertFalse(full.metrics().get(Metrics.CONTINUED_FROM_EPOCHS).isPresent(), "no level, nothing to continue");
        TrialResult.Failed beyond = assertInstanceOf(TrialResult.Failed.class, runner.run(atLevel(3, 0, SEED)));
        assertEquals("fidelity level 3 is not configured: training.fidelity_epochs has levels 0 to 2 (1, 3, 4)",
                beyond.reason());
        TrialResult.Failed none = assertInstanceOf(TrialResult.Failed.class,
                new Dl4jTrialRunner(data, new TrainingConfig(2, 60, 16, 0.01, 10, 1, Constraints.NONE)).run(atLevel(1, 0, SEED)));
        assertTrue(none.reason().startsWith("fidelity level 1 is not configured: the trainer has one level, its full "
                + "training (training.fidelity_epochs offers cheaper ones"), none.reason());
    }

    @Test
    void theFactoryCarriesTheCheckpointFolderThroughJavaSerialisation() throws Exception {
        Dl4jRunnerFactory factory = new Dl4jRunnerFactory(data, LEVELS, "hdfs://namenode:8020/runs/a/checkpoints");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(factory);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            Dl4jRunnerFactory copy = (Dl4jRunnerFactory) in.readObject();
            assertEquals(factory, copy);
            assertTrue(copy.create().toString().contains("hdfs://namenode:8020/runs/a/checkpoints"), copy.create().toString());
        }
        assertNotEquals(factory, new Dl4jRunnerFactory(data, LEVELS));
    }

    private static Dl4jTrialRunner runner(Path checkpoints) {
        return runner(checkpoints, LEVELS);
    }

    private static Dl4jTrialRunner runner(Path checkpoints, TrainingConfig levels) {
        return new Dl4jTrialRunner(data, levels, 1, checkpoints.toUri().toString());
    }

    private static Candidate atLevel(int level, int number, long seed) {
        return new Candidate(number, MacroArchitecture.parse(ARCHITECTURE), seed, level);
    }

    private static TrialResult.Completed completed(TrialResult result) {
        return assertInstanceOf(TrialResult.Completed.class, result, result.reason());
    }

    private static CheckpointFile.Contents read(Path folder, int level) throws IOException {
        try (InputStream in = Files.newInputStream(folder.resolve(LevelCheckpoints.fileName(ARCHITECTURE, level)))) {
            return CheckpointFile.read(in);
        }
    }

    private static List<String> files(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
