package io.galapagos.worker.training;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.Arrays;

/** Single-example inference latency of a network. Stateless; thread-safe. */
final class Latency {

    /** Inferences per round; the network's rounds alternate with the {@link SpeedReference}'s. */
    private static final int ROUND = 5;

    private Latency() {
    }

    /**
     * The latency of one inference of {@code example} (one row, with its mask when it has one), in milliseconds at
     * the machine's calibrated speed: after {@code repeats} untimed inferences (the JIT compiles, ND4J sizes its
     * workspaces), {@code repeats} timed ones in rounds of {@value #ROUND} alternating with as many of the
     * {@link SpeedReference}'s, and the median of the network's divided by the median of the reference's, times the
     * reference's calibrated latency. The ratio cancels what the machine's speed does to both, on a time scale longer
     * than a round.
     */
    static double millis(ComputationGraph graph, DataSet example, int repeats) {
        return measure(graph, example, repeats).correctedMillis();
    }

    /** {@link #millis}'s measurement, with the network's median before the correction beside it. */
    static Measurement measure(ComputationGraph graph, DataSet example, int repeats) {
        INDArray[] features = {example.getFeatures()};
        INDArray[] masks = example.getFeaturesMaskArray() == null ? null : new INDArray[]{example.getFeaturesMaskArray()};
        SpeedReference reference = SpeedReference.forThisThread();
        for (int i = 0; i < repeats; i++) {
            Interrupts.stopIfInterrupted("after " + i + " untimed inferences");
            graph.output(false, features, masks)[0].close();
        }
        double[] network = new double[repeats];
        double[] referenceMillis = new double[repeats];
        for (int from = 0; from < repeats; from += ROUND) {
            Interrupts.stopIfInterrupted("after " + from + " timed inferences");
            int count = Math.min(ROUND, repeats - from);
            time(graph, features, masks, network, from, count);
            reference.time(referenceMillis, from, count);
        }
        double networkMedian = median(network);
        double referenceMedian = median(referenceMillis);
        return new Measurement(networkMedian, referenceMedian,
                networkMedian / referenceMedian * SpeedReference.calibratedMillis());
    }

    /** Times {@code count} inferences of {@code graph} into {@code millis[from..from+count)}. */
    static void time(ComputationGraph graph, INDArray[] features, INDArray[] masks, double[] millis, int from,
                     int count) {
        for (int i = from; i < from + count; i++) {
            long start = System.nanoTime();
            INDArray out = graph.output(false, features, masks)[0];
            millis[i] = (System.nanoTime() - start) / 1e6;
            out.close();
        }
    }

    /**
     * @param rawMillis       the network's median, as timed
     * @param referenceMillis the interleaved reference's median
     * @param correctedMillis the one over the other, times the reference's calibrated latency
     */
    record Measurement(double rawMillis, double referenceMillis, double correctedMillis) {
    }

    /** The median of {@code values} (sorts them). */
    static double median(double[] values) {
        Arrays.sort(values);
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }
}
