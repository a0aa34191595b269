package io.galapagos.worker.darts;

import io.galapagos.worker.HadoopFileSystems;
import io.galapagos.worker.data.DataSplit;
import io.galapagos.worker.data.DatasetCache;
import io.galapagos.worker.network.InputSpec;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Trains one epoch of one DARTS search on an executor: the supernet is built from the search's seed, continued from
 * the search's checkpoint, trained one epoch and checkpointed again. A search is therefore as many Spark tasks as
 * it has epochs, which is what lets the driver journal and print every epoch of every seed as it ends, and lets a
 * killed driver lose at most the epochs in flight. An epoch the checkpoint already holds (the driver stopped
 * before journaling it) is answered from the checkpoint, not trained twice. Stateless.
 */
public final class DartsEpochTraining {

    private DartsEpochTraining() {
    }

    /**
     * Epoch {@code epoch} (from 0) of search {@code index} of {@code spec}.
     *
     * @param executor names the executor in the outcome
     * @throws IOException when the data or the checkpoint cannot be read (a damaged or foreign one is refused,
     *                     naming the file), the checkpoint is not at this epoch, or it cannot be written
     */
    public static DartsEpochOutcome run(DartsSpec spec, int index, int epoch, String executor) throws IOException {
        DataSplit split = DatasetCache.get(spec.data());
        InputSpec input = InputSpec.of(split.train());
        Map<String, String> identity = spec.identity(index, input);
        Path file = new Path(spec.folder(), spec.fileName(index));
        FileSystem fs = HadoopFileSystems.of(file, HadoopFileSystems.configuration());
        try (MixedCellSupernet supernet = MixedCellSupernet.build(spec.operations(), spec.skeleton(), input,
                spec.searchSeed(index))) {
            DartsSearch search = new DartsSearch(supernet, spec.settings());
            Optional<DartsSearch.Epoch> last = DartsCheckpoint.restore(fs, file, identity, supernet, search);
            int done = last.map(e -> e.epoch() + 1).orElse(0);
            if (done == epoch + 1) {
                return new DartsEpochOutcome(index, last.get(), 0, false, executor);
            }
            if (done != epoch) {
                throw new IOException(file + ": holds " + done + " epochs, so it cannot give or train epoch "
                        + (epoch + 1));
            }
            long start = System.nanoTime();
            SearchHalves halves = SearchHalves.of(split.train());
            DartsSearch.Epoch record = search.epoch(epoch, halves.weights(), halves.alpha(),
                    new SplittableRandom(spec.searchSeed(index) * 1_000_003L + epoch));
            DartsCheckpoint.write(fs, file, identity, supernet, search, record);
            return new DartsEpochOutcome(index, record, (System.nanoTime() - start) / 1e9, true, executor);
        }
    }
}
