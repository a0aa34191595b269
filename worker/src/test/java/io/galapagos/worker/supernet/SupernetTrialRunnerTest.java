package io.galapagos.worker.supernet;

import io.galapagos.config.OneShotConfig;
import io.galapagos.config.CellNetworkConfig;
import io.galapagos.config.DataConfig;
import io.galapagos.space.CellArchitecture;
import io.galapagos.space.CellOperation;
import io.galapagos.space.MacroArchitecture;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialResult;
import io.galapagos.trial.TrialRunner;
import io.galapagos.worker.training.NativeThreads;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Candidates measured on trained few-shot sub-supernets (two parts, split on edge 0) of 300 images of the shipped
 * Fashion-MNIST subset: each supernet file is read once per JVM, a measurement is repeatable, and what the
 * supernet cannot measure is infeasible.
 */
class SupernetTrialRunnerTest {

    private static final Path DATA = Path.of("..", "data", "fashion-mnist").toAbsolutePath().normalize();

    @TempDir
    static Path dir;
    private static SupernetSpec spec;

    @BeforeAll
    static void trainTheSupernets() throws Exception {
        NativeThreads.limit(1);
        DataConfig data = new DataConfig(DATA.resolve("train-images-idx3-ubyte.gz").toString(),
                DATA.resolve("train-labels-idx1-ubyte.gz").toString(), DATA.resolve("t10k-images-idx3-ubyte.gz").toString(),
                DATA.resolve("t10k-labels-idx1-ubyte.gz").toString(), 0.2, 300);
        spec = new SupernetSpec(data, List.of(CellOperation.NONE, CellOperation.SKIP_CONNECT, CellOperation.NOR_CONV_3X3),
                new CellNetworkConfig(2, 1), 0, 2, 0, 0.01, 0.01, OneShotConfig.Optimiser.SGD, 0.9, 0, 32,
                false, List.of(1.0, 1.0, 1.0), 5,
                dir.resolve("supernets").toUri().toString());
        for (int part = 0; part < spec.parts(); part++) {
            SupernetPartTraining.run(spec, part, "test");
        }
    }

    private static Candidate candidate(int number, String cell) {
        return new Candidate(number, CellArchitecture.parse(cell), Candidate.seedFor(1, number));
    }

    @Test
    void candidatesAreMeasuredOnTheSupernetOfTheirPartReadOncePerJvm() {
        TrialRunner runner = new SupernetRunnerFactory(spec, 2).create();
        int readsBefore = LoadedSupernets.reads();
        String conv = "|nor_conv_3x3~0|+|skip_connect~0|nor_conv_3x3~1|+|skip_connect~0|none~1|nor_conv_3x3~2|";
        String skip = "|skip_connect~0|+|skip_connect~0|nor_conv_3x3~1|+|none~0|none~1|nor_conv_3x3~2|";
        TrialResult first = runner.run(candidate(0, conv));
        Metrics m = assertInstanceOf(TrialResult.Completed.class, first, first.reason()).metrics();
        double accuracy = m.require(Metrics.VAL_ACCURACY);
        assertTrue(accuracy > 0 && accuracy <= 1, m.toString());
        assertTrue(m.require(Metrics.PARAMS) > 0 && m.require(Metrics.FLOPS) > 0, m.toString());
        assertEquals(accuracy, new SupernetRunnerFactory(spec, 2).create().run(candidate(1, conv)).metrics()
                .require(Metrics.VAL_ACCURACY), "measured again by another runner: the same");
        assertInstanceOf(TrialResult.Completed.class, runner.run(candidate(2, skip)));
        assertInstanceOf(TrialResult.Completed.class, runner.run(candidate(3, skip.replace("nor_conv_3x3~1",
                "none~1"))));
        assertTrue(LoadedSupernets.reads() - readsBefore <= 2, "two parts used, each read at most once: "
                + (LoadedSupernets.reads() - readsBefore) + " reads");
    }

    @Test
    void whatTheSupernetCannotMeasureIsInfeasible() {
        TrialRunner runner = new SupernetRunnerFactory(spec, 2).create();
        TrialResult pooled = runner.run(candidate(0,
                "|avg_pool_3x3~0|+|skip_connect~0|nor_conv_3x3~1|+|skip_connect~0|none~1|nor_conv_3x3~2|"));
        assertInstanceOf(TrialResult.Infeasible.class, pooled);
        assertEquals("not a cell of the supernet's space (operations [none, skip_connect, nor_conv_3x3])",
                pooled.reason());
        TrialResult macro = runner.run(new Candidate(1, MacroArchitecture.parse("dense16:relu"), 1));
        assertInstanceOf(TrialResult.Infeasible.class, macro);
    }

    @Test
    void aDamagedSupernetFileIsNoCandidatesFaultAndNamesTheFile() throws Exception {
        SupernetSpec elsewhere = new SupernetSpec(spec.data(), spec.operations(), spec.skeleton(), spec.splitEdge(),
                spec.epochs(), spec.warmupEpochs(), spec.learningRate(), spec.splitLearningRate(), spec.optimiser(),
                spec.momentum(),
                spec.weightDecay(), spec.batchSize(), spec.fair(),
                spec.operationWeights(), spec.seed(),
                dir.resolve("copy").toUri().toString());
        Files.createDirectories(dir.resolve("copy"));
        Path file = dir.resolve("copy").resolve(elsewhere.fileName(2));
        byte[] bytes = Files.readAllBytes(dir.resolve("supernets").resolve(spec.fileName(2)));
        bytes[bytes.length / 3] ^= 0x33;
        Files.write(file, bytes);
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> new SupernetRunnerFactory(elsewhere, 2)
                .create().run(candidate(0, "|nor_conv_3x3~0|+|skip_connect~0|none~1|+|skip_connect~0|none~1|none~2|")));
        assertTrue(e.getMessage().contains(elsewhere.fileName(2) + ": damaged or unreadable"), e.getMessage());
    }
}
