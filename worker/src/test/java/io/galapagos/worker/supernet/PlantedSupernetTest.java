package io.galapagos.worker.supernet;

import io.galapagos.config.OneShotConfig;
import io.galapagos.config.CellNetworkConfig;
import io.galapagos.config.DataConfig;
import io.galapagos.space.CellArchitecture;
import io.galapagos.space.CellOperation;
import io.galapagos.space.CellSearchSpace;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialRunner;
import io.galapagos.worker.data.ImageDataset;
import io.galapagos.worker.data.PhaseBandImages;
import io.galapagos.worker.training.NativeThreads;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A planted architecture for weight sharing ({@link PhaseBandImages} with bands 2 columns apart): labels that a cell
 * computes when one of its paths holds a 3x3 convolution followed by a convolution (the bands' rectified overlap),
 * with no pooling before that second convolution, as the teacher's cell has (edge 0 a 3x3 convolution, edge 4 a 1x1
 * one). Stand-alone, the teacher learns them and its twin with a 1x1 convolution on edge 0 stays at chance. A
 * supernet trained with single-path uniform sampling for 24 epochs (one-shot), and five sub-supernets split on edge
 * 0 trained from scratch for 4 epochs each (few-shot, 20 epochs in all), written and read as a search's are, rank a
 * fixed sample of 30 cells that holds the teacher: their top 5 hold only cells with the teacher's structure, and the
 * teacher ranks above every cell without it.
 *
 * <p>The weight-sharing pitfall the task shows: the sampled path holds the teacher's structure in about a quarter
 * of the one-shot supernet's steps, and the other three quarters train the same weights on labels they cannot
 * read, so single-path training learns the task late (hence the rate of 0.3) and not from every seed; the
 * sub-supernet of edge 0's 3x3 convolution holds the structure in about two thirds of its steps. From seeds 1, 2 and
 * 3 ({@code mvn test -pl worker -Dtest=PlantedSupernetTest -Dplanted.seed=N}, 2026-12-02): few-shot ranks as
 * asserted from all three; one-shot from seeds 1 and 2, while from seed 3 it does not learn the task in 24 epochs
 * (nor in 40) and ranks the sample by chance.
 */
class PlantedSupernetTest {

    private static final CellArchitecture TEACHER = CellArchitecture.parse(
            "|nor_conv_3x3~0|+|none~0|none~1|+|none~0|nor_conv_1x1~1|none~2|");
    private static final CellNetworkConfig SKELETON = new CellNetworkConfig(6, 1, CellNetworkConfig.Reduction.POOL);
    private static final int GAP = 2;
    /** The supernets' seed; {@code -Dplanted.seed=N} trains from another. */
    private static final long SEED = Long.getLong("planted.seed", 1);
    /** The cell's paths from the input to its output, by edge. */
    private static final int[][] PATHS = {{0, 4}, {1, 5}, {0, 2, 5}};

    @TempDir
    static Path dir;
    private static SupernetSpec oneShot;
    private static SupernetSpec fewShot;

    /** Trains the one-shot supernet and the five few-shot sub-supernets with the code a search runs in its tasks. */
    @BeforeAll
    static void trainTheSupernets() throws Exception {
        NativeThreads.limit(1);
        Path train = PhaseBandImages.writeIdx(dir, "train", 2400, 1, GAP);
        Path test = PhaseBandImages.writeIdx(dir, "test", 100, 3, GAP);
        DataConfig data = new DataConfig(train.toString(), dir.resolve("train-labels-idx1-ubyte").toString(),
                test.toString(), dir.resolve("test-labels-idx1-ubyte").toString(), 0.25, 0);
        oneShot = spec(data, -1, 24, "one-shot");
        fewShot = spec(data, 0, 4, "few-shot");
        SupernetPartTraining.run(oneShot, 0, "test");
        for (int part = 0; part < fewShot.parts(); part++) {
            SupernetPartTraining.run(fewShot, part, "test");
        }
    }

