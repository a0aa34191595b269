package io.galapagos.worker.supernet;

import io.galapagos.space.CellArchitecture;
import io.galapagos.space.CellOperation;
import io.galapagos.space.CellSearchSpace;
import io.galapagos.worker.HadoopFileSystems;
import io.galapagos.worker.data.DatasetCache;
import io.galapagos.worker.data.ExampleOrder;
import io.galapagos.worker.data.ImageDataset;
import io.galapagos.worker.network.InfeasibleNetworkException;
import io.galapagos.worker.network.InputSpec;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Which edge a few-shot split should cut, by gradient matching (GM-NAS, Hu et al. 2022): on a warmed-up one-shot
 * supernet, the operations of an edge whose gradients on the weights they share pull in different directions are
 * the ones that co-adapt worst, so splitting that edge apart helps most. On each of a few mini-batches, with one
 * cell drawn for it, every operation of an edge in turn takes the edge and the gradient of the shared weights is
 * computed; the cosine similarity of two operations' gradients is taken over the weights both paths hold (the
 * edge's own operation weights are never among them; batch-normalisation statistics are left out), and an edge's
 * score is its mean over the pairs of operations and the mini-batches, as GM-NAS's "cos" distance averages it.
 * The edge with the lowest score is the one to split. Measurement only, in the test tree: on Fashion-MNIST its
 * scores found the better half of the edges but not the one whose split beats one-shot, and its pick changed from
 * seed to seed ({@code benchmarks/supernet-ranking/MEASUREMENTS.md}, {@link GradientMatchingBenchmark}), so no
 * search option uses it. Deterministic for a generator; not thread-safe (one supernet on one thread).
 */
final class GradientMatching {

    private GradientMatching() {
    }

    /**
     * Each edge's score on the finished warm-up of {@code spec} (its one-shot supernet), over {@code batches}
     * mini-batches of the spec's size drawn from its seed.
     *
     * @throws IOException when the data or the warm-up cannot be read (as {@link SupernetPartTraining} reads it)
     */
    static double[] ofWarmUp(SupernetSpec spec, int batches) throws IOException, InfeasibleNetworkException {
        ImageDataset train = DatasetCache.get(spec.data()).train();
        InputSpec input = InputSpec.of(train);
        SupernetSpec warmUp = spec.warmUp();
        Path file = new Path(warmUp.folder(), warmUp.fileName(0));
        FileSystem fs = HadoopFileSystems.of(file, new Configuration());
        SharedWeights weights = SupernetPartTraining.warmUp(fs, spec, input).weights();
        try (PathNetworks paths = spec.paths(input)) {
            return edgeScores(paths, weights, spec.operations(), train, batches, spec.batchSize(),
                    new SplittableRandom(spec.seed()));
        }
    }

    /**
     * Each edge's score, in [-1, 1]: the mean cosine similarity of the gradients of its operations, pair by pair.
     *
     * @param batches mini-batches the scores are averaged over, drawn once from {@code random} with a cell each
     * @throws InfeasibleNetworkException when a cell's network cannot be built
     */
    static double[] edgeScores(PathNetworks paths, SharedWeights weights, List<CellOperation> operations,
                               ImageDataset train, int batches, int batchSize, SplittableRandom random)
            throws InfeasibleNetworkException {
        if (batches < 1 || (long) batches * batchSize > train.size()) {
            throw new IllegalArgumentException("need 1 to " + train.size() / batchSize + " batches of " + batchSize
                    + ", got " + batches);
        }
        CellSearchSpace space = new CellSearchSpace(operations);
        int[] order = ExampleOrder.shuffled(train.size(), random);
        List<CellArchitecture> cells = new ArrayList<>(batches);
        for (int b = 0; b < batches; b++) {
            cells.add(space.sample(random));
        }
        NamedSgd directions = new NamedSgd(1, 0, 0);
        double[] scores = new double[CellArchitecture.EDGES];
        for (int edge = 0; edge < scores.length; edge++) {
            for (int b = 0; b < batches; b++) {
                DataSet batch = train.batch(order, b * batchSize, (b + 1) * batchSize);
                List<Map<String, INDArray>> gradients = new ArrayList<>(operations.size());
                for (CellOperation operation : operations) {
                    ComputationGraph path = paths.of(cells.get(b).with(edge, operation));
                    weights.lend(path);
                    path.setInputs(batch.getFeatures());
                    path.setLabels(batch.getLabels());
                    path.computeGradientAndScore();
                    Map<String, INDArray> learned = new HashMap<>();
                    directions.directions(path).forEach((name, d) -> {
                        if (!d.statistic()) {
                            learned.put(name, d.value());
                        }
                    });
                    gradients.add(learned);
                }
                scores[edge] += meanCosine(gradients) / batches;
                batch.getFeatures().close();
                batch.getLabels().close();
            }
        }
        return scores;
    }

    /** The edge with the lowest score: the one whose operations' gradients agree least. */
    static int edgeToSplit(double[] scores) {
        int edge = 0;
        for (int e = 1; e < scores.length; e++) {
            edge = scores[e] < scores[edge] ? e : edge;
        }
        return edge;
    }

    /** The mean, over every pair of {@code gradients}, of their cosine similarity on the weights both hold. */
    static double meanCosine(List<Map<String, INDArray>> gradients) {
        double total = 0;
        int pairs = 0;
        for (int i = 0; i < gradients.size(); i++) {
            for (int j = i + 1; j < gradients.size(); j++) {
                total += cosine(gradients.get(i), gradients.get(j));
                pairs++;
            }
        }
        return pairs == 0 ? 1 : total / pairs;
    }

    /** Cosine similarity over the names both hold; 0 when either is zero there (no direction to agree with). */
    static double cosine(Map<String, INDArray> a, Map<String, INDArray> b) {
        double dot = 0;
        double normA = 0;
        double normB = 0;
        for (Map.Entry<String, INDArray> entry : a.entrySet()) {
            INDArray other = b.get(entry.getKey());
            if (other != null) {
                INDArray mine = entry.getValue();
                dot += mine.mul(other).sumNumber().doubleValue();
                normA += mine.mul(mine).sumNumber().doubleValue();
                normB += other.mul(other).sumNumber().doubleValue();
            }
        }
        return normA == 0 || normB == 0 ? 0 : dot / Math.sqrt(normA * normB);
    }
}
