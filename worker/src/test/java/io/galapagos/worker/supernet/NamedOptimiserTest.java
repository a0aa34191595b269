package io.galapagos.worker.supernet;

import io.galapagos.worker.training.NativeThreads;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The supernet's optimisers step a path's weights exactly as DL4J's own SGD and Adam updaters would. */
class NamedOptimiserTest {

    private static final int BATCH = 32;

    /** Two paths that share all but their convolution ({@code conv_a}, {@code conv_b}). */
    private final ComputationGraph a = network("conv_a");
    private final ComputationGraph b = network("conv_b");

    @BeforeAll
    static void oneNativeThread() {
        NativeThreads.limit(1);
    }

    private static ComputationGraph network(IUpdater updater) {
        return network("conv", updater);
    }

    private static ComputationGraph network(String conv) {
        return network(conv, new Sgd(0.1));
    }

    /**
     * A small network whose convolution is named {@code conv} (networks of other names share only the rest),
     * trained by {@code updater} when DL4J fits it. The convolution has no bias: before batch normalisation its
     * gradient is rounding noise, which Adam scales up to a step of nearly the rate, differently in two networks.
     */
    private static ComputationGraph network(String conv, IUpdater updater) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(conv.hashCode()).dataType(DataType.FLOAT)
                .updater(updater).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(6, 6, 1))
                .addLayer(conv, new ConvolutionLayer.Builder(3, 3).nOut(4).hasBias(false)
                        .activation(Activation.IDENTITY).build(), "in")
                .addLayer("bn", new BatchNormalization.Builder().activation(Activation.RELU).build(), conv)
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "bn")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("out").build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    private static DataSet batch() {
        Nd4j.getRandom().setSeed(11);
        INDArray features = Nd4j.rand(DataType.FLOAT, BATCH, 1, 6, 6);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, BATCH, 3);
        for (int i = 0; i < BATCH; i++) {
            labels.putScalar(i, i % 3, 1);
        }
        return new DataSet(features, labels);
    }

    @Test
    void aStepWithoutMomentumIsDl4jsSgdStepForWeightsAndBatchStatistics() {
        assertStepsAsDl4j(new Sgd(0.1), new NamedSgd(0.1, 0, 0), 1);
    }

    @Test
    void threeAdamStepsAreDl4jsAdamStepsForWeightsAndBatchStatistics() {
        assertStepsAsDl4j(new Adam(0.01), new NamedAdam(0.01, 0), 3);
    }

    /** {@code steps} steps on one batch by DL4J's {@code updater} and by {@code optimiser} end at the same weights. */
    private static void assertStepsAsDl4j(IUpdater updater, NamedOptimiser optimiser, int steps) {
        ComputationGraph dl4j = network(updater);
        ComputationGraph path = dl4j.clone();
        SharedWeights weights = new SharedWeights();
        DataSet batch = batch();

        for (int i = 0; i < steps; i++) {
            dl4j.fit(batch);
            weights.lend(path);
            path.setInputs(batch.getFeatures());
            path.setLabels(batch.getLabels());
            path.computeGradientAndScore();
            optimiser.step(List.of(optimiser.directions(path)), weights, 1);
        }

        Map<String, INDArray> expected = dl4j.paramTable();
        assertEquals(expected.keySet(), weights.names(), "every parameter is shared under its DL4J name");
        for (Map.Entry<String, INDArray> parameter : expected.entrySet()) {
            assertArrayEquals(parameter.getValue().ravel().toFloatVector(), weights.get(parameter.getKey()).ravel().toFloatVector(),
                    1e-5f, parameter.getKey());
        }
    }

    @Test
    void aFairGroupStepMovesEachWeightByTheMeanOfThePathsThatHoldIt() {
        DataSet batch = batch();
        SharedWeights start = lentTo(a, b);
        NamedSgd sgd = new NamedSgd(0.1, 0, 0);
        Map<String, NamedOptimiser.Direction> fromA = directions(sgd, a, start, batch);
        Map<String, NamedOptimiser.Direction> fromB = directions(sgd, b, start, batch);

        SharedWeights grouped = copy(start);
        sgd.step(List.of(fromA, fromB), grouped, 1);
        SharedWeights aloneA = copy(start);
        new NamedSgd(0.1, 0, 0).step(List.of(fromA), aloneA, 1);
        SharedWeights aloneB = copy(start);
        new NamedSgd(0.1, 0, 0).step(List.of(fromB), aloneB, 1);

        assertArrayEquals(aloneA.get("conv_a_W").ravel().toFloatVector(), grouped.get("conv_a_W").ravel().toFloatVector(),
                1e-6f, "held by one path: that path's step");
        assertArrayEquals(aloneB.get("conv_b_W").ravel().toFloatVector(), grouped.get("conv_b_W").ravel().toFloatVector(),
                1e-6f, "held by the other: its step");
        for (String shared : List.of("bn_gamma", "bn_mean", "out_W")) {
            INDArray mean = aloneA.get(shared).add(aloneB.get(shared)).divi(2);
            assertArrayEquals(mean.ravel().toFloatVector(), grouped.get(shared).ravel().toFloatVector(), 1e-6f,
                    shared + ", held by both: the mean of their steps");
            assertNotEquals(aloneA.get(shared), aloneB.get(shared), shared + ": the two paths ask different things");
        }
    }

    @Test
    void adamCorrectsAWeightsBiasForItsOwnUpdatesNotTheSupernetsSteps() {
        DataSet batch = batch();
        SharedWeights weights = lentTo(a, b);
        NamedAdam adam = new NamedAdam(0.01, 0);
        for (int i = 0; i < 2; i++) {
            adam.step(List.of(directions(adam, a, weights, batch)), weights, 1);
        }
        INDArray before = weights.get("conv_b_W").dup();
        INDArray gradient = directions(adam, b, weights, batch).get("conv_b_W").value();
        adam.step(List.of(directions(adam, b, weights, batch)), weights, 1);

        // Adam's first step: rate * g / (|g| + epsilon / sqrt(1 - beta2)), about the rate against g's sign
        INDArray expected = before.sub(gradient.div(Transforms.abs(gradient, true).addi(1e-8 / Math.sqrt(0.001)))
                .muli(0.01));
        assertArrayEquals(expected.ravel().toFloatVector(), weights.get("conv_b_W").ravel().toFloatVector(), 1e-6f,
                "conv_b_W's first update, after two steps of the other path");
    }

    private static Map<String, NamedOptimiser.Direction> directions(NamedOptimiser optimiser, ComputationGraph path,
                                                                     SharedWeights weights, DataSet batch) {
        weights.lend(path);
        path.setInputs(batch.getFeatures());
        path.setLabels(batch.getLabels());
        path.computeGradientAndScore();
        return optimiser.directions(path);
    }

    /** Weights that {@code paths} borrow, each from the first path that holds it. */
    private static SharedWeights lentTo(ComputationGraph... paths) {
        SharedWeights weights = new SharedWeights();
        for (ComputationGraph path : paths) {
            weights.lend(path);
        }
        return weights;
    }

    private static SharedWeights copy(SharedWeights weights) {
        Map<String, INDArray> copies = new java.util.TreeMap<>();
        weights.names().forEach(name -> copies.put(name, weights.get(name).dup()));
        return SharedWeights.of(copies);
    }
}
