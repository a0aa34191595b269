package io.galapagos.worker.training;

import io.galapagos.config.CellNetworkConfig;
import io.galapagos.config.Constraints;
import io.galapagos.config.DataConfig;
import io.galapagos.config.TrainingConfig;
import io.galapagos.space.MacroArchitecture;
import io.galapagos.worker.data.DatasetCache;
import io.galapagos.worker.data.ImageDataset;
import io.galapagos.worker.network.BuiltNetwork;
import io.galapagos.worker.network.InputSpec;
import io.galapagos.worker.network.NetworkBuilder;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The cosine learning rate schedule: its values, its JSON form in a DL4J configuration, and the trainer using it. */
class CosineDecayTest {

    @TempDir
    Path dir;

    @Test
    void fallsFromTheLearningRateToZeroAlongHalfACosine() {
        CosineDecay decay = new CosineDecay(0.1, 100);
        assertEquals(0.1, decay.valueAt(0, 0), 1e-12);
        assertEquals(0.05, decay.valueAt(50, 3), 1e-12);
        assertEquals(0.1 * 0.5 * (1 + Math.cos(Math.PI / 4)), decay.valueAt(25, 0), 1e-12);
        assertEquals(0, decay.valueAt(100, 0), 1e-12);
        assertEquals(0, decay.valueAt(250, 0), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new CosineDecay(0, 10));
        assertThrows(IllegalArgumentException.class, () -> new CosineDecay(0.1, 0));
    }

    @Test
    void survivesTheJsonRoundTripOfADl4jConfiguration() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .updater(new Adam(new CosineDecay(0.02, 37)))
                .graphBuilder().addInputs("in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(3).nOut(2).build(), "in")
                .setOutputs("out").build();
        ComputationGraphConfiguration read = ComputationGraphConfiguration.fromJson(conf.toJson());
        LayerVertex out = (LayerVertex) read.getVertices().get("out");
        Adam adam = (Adam) ((BaseLayer) out.getLayerConf().getLayer()).getIUpdater();
        assertEquals(new CosineDecay(0.02, 37), adam.getLearningRateSchedule());
    }

    @Test
    void theTrainerAnnealsOverTheFullTrainingsEpochs() throws Exception {
        DataConfig data = SyntheticImages.write(dir, 100, 20, 5);
        ImageDataset train = DatasetCache.get(data).train();
        TrainingConfig cosine = new TrainingConfig(3, 60, 16, 0.01, 10, 1, Constraints.NONE, List.of(1, 3), CellNetworkConfig.NB201,
                TrainingConfig.LearningRateSchedule.COSINE);
        BuiltNetwork network = new NetworkBuilder(NetworkBuilder.DEFAULT_MAX_PARAMS, Long.MAX_VALUE, Constraints.NONE,
                CellNetworkConfig.NB201).build(MacroArchitecture.parse("dense8:relu"), InputSpec.of(train), 16,
                cosine.learningRate(), 1);
        ComputationGraph graph = network.graph();
        try {
            Trainer.train(graph, train, cosine, Trainer.Start.fresh(1), 1);
            int batchesPerEpoch = (train.size() + 15) / 16;
            assertEquals(batchesPerEpoch, graph.getIterationCount());
            Adam adam = (Adam) ((BaseLayer) graph.getLayer(0).conf().getLayer()).getIUpdater();
            // one epoch of three: the schedule spans all three, so the next mini-batch's rate is 3/4 of the first's
            assertEquals(new CosineDecay(0.01, 3 * batchesPerEpoch), adam.getLearningRateSchedule());
            assertEquals(0.0075, adam.getLearningRateSchedule().valueAt(graph.getIterationCount(), 1), 1e-3);
        } finally {
            graph.close();
        }
    }
}
