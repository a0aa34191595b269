package io.galapagos.worker.training;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

/**
 * A fixed small network (a 3x3 convolution of 16 filters on a 16x16 image, 2x2 max pooling, 64 dense units, 10
 * outputs; about 0.6 ms on one core of this project's CPUs) whose inferences are timed in rounds alternating with a
 * measured network's, so that a latency can be corrected for the speed the machine happens to run at. On a shared
 * machine that speed drifts by up to 2x within seconds: two measurements of the same network a few seconds apart
 * ranked 40 networks at Spearman 0.85 to 0.89, while the ratio to the interleaved reference ranked them at 0.98
 * ({@code LatencyModelBenchmark}'s second measurement shows the same). One instance per thread, because a
 * {@link ComputationGraph} keeps its activations between calls; its speed is calibrated once per JVM.
 */
final class SpeedReference {

    /** How long the reference runs untimed before the calibration, so that the JIT has compiled its path. */
    private static final long WARM_UP_NANOS = 3_000_000_000L;
    /** How long the calibration times rounds, once per JVM. */
    private static final long CALIBRATION_NANOS = 1_000_000_000L;
    private static final int ROUND = 5;
    private static final ThreadLocal<SpeedReference> PER_THREAD = ThreadLocal.withInitial(SpeedReference::new);
    private static volatile double calibratedMillis;

    private final ComputationGraph graph;
    private final INDArray[] input;

    private SpeedReference() {
        graph = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT)
                .graphBuilder().addInputs("image").setInputTypes(InputType.convolutional(16, 16, 1))
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(16).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.RELU).build(), "image")
                .addLayer("pool", new SubsamplingLayer.Builder(2, 2).stride(2, 2).build(), "conv")
                .addLayer("dense", new DenseLayer.Builder().nOut(64).activation(Activation.RELU).build(), "pool")
                .addLayer("out", new OutputLayer.Builder().nOut(10).activation(Activation.SOFTMAX).build(), "dense")
                .setOutputs("out").build());
        graph.init();
        input = new INDArray[]{Nd4j.rand(DataType.FLOAT, 1, 1, 16, 16)};
    }

    /** This thread's reference, its speed calibrated for the JVM by the first thread to ask. */
    static SpeedReference forThisThread() {
        SpeedReference reference = PER_THREAD.get();
        if (calibratedMillis == 0) {
            synchronized (SpeedReference.class) {
                if (calibratedMillis == 0) {
                    calibratedMillis = reference.calibrate();
                }
            }
        }
        return reference;
    }

    /** The reference's calibrated latency for this JVM, in milliseconds: the unit corrected latencies are in. */
    static double calibratedMillis() {
        return calibratedMillis;
    }

    /**
     * The reference's latency at the fast end of the machine's speed: the 10th percentile of the medians of rounds
     * of {@value #ROUND} inferences over a second, after three seconds of untimed ones (calibrated after only 200, a
     * path the JIT had not finished compiling, latencies came out up to twice too long). A second spans several of
     * the speed's swings on a shared machine, and their fast end is what a machine left to itself runs at.
     */
    private double calibrate() {
        double[] round = new double[ROUND];
        long warm = System.nanoTime() + WARM_UP_NANOS;
        while (System.nanoTime() < warm) {
            time(round, 0, ROUND);
        }
        List<Double> medians = new ArrayList<>();
        long end = System.nanoTime() + CALIBRATION_NANOS;
        while (System.nanoTime() < end) {
            time(round, 0, ROUND);
            medians.add(Latency.median(round));
        }
        double[] sorted = medians.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[sorted.length / 10];
    }

    /** Times {@code count} inferences into {@code millis[from..from+count)}. */
    void time(double[] millis, int from, int count) {
        Latency.time(graph, input, null, millis, from, count);
    }
}
