package io.galapagos.config;

import io.galapagos.space.CellArchitecture;
import io.galapagos.space.CellOperation;
import io.galapagos.space.InvalidValueException;

import java.io.Serializable;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Weight sharing, from a config's {@code oneshot} section: the cell space is searched on the shared weights of a
 * supernet instead of training every candidate, and the best cells are retrained stand-alone. Without a split
 * there is one supernet (one-shot NAS); with one, few-shot NAS trains one sub-supernet per operation of the split
 * edge, each a Spark task of its own.
 *
 * @param splitEdge          the edge whose operation splits the space ({@code split: edge<k>}, k from 0 to 5 in
 *                           the cell's edge order: node 1 from 0; node 2 from 0, 1; node 3 from 0, 1, 2), or -1
 *                           for none ({@code split: none}, the default)
 * @param epochs             single-path (SPOS) epochs of each supernet, after the warm-up when there is one
 *                           ({@code epochs}, default 4)
 * @param warmupEpochs       with a split, epochs of the one-shot supernet every sub-supernet starts from
 *                           ({@code warmup_epochs}, default 0: each starts from scratch)
 * @param learningRate       the optimiser's initial rate, lowered step by step along a cosine to zero
 *                           ({@code learning_rate}, default {@link Optimiser#defaultRate}: for SGD 0.1, since at
 *                           DARTS's 0.025 a supernet of a few epochs stays undertrained and ranks shallow cells
 *                           first; see the README's weight-sharing measurements)
 * @param splitLearningRate  with a split, the rate each sub-supernet's cosine starts from after the shared warm-up
 *                           ({@code split_learning_rate}, default: {@code learning_rate}); the warm-up anneals to
 *                           zero, and a sub-supernet started again at a higher rate leaves the warm-up's weights
 *                           further for its own part (see the README's weight-sharing measurements)
 * @param optimiser          what steps the shared weights ({@code optimiser}, default sgd)
 * @param momentum           SGD's momentum ({@code momentum}, default 0.9)
 * @param weightDecay        L2 weight decay ({@code weight_decay}, default 0)
 * @param batchSize          examples per supernet step ({@code batch_size}, default 64)
 * @param calibrationBatches training batches batch normalisation is recalibrated on before a candidate is
 *                           measured on shared weights ({@code calibration_batches}, default 8)
 * @param retrainTop         the best cells on shared weights retrained stand-alone ({@code retrain_top},
 *                           default 3; at most the search's trials)
 * @param correlationSample  cells drawn (seeded) to measure how well shared weights rank like stand-alone
 *                           training, each measured both ways ({@code correlation_sample}, default 0: off)
 * @param sampling           which cells a supernet step trains ({@code sampling}, default uniform)
 * @param operationWeights   single-path sampling's relative weight of each operation of the cell space
 *                           ({@code operation_weights}, a mapping from operation to weight, every operation 1 by
 *                           default: uniform); an edge's operation is drawn in proportion to its weight. Unequal
 *                           weights need {@code sampling: uniform}: a fair group trains every operation equally
 */
public record OneShotConfig(int splitEdge, int epochs, int warmupEpochs, double learningRate,
                            double splitLearningRate, Optimiser optimiser, double momentum, double weightDecay, int batchSize,
                            int calibrationBatches, int retrainTop,
                            int correlationSample, Sampling sampling, Map<CellOperation, Double> operationWeights)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final OneShotConfig DEFAULTS = new OneShotConfig(-1, 4, 0, 0.1, 0.1, Optimiser.SGD, 0.9, 0, 64, 8, 3, 0,
            Sampling.UNIFORM, equalWeights());

    /** Which cells one supernet step trains. */
    public enum Sampling {
        /** One cell, each edge's operation drawn by the operation weights, by default uniformly (SPOS, Guo et al.). */
        UNIFORM,
        /**
         * One cell per operation, each edge carrying every operation once among them, their gradients averaged
         * into one update (strict fairness, FairNAS, Chu et al. 2021): as many forward and backward passes a step
         * as there are operations.
         */
        FAIR
    }

    /** What steps a supernet's shared weights, each weight's state kept under its name across paths. */
    public enum Optimiser {
        /** Stochastic gradient descent with momentum, as SPOS (Guo et al. 2020) trains its supernets. */
        SGD(0.1),
        /**
         * Adam (DL4J's moment decays 0.9 and 0.999), as the stand-alone trainer trains a cell: each weight's step
         * scaled by its own gradient's history (see the README's weight-sharing measurements).
         */
        ADAM(0.005);

        private final double defaultRate;

        Optimiser(double defaultRate) {
            this.defaultRate = defaultRate;
        }

        /** The rate a supernet trained by this optimiser starts from unless {@code learning_rate} says another. */
        public double defaultRate() {
            return defaultRate;
        }
    }

    public OneShotConfig {
        if (splitEdge < -1 || splitEdge >= CellArchitecture.EDGES) {
            throw new InvalidValueException("split", splitText(splitEdge), "is not an edge of the cell");
        }
        if (warmupEpochs > 0 && splitEdge < 0) {
            throw new InvalidValueException("warmup_epochs", warmupEpochs, "needs a split: it is the one-shot "
                    + "training the sub-supernets of a split start from");
        }
        if (splitLearningRate != learningRate && splitEdge < 0) {
            throw new InvalidValueException("split_learning_rate", splitLearningRate, "needs a split: it is the rate "
                    + "the sub-supernets of a split train at");
        }
        if (correlationSample == 1 || correlationSample < 0) {
            throw new InvalidValueException("correlation_sample", correlationSample, "must be 0 (off) or at least 2 "
                    + "(a rank correlation compares pairs)");
        }
        if (sampling == null || optimiser == null) {
            throw new IllegalArgumentException("the sampling and the optimiser are required");
        }
        operationWeights = Map.copyOf(operationWeights);
        if (!operationWeights.keySet().equals(EnumSet.allOf(CellOperation.class))
                || operationWeights.values().stream().anyMatch(w -> !(w > 0) || w.isInfinite())) {
            throw new IllegalArgumentException("need a positive weight for every operation, got " + operationWeights);
        }
        if (sampling == Sampling.FAIR && operationWeights.values().stream().distinct().count() > 1) {
            throw new InvalidValueException("operation_weights", weightsText(operationWeights), "need sampling: "
                    + "uniform (single-path): a strictly fair group trains every operation equally");
        }
        if (retrainTop < 1) {
            throw new InvalidValueException("retrain_top", retrainTop, "must be at least 1 (the answer is a "
                    + "retrained cell)");
        }
    }

    /** Every operation weighted 1: single-path sampling is uniform. */
    public static Map<CellOperation, Double> equalWeights() {
        Map<CellOperation, Double> weights = new EnumMap<>(CellOperation.class);
        for (CellOperation op : CellOperation.values()) {
            weights.put(op, 1.0);
        }
        return weights;
    }

    private static String weightsText(Map<CellOperation, Double> weights) {
        StringJoiner text = new StringJoiner(", ", "{", "}");
        for (CellOperation op : CellOperation.values()) {
            text.add(op.text() + ": " + weights.get(op));
        }
        return text.toString();
    }

    /** The weights of {@code operations}, in their order. */
    public List<Double> weightsOf(List<CellOperation> operations) {
        return operations.stream().map(operationWeights::get).toList();
    }

    /** Whether the space is split (few-shot NAS). */
    public boolean fewShot() {
        return splitEdge >= 0;
    }

    /** The configuration's word for a split: {@code none} or {@code edge<k>}. */
    public static String splitText(int edge) {
        return edge < 0 ? "none" : "edge" + edge;
    }

    /**
     * The edge a split names.
     *
     * @throws IllegalArgumentException when it names none of {@code none}, {@code edge0} to {@code edge5}
     */
    public static int parseSplit(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("none")) {
            return -1;
        }
        String expected = "expected none or edge0 to edge" + (CellArchitecture.EDGES - 1) + " (the cell's edges in "
                + "order: node 1 from 0; node 2 from 0, 1; node 3 from 0, 1, 2)";
        if (!t.matches("edge[0-9]+")) {
            throw new IllegalArgumentException(expected);
        }
        int edge = Integer.parseInt(t.substring(4));
        if (edge >= CellArchitecture.EDGES) {
            throw new IllegalArgumentException(expected);
        }
        return edge;
    }
}
