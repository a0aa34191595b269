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
 * An export's training in this JVM, watched after every epoch as an export watches it to choose its epochs: a
 * training stopped after some of its schedule's epochs is the network the whole training had after as many.
 */
class FullDataTrainingTest {

    /** Dropout and batch normalisation: the network draws random masks and keeps running statistics. */
    private static final String ARCHITECTURE = "conv3x3x4:relu:bn/maxpool/dense16:relu:d0.25";

    @TempDir
    static Path dir;

    @Test
    void stoppingAfterSomeEpochsOfASpanGivesTheNetworkTheWholeTrainingHadThen() throws Exception {
        DataSplit data = DatasetCache.get(SyntheticImages.write(dir, 300, 60, 5));
        TrainingConfig threeEpochs = FullDataTraining.settings(new TrainingConfig(1, 60, 16, 0.01, 10, 1,
                Constraints.NONE, List.of(), CellNetworkConfig.NB201, TrainingConfig.LearningRateSchedule.COSINE), 3);
        List<Integer> epochs = new ArrayList<>();
        List<INDArray> parameters = new ArrayList<>();
        List<Double> accuracies = new ArrayList<>();
        ComputationGraph whole = network(data, threeEpochs);
        assertTrue(FullDataTraining.inProcess(whole, data.train(), threeEpochs, 9, 3, (graph, done) -> {
            epochs.add(done);
            parameters.add(graph.params().dup());
            // measured as an export measures it, which must not change the training that follows
            accuracies.add(FullDataTraining.accuracy(graph, data.validation()));
        }).isEmpty());
        assertEquals(List.of(1, 2, 3), epochs);
        assertEquals(whole.params(), parameters.get(2));
        assertNotEquals(parameters.get(1), parameters.get(2), "the third epoch trained");

        ComputationGraph stopped = network(data, threeEpochs);
        assertTrue(FullDataTraining.inProcess(stopped, data.train(), threeEpochs, 9, 2, (graph, done) -> { })
                .isEmpty());
        assertEquals(parameters.get(1), stopped.params(), "two of the three epochs, learning rate where it was then");
        assertEquals(accuracies.get(1), FullDataTraining.accuracy(stopped, data.validation()));
    }

    private static ComputationGraph network(DataSplit data, TrainingConfig training) throws Exception {
        return FullDataTraining.network(MacroArchitecture.parse(ARCHITECTURE), InputSpec.of(data.train()), training,
                17);
    }
}
