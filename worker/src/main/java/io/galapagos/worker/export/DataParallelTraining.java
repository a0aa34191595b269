package io.galapagos.worker.export;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.ObjIntConsumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Data-parallel training of one {@link ComputationGraph} with DL4J Spark's parameter averaging: each of the context's
 * task slots fits its share of a split of the batches, then the driver averages the parameters and the updater's state
 * (Adam's moments too) and broadcasts them for the next split, whose workers carry on the network's step count
 * ({@link CountingParameterAveraging}): Adam's bias correction and the learning-rate schedule are at the point of
 * training one JVM would be at. The batches travel to each executor once, as a broadcast that it holds for the whole
 * training; every epoch only a permutation of their indices is parallelised, shuffled with the graph's own seed, which
 * also seeds DL4J's splits: the same graph, batches and number of slots give the same network (bit for bit with two
 * slots; with more, up to the order in which Spark adds the workers' parameters up). Not so for a network with sequence
 * dropout: its layer draws its masks from the ND4J generator of whichever executor thread runs a split, so two
 * trainings differ (measured on {@code local[2]}). Masked batches (text) keep their masks on the way to the workers.
 *
 * <p>Runs under the searches' Spark configuration (Kryo with {@code spark.kryo.registrationRequired=true}):
 * {@link io.galapagos.worker.spark.GalapagosKryoRegistrator} registers what DL4J Spark puts on the wire. A lost
 * executor's tasks are retried like any others, from the broadcast. Leaves no files behind. Stateless.
 */
public final class DataParallelTraining {

    private DataParallelTraining() {
    }

    /**
     * Trains {@code graph} for {@code epochs} passes over {@code batches} with parameter averaging on
     * {@code sc}'s executors, one worker per each of its {@code slots} task slots (what the caller planned the batch
     * and the schedule for: Spark's default parallelism counts cores, not slots of {@code spark.task.cpus} cores),
     * and returns the trained network: a copy, {@code graph} keeps its parameters and
     * updater state (it is initialised first if it was not). Each slot fits minibatches of
     * {@code batchSizePerWorker} examples (the batches are merged or cut to that size) and the parameters are
     * averaged after every {@code averagingFrequency} of them. After each epoch {@code afterEpoch} gets the network
     * as averaged so far (on the driver; it must not train it) and the epochs done.
     */
    public static ComputationGraph fit(JavaSparkContext sc, int slots, ComputationGraph graph, List<DataSet> batches,
            int epochs, int batchSizePerWorker, int averagingFrequency, ObjIntConsumer<ComputationGraph> afterEpoch) {
        if (sc == null || graph == null || batches == null || batches.isEmpty() || slots < 1) {
            throw new IllegalArgumentException("a Spark context with a slot, a graph and at least one batch are "
                    + "required");
        }
        if (epochs < 1 || batchSizePerWorker < 1 || averagingFrequency < 1) {
            throw new IllegalArgumentException("epochs, batchSizePerWorker and averagingFrequency must be positive: "
                    + epochs + ", " + batchSizePerWorker + ", " + averagingFrequency);
        }
        graph.init();
        long seed = graph.getConfiguration().getDefaultConfiguration().getSeed();
        long examples = batches.stream().mapToLong(DataSet::numExamples).sum();
        // one worker per task slot; DL4J sizes its splits from the examples per RDD element
        int workers = slots;
        ParameterAveragingTrainingMaster master = new CountingParameterAveraging(
                new ParameterAveragingTrainingMaster.Builder(workers, (int) Math.max(1, examples / batches.size()))
                        .batchSizePerWorker(batchSizePerWorker)
                        .averagingFrequency(averagingFrequency)
                        .workerPrefetchNumBatches(0)
                        .saveUpdater(true)
                        // Export would first write the batches under hadoop.tmp.dir, on a cluster each node's own
                        // disk, and leave them to deleteTempFiles; Direct keeps them in the RDD
                        .rddTrainingApproach(RDDTrainingApproach.Direct)
                        // Each epoch's indices are parallelised as one equal slice per worker, and DL4J's splits
                        // take an equal share of each slice (give or take a batch), so every slot is busy without a
                        // shuffle, which would hand each worker its batches in the order they came over the network
                        .repartionData(Repartition.Never)
                        // no caching: an element is an index into the executor's broadcast, as cheap to look up again
                        .storageLevel(null)
                        .rngSeed(seed));
        SparkComputationGraph spark = new SparkComputationGraph(sc, countedCopy(graph), master);
        Broadcast<DataSet[]> shipped = sc.broadcast(batches.toArray(DataSet[]::new));
        try {
            List<Integer> order = IntStream.range(0, batches.size()).boxed().collect(Collectors.toList());
            Random shuffle = new Random(seed);
            for (int epoch = 0; epoch < epochs; epoch++) {
                Collections.shuffle(order, shuffle);
                spark.fitMultiDataSet(sc.parallelize(order, workers).map(new BatchAt(shipped)));
                afterEpoch.accept(spark.getNetwork(), epoch + 1);
            }
        } finally {
            shipped.destroy();
        }
        return spark.getNetwork();
    }

    /**
     * A copy of {@code graph} at its step and epoch counts: {@code ComputationGraph.clone()} copies the configuration
     * without them, and a network that has trained before would restart Adam's bias correction and its schedule.
     */
    static ComputationGraph countedCopy(ComputationGraph graph) {
        ComputationGraph copy = graph.clone();
        copy.getConfiguration().setIterationCount(graph.getConfiguration().getIterationCount());
        copy.getConfiguration().setEpochCount(graph.getConfiguration().getEpochCount());
        return copy;
    }

    /** The executor's copy of one batch, in the form a graph's worker trains on. */
    private static final class BatchAt implements Function<Integer, MultiDataSet> {

        private final Broadcast<DataSet[]> batches;

        BatchAt(Broadcast<DataSet[]> batches) {
            this.batches = batches;
        }

        @Override
        public MultiDataSet call(Integer index) {
            DataSet batch = batches.value()[index];
            return new org.nd4j.linalg.dataset.MultiDataSet(batch.getFeatures(), batch.getLabels(),
                    batch.getFeaturesMaskArray(), batch.getLabelsMaskArray());
        }
    }
}
