package io.galapagos.worker.training;

import io.galapagos.config.CellNetworkConfig;
import io.galapagos.config.Constraints;
import io.galapagos.config.TrainingConfig;
import io.galapagos.space.MacroArchitecture;
import io.galapagos.worker.data.DataSplit;
import io.galapagos.worker.data.DatasetCache;
import io.galapagos.worker.network.InputSpec;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An export's training in this JVM, watched after every epoch as an export watches it to choose its epochs: the
 * watcher sees each epoch's network, and measuring it changes nothing in the training that follows.
 */
class FullDataTrainingTest {

    /** Dropout and batch normalisation: the network draws random masks and keeps running statistics. */
    private static final String ARCHITECTURE = "conv3x3x4:relu:bn/maxpool/dense16:relu:d0.25";

    @TempDir
    static Path dir;

    @Test
    void eachEpochIsSeenAndMeasuringItChangesNothing() throws Exception {
        DataSplit data = DatasetCache.get(SyntheticImages.write(dir, 300, 60, 5));
        TrainingConfig threeEpochs = FullDataTraining.settings(new TrainingConfig(1, 60, 16, 0.01, 10, 1,
                Constraints.NONE, List.of(), CellNetworkConfig.NB201, TrainingConfig.LearningRateSchedule.COSINE), 3);
        List<Integer> epochs = new ArrayList<>();
        List<INDArray> parameters = new ArrayList<>();
        ComputationGraph watched = network(data, threeEpochs);
        assertTrue(FullDataTraining.inProcess(watched, data.train(), threeEpochs, 9, (graph, done) -> {
            epochs.add(done);
            parameters.add(graph.params().dup());
            FullDataTraining.accuracy(graph, data.validation());
        }).isEmpty());
        assertEquals(List.of(1, 2, 3), epochs);
        assertNotEquals(parameters.get(0), parameters.get(1), "the second epoch trained");
        assertNotEquals(parameters.get(1), parameters.get(2), "the third epoch trained");
        assertEquals(watched.params(), parameters.get(2));

        ComputationGraph unwatched = network(data, threeEpochs);
        assertTrue(FullDataTraining.inProcess(unwatched, data.train(), threeEpochs, 9, (graph, done) -> { })
                .isEmpty());
        assertEquals(watched.params(), unwatched.params(), "the same training, unwatched");
    }

    private static ComputationGraph network(DataSplit data, TrainingConfig training) throws Exception {
        return FullDataTraining.network(MacroArchitecture.parse(ARCHITECTURE), InputSpec.of(data.train()), training,
                17);
    }
}
