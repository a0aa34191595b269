package io.galapagos.worker.darts;

import io.galapagos.config.CellNetworkConfig;
import io.galapagos.space.CellArchitecture;
import io.galapagos.space.CellOperation;
import io.galapagos.space.CellSearchSpace;
import io.galapagos.worker.data.ImageDataset;
import io.galapagos.worker.data.PhaseBandImages;
import io.galapagos.worker.training.NativeThreads;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;

/**
 * The planted architecture of {@link PlantedCellTest}, measured beyond what the test checks. Which cells can learn
 * {@link PhaseBandImages}' labels, trained stand-alone as the test's premise trains them: the teacher, then the teacher
 * with one of the edges it reads the input through (0, 2, 5) changed to each other operation, a line per cell. And
 * what DARTS derives from several seeds, a line per seed with the shares of edges 0, 2 and 5. A benchmark, not a
 * test: it runs only when named, on one thread, for about ten minutes each:
 * <pre>
 * mvn -q -DskipTests install
 * mvn test -pl worker -Dtest=PlantedCellBenchmark#singleEdgeChangesOfTheTeacher -Dsurefire.failIfNoSpecifiedTests=false
 * mvn test -pl worker -Dtest=PlantedCellBenchmark#dartsOverSeeds -Dbench.epochs=8 \
 *     -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class PlantedCellBenchmark {

    @Test
    void singleEdgeChangesOfTheTeacher() throws Exception {
        NativeThreads.limit(1);
        CellNetworkConfig skeleton = new CellNetworkConfig(6, 1, CellNetworkConfig.Reduction.POOL);
        ImageDataset train = PhaseBandImages.draw(2000, 1);
        ImageDataset validation = PhaseBandImages.draw(1000, 2);
        measure(PlantedCellTest.TEACHER, skeleton, train, validation);
        for (int edge : new int[]{0, 2, 5}) {
            for (CellOperation operation : CellOperation.values()) {
                if (operation != PlantedCellTest.TEACHER.edges().get(edge)) {
                    measure(PlantedCellTest.TEACHER.with(edge, operation), skeleton, train, validation);
                }
            }
        }
    }

    /**
     * {@link PlantedCellTest#darts} from each seed of {@code -Dbench.seeds} (a comma-separated list; 1 to 6), for
     * {@code -Dbench.epochs} (5, as the test).
     */
    @Test
    void dartsOverSeeds() {
        NativeThreads.limit(1);
        List<CellOperation> operations = CellSearchSpace.nb201().operations();
        int epochs = Integer.getInteger("bench.epochs", 5);
        for (String seed : System.getProperty("bench.seeds", "1,2,3,4,5,6").split(",")) {
            long start = System.nanoTime();
            DartsSearch.Epoch last = PlantedCellTest.darts(Long.parseLong(seed.trim()), epochs);
            StringBuilder shares = new StringBuilder();
            for (int edge : new int[]{0, 2, 5}) {
                shares.append(String.format(Locale.ROOT, "  edge %d:", edge));
                for (int op = 0; op < operations.size(); op++) {
                    shares.append(String.format(Locale.ROOT, " %s %.3f", operations.get(op).text(),
                            last.mixingWeights()[edge][op]));
                }
            }
            System.out.printf(Locale.ROOT, "seed %s  %5.1f s  supernet validation accuracy %.3f  derived %s%n%s%n",
                    seed, (System.nanoTime() - start) / 1e9, last.heldOutAccuracy(), last.derived().text(), shares);
        }
    }

    private static void measure(CellArchitecture cell, CellNetworkConfig skeleton, ImageDataset train,
                                ImageDataset validation) throws Exception {
        long start = System.nanoTime();
        double accuracy = PhaseBandImages.standAlone(cell, skeleton, train, validation);
        System.out.printf(Locale.ROOT, "%.3f  %5.1f s  %s%n", accuracy, (System.nanoTime() - start) / 1e9, cell.text());
    }
}
