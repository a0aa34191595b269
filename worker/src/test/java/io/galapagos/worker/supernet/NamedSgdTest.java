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
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The supernet's optimiser steps a path's weights exactly as DL4J's own SGD updater would. */
class NamedSgdTest {

    private static final int BATCH = 32;

    @BeforeAll
    static void oneNativeThread() {
        NativeThreads.limit(1);
    }

    private static ComputationGraph network() {
        return network("conv");
    }

    /** A small network whose convolution is named {@code conv}: networks of other names share only the rest. */
    private static ComputationGraph network(String conv) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(conv.hashCode()).dataType(DataType.FLOAT)
                .updater(new Sgd(0.1)).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(6, 6, 1))
                .addLayer(conv, new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.IDENTITY).build(), "in")
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
        ComputationGraph dl4j = network();
        ComputationGraph path = dl4j.clone();
        SharedWeights weights = new SharedWeights();
        weights.lend(path);
        DataSet batch = batch();

        dl4j.fit(batch);
        path.setInputs(batch.getFeatures());
        path.setLabels(batch.getLabels());
        path.computeGradientAndScore();
        NamedSgd sgd = new NamedSgd(0.1, 0, 0);
        sgd.step(List.of(sgd.directions(path)), weights, 1);

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
        ComputationGraph a = network("conv_a");
        ComputationGraph b = network("conv_b");
        SharedWeights start = new SharedWeights();
        start.lend(a);
        start.lend(b);
        NamedSgd sgd = new NamedSgd(0.1, 0, 0);
        Map<String, NamedSgd.Direction> fromA = directions(sgd, a, start, batch);
        Map<String, NamedSgd.Direction> fromB = directions(sgd, b, start, batch);

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

    private static Map<String, NamedSgd.Direction> directions(NamedSgd sgd, ComputationGraph path, SharedWeights weights,
                                                               DataSet batch) {
        weights.lend(path);
        path.setInputs(batch.getFeatures());
        path.setLabels(batch.getLabels());
        path.computeGradientAndScore();
        return sgd.directions(path);
    }

    private static SharedWeights copy(SharedWeights weights) {
        Map<String, INDArray> copies = new java.util.TreeMap<>();
        weights.names().forEach(name -> copies.put(name, weights.get(name).dup()));
        return SharedWeights.of(copies);
    }
}