    @Test
    void theTeachersCellLearnsTheLabelsStandAloneAndItsTwinWithoutA3x3FieldDoesNot() throws Exception {
        ImageDataset train = PhaseBandImages.draw(2000, 1, GAP);
        ImageDataset validation = PhaseBandImages.draw(1000, 2, GAP);
        assertTrue(readsTheLabels(TEACHER));
        assertEquals(9, sample().stream().filter(PlantedSupernetTest::readsTheLabels).count(), "the sample's readers");
        assertTrue(PhaseBandImages.standAlone(TEACHER, SKELETON, train, validation) >= 0.95, "the teacher's cell");
        CellArchitecture twin = TEACHER.with(0, CellOperation.NOR_CONV_1X1);
        assertFalse(readsTheLabels(twin));
        assertTrue(PhaseBandImages.standAlone(twin, SKELETON, train, validation) <= 0.6, twin.text());
    }

    @Test
    void oneShotRanksTheTeachersStructureFirst() {
        assertRanksTheTeachersStructureFirst(oneShot);
    }

    @Test
    void fewShotSplitOnTheFirstEdgeRanksTheTeachersStructureFirst() {
        assertRanksTheTeachersStructureFirst(fewShot);
    }

    /** SPOS at a rate of 0.3 (SGD with momentum 0.9, cosine), batches of 64. */
    private static SupernetSpec spec(DataConfig data, int splitEdge, int epochs, String folder) {
        return new SupernetSpec(data, List.of(CellOperation.values()), SKELETON, splitEdge, epochs, 0, 0.3, 0.3,
                OneShotConfig.Optimiser.SGD, 0.9, 0, 64, false, Collections.nCopies(CellOperation.values().length, 1.0),
                SEED, dir.resolve(folder).toUri().toString());
    }

    /** The top 5 of the sample on shared weights have the teacher's structure; the teacher beats every cell without. */
    private static void assertRanksTheTeachersStructureFirst(SupernetSpec spec) {
        TrialRunner runner = new SupernetRunnerFactory(spec, 4).create();
        List<Ranked> ranking = new ArrayList<>();
        for (CellArchitecture cell : sample()) {
            Candidate candidate = new Candidate(ranking.size(), cell, 1);
            ranking.add(new Ranked(cell, runner.run(candidate).metrics().require(Metrics.VAL_ACCURACY)));
        }
        ranking.sort(Comparator.comparingDouble(Ranked::accuracy).reversed());
        String table = String.join("\n", ranking.stream().map(Ranked::toString).toList());
        assertTrue(ranking.subList(0, 5).stream().allMatch(r -> readsTheLabels(r.cell())), table);
        double teacher = ranking.stream().filter(r -> r.cell().equals(TEACHER)).findFirst().orElseThrow().accuracy();
        assertTrue(ranking.stream().filter(r -> !readsTheLabels(r.cell())).allMatch(r -> r.accuracy() < teacher),
                table);
    }

    private record Ranked(CellArchitecture cell, double accuracy) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.3f %s %s", accuracy, readsTheLabels(cell) ? "reads" : "     ",
                    cell.text());
        }
    }

    /** The teacher and 29 other cells drawn from NB201's space: 9 of the 30 have the teacher's structure. */
    private static Set<CellArchitecture> sample() {
        Set<CellArchitecture> cells = new LinkedHashSet<>(List.of(TEACHER));
        SplittableRandom random = new SplittableRandom(5);
        while (cells.size() < 30) {
            cells.add(CellSearchSpace.nb201().sample(random));
        }
        return cells;
    }

    /**
     * Whether a path of {@code cell} holds a 3x3 convolution and then a convolution (whose ReLU reads the overlap),
     * with no {@code none} on it and no pooling before the second convolution (pooling shrinks the checkerboard).
     */
    private static boolean readsTheLabels(CellArchitecture cell) {
        for (int[] path : PATHS) {
            boolean widened = false;
            boolean read = false;
            boolean live = true;
            for (int edge : path) {
                CellOperation operation = cell.edges().get(edge);
                live &= operation != CellOperation.NONE;
                if (!read) {
                    if (operation == CellOperation.AVG_POOL_3X3) {
                        break;
                    }
                    read = widened && operation != CellOperation.SKIP_CONNECT;
                    widened |= operation == CellOperation.NOR_CONV_3X3;
                }
            }
            if (live && read) {
                return true;
            }
        }
        return false;
    }
}
