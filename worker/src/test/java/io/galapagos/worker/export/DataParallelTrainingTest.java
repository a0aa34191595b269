package io.galapagos.worker.export;

import io.galapagos.config.CellNetworkConfig;
import io.galapagos.config.Constraints;
import io.galapagos.config.TrainingConfig;
import io.galapagos.space.Architecture;
import io.galapagos.worker.network.InputSpec;
import io.galapagos.worker.network.NativeConvolution;
import io.galapagos.worker.network.NetworkBuilder;
import io.galapagos.worker.network.TokenInput;
import io.galapagos.worker.spark.GalapagosKryoRegistrator;
import io.galapagos.worker.training.FullDataTraining;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.serializer.KryoSerializer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.ObjIntConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Data-parallel training in local-mode Spark with two task slots, under the searches' Kryo settings
 * ({@code spark.kryo.registrationRequired=true}), against the same graph trained in this JVM.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DataParallelTrainingTest {

    private static final int SLOTS = 2;

    private static final int FEATURES = 8;
    private static final int CLASSES = 3;
    private static final int BATCH = 32;
    private static final int EPOCHS = 5;

    private static final ObjIntConsumer<ComputationGraph> UNWATCHED = (network, done) -> { };

    private static JavaSparkContext sc;

    @BeforeAll
    static void startSpark() {
        SparkConf conf = new SparkConf(false)
                .set("spark.serializer", KryoSerializer.class.getName())
                .set("spark.kryo.registrator", GalapagosKryoRegistrator.class.getName())
                .set("spark.kryo.registrationRequired", "true")
                .setMaster("local[" + SLOTS + "]")
                .setAppName("DataParallelTrainingTest")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
        sc = new JavaSparkContext(conf);
    }

    @AfterAll
    static void stopSpark() {
        if (sc != null) {
            sc.stop();
        }
    }

    @Test
    void learnsAsWellAsTrainingInOneJvm() {
        List<DataSet> train = blobs(600, 1).batchBy(BATCH);
        DataSet heldOut = blobs(300, 2);
        ComputationGraph graph = graph();
        INDArray initial = graph.params().dup();

        ComputationGraph parallel = DataParallelTraining.fit(sc, SLOTS, graph, train, EPOCHS, BATCH, 2, UNWATCHED);

        assertEquals(initial, graph.params(), "the graph passed in keeps its parameters");
        assertNotEquals(initial, parallel.params(), "training changed the parameters");
        ComputationGraph local = graph.clone();
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            for (DataSet batch : train) {
                local.fit(batch);
            }
        }
        double parallelAccuracy = accuracy(parallel, heldOut);
        double localAccuracy = accuracy(local, heldOut);
        assertTrue(parallelAccuracy > 0.9, "data-parallel accuracy " + parallelAccuracy);
        assertEquals(localAccuracy, parallelAccuracy, 0.05, "data-parallel against one JVM");
    }

    @Test
    void theSameInputsGiveTheSameNetwork() {
        List<DataSet> train = blobs(200, 3).batchBy(BATCH);
        ComputationGraph graph = graph();
        INDArray first = DataParallelTraining.fit(sc, SLOTS, graph, train, 2, BATCH, 1, UNWATCHED).params();
        INDArray second = DataParallelTraining.fit(sc, SLOTS, graph, train, 2, BATCH, 1, UNWATCHED).params();
        assertEquals(first, second);
    }

    @Test
    void trainsTheSearchsNativeLayers() throws Exception {
        // each worker rebuilds the graph from the broadcast configuration: the native layers must survive that
        ComputationGraph graph = new NetworkBuilder(NetworkBuilder.DEFAULT_MAX_PARAMS, 1L << 30, Constraints.NONE)
                .build(Architecture.parse("conv3x3x4:relu/conv3x3x6:relu:bn/maxpool/conv3x3x8:relu:bn:add(0+1)"),
                        new InputSpec(9, 7, 2, CLASSES), 8, 1e-2, 11)
                .graph();
        assertTrue(graph.getConfiguration().getVertices().values().stream().anyMatch(vertex ->
                vertex instanceof LayerVertex layer && layer.getLayerConf().getLayer() instanceof NativeConvolution));
        Nd4j.getRandom().setSeed(5);
        List<DataSet> batches = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            batches.add(new DataSet(Nd4j.rand(DataType.FLOAT, 8, 9 * 7 * 2),
                    Nd4j.eye(CLASSES).getRows(0, 1, 2, 0, 1, 2, 0, 1).castTo(DataType.FLOAT)));
        }
        ComputationGraph trained = DataParallelTraining.fit(sc, SLOTS, graph, batches, 2, 8, 2, UNWATCHED);
        assertNotEquals(graph.params(), trained.params());
        assertTrue(Double.isFinite(trained.params().sumNumber().doubleValue()), "finite parameters");
    }

    @Test
    void trainsASequenceNetworkOnMaskedBatchesAndTheMasksTravel() throws Exception {
        // a text export's network (Galapagos's SameDiff layers) on padded, masked batches: the ids at padded positions
        // change nothing, as long as the masks reach the workers
        ComputationGraph graph = NetworkBuilder.portable(CellNetworkConfig.NB201)
                .build(Architecture.parse("embed8/transformer2x8/head-attention"), new TokenInput(20, 6, CLASSES),
                        8, 1e-2, 13)
                .graph();
        ComputationGraph trained = DataParallelTraining.fit(sc, SLOTS, graph, tokenBatches(0), 2, 8, 2, UNWATCHED);
        assertNotEquals(graph.params(), trained.params());
        assertTrue(Double.isFinite(trained.params().sumNumber().doubleValue()), "finite parameters");
        assertEquals(trained.params(),
                DataParallelTraining.fit(sc, SLOTS, graph, tokenBatches(7), 2, 8, 2, UNWATCHED).params());
    }

    /** Eight batches of 8 texts of 2 to 6 random ids below 20, padded with {@code pad} to 6 positions, and masks. */
    private static List<DataSet> tokenBatches(int pad) {
        Random random = new Random(9);
        List<DataSet> batches = new ArrayList<>();
        for (int b = 0; b < 8; b++) {
            float[] ids = new float[8 * 6];
            float[] mask = new float[8 * 6];
            float[][] labels = new float[8][CLASSES];
            for (int i = 0; i < 8; i++) {
                int length = 2 + random.nextInt(5);
                for (int t = 0; t < 6; t++) {
                    ids[i * 6 + t] = t < length ? 2 + random.nextInt(18) : pad;
                    mask[i * 6 + t] = t < length ? 1 : 0;
                }
                labels[i][(int) ids[i * 6] % CLASSES] = 1;
            }
            batches.add(new DataSet(Nd4j.create(ids, new long[]{8, 1, 6}, DataType.FLOAT), Nd4j.create(labels),
                    Nd4j.create(mask, new long[]{8, 6}, DataType.FLOAT), null));
        }
        return batches;
    }

    @Test
    void aCosineScheduleSpansTheStepsEachWorkerTakes() {
        // 40 batches on 2 slots, averaged every 5: 4 splits an epoch of 5 steps per worker, 20 steps an epoch
        List<DataSet> train = blobs(40 * BATCH, 5).batchBy(BATCH);
        ComputationGraph graph = annealedOver(2, train.size());
        assertEquals(0.01, graph.getLearningRate("hidden"), 1e-9);

        ComputationGraph trained = DataParallelTraining.fit(sc, SLOTS, graph, train, 2, BATCH, 5, UNWATCHED);

        assertEquals(40, trained.getConfiguration().getIterationCount(), "the steps each worker took");
        assertEquals(0, trained.getLearningRate("hidden"), 1e-9, "annealed to zero by the end");
    }

    @Test
    void workersContinueTheStepCountSoTrainingMatchesOneJvm() {
        // Both slots fit copies of one batch, so averaging changes nothing and the network must be the one that 5
        // steps an epoch give in one JVM. Each epoch is one split: each split's workers must go on counting from the
        // steps before it, for Adam's bias correction and the annealing (DL4J Spark alone restarts them at zero).
        DataSet one = blobs(BATCH, 8);
        List<DataSet> copies = Collections.nCopies(2 * 5, one);
        ComputationGraph graph = annealedOver(3, copies.size());
        ComputationGraph local = graph.clone();

        ComputationGraph parallel = DataParallelTraining.fit(sc, SLOTS, graph, copies, 3, BATCH, 5, UNWATCHED);

        for (int step = 0; step < 3 * 5; step++) {
            local.fit(one);
        }
        assertEquals(local.params(), parallel.params());
        assertEquals(local.getUpdater().getStateViewArray(), parallel.getUpdater().getStateViewArray());
    }

    @Test
    void aNetworkThatTrainedBeforeContinuesItsStepCount() {
        DataSet one = blobs(BATCH, 8);
        List<DataSet> copies = Collections.nCopies(2 * 5, one);
        ComputationGraph graph = annealedOver(3, copies.size());
        graph.fit(one);
        graph.fit(one);
        ComputationGraph local = DataParallelTraining.countedCopy(graph);
        assertEquals(2, local.getConfiguration().getIterationCount(), "the copy keeps the count");

        ComputationGraph parallel = DataParallelTraining.fit(sc, SLOTS, graph, copies, 2, BATCH, 5, UNWATCHED);

        for (int step = 0; step < 2 * 5; step++) {
            local.fit(one);
        }
        assertEquals(local.params(), parallel.params());
        assertEquals(local.getUpdater().getStateViewArray(), parallel.getUpdater().getStateViewArray());
    }

    @Test
    void eachEpochsAveragedNetworkIsSeen() {
        // how an export chooses its epochs: it measures the network after each epoch
        List<DataSet> train = blobs(12 * BATCH, 6).batchBy(BATCH);
        ComputationGraph graph = annealedOver(3, train.size());
        List<Integer> epochs = new ArrayList<>();
        List<INDArray> parameters = new ArrayList<>();

        ComputationGraph whole = DataParallelTraining.fit(sc, SLOTS, graph, train, 3, BATCH, 2, (network, done) -> {
            epochs.add(done);
            parameters.add(network.params().dup());
        });

        assertEquals(List.of(1, 2, 3), epochs);
        assertNotEquals(parameters.get(0), parameters.get(1), "the second epoch trained");
        assertEquals(whole.params(), parameters.get(2));
        assertEquals(parameters.get(0), DataParallelTraining.fit(sc, SLOTS, graph, train, 1, BATCH, 2, UNWATCHED).params(),
                "the first epoch's network, as one epoch's training gives it");
    }

    /** {@link #graph()} with a learning rate of 0.01 annealed over {@code epochs} of {@code batches} on this context. */
    private static ComputationGraph annealedOver(int epochs, int batches) {
        TrainingConfig cosine = new TrainingConfig(epochs, 60, BATCH, 0.01, 10, 1, Constraints.NONE, List.of(),
                CellNetworkConfig.NB201, TrainingConfig.LearningRateSchedule.COSINE);
        ComputationGraph graph = graph();
        FullDataTraining.scheduleDataParallel(graph, cosine, batches, sc.defaultParallelism());
        return graph;
    }

    @Test
    void refusesNonsense() {
        List<DataSet> train = blobs(64, 4).batchBy(BATCH);
        assertThrows(IllegalArgumentException.class,
                () -> DataParallelTraining.fit(sc, SLOTS, graph(), List.of(), 1, BATCH, 1, UNWATCHED));
        assertThrows(IllegalArgumentException.class,
                () -> DataParallelTraining.fit(sc, SLOTS, graph(), train, 0, BATCH, 1, UNWATCHED));
        assertThrows(IllegalArgumentException.class,
                () -> DataParallelTraining.fit(sc, SLOTS, graph(), train, 1, BATCH, 0, UNWATCHED));
    }

    private static ComputationGraph graph() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(7)
                .updater(new Adam(0.01))
                .weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs("in")
                .addLayer("hidden", new DenseLayer.Builder().nIn(FEATURES).nOut(16).activation(Activation.RELU).build(),
                        "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(16).nOut(CLASSES).activation(Activation.SOFTMAX).build(), "hidden")
                .setOutputs("out")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    /** Three Gaussian blobs, unit noise, centres 3 apart on their own axes: learnable, not quite separable. */
    private static DataSet blobs(int examples, long seed) {
        Random random = new Random(seed);
        float[][] features = new float[examples][FEATURES];
        float[][] labels = new float[examples][CLASSES];
        for (int i = 0; i < examples; i++) {
            int label = random.nextInt(CLASSES);
            for (int f = 0; f < FEATURES; f++) {
                features[i][f] = (float) random.nextGaussian() + (f == label ? 3f : 0f);
            }
            labels[i][label] = 1f;
        }
        return new DataSet(Nd4j.create(features), Nd4j.create(labels));
    }

    private static double accuracy(ComputationGraph graph, DataSet data) {
        INDArray predicted = graph.outputSingle(data.getFeatures()).argMax(1);
        INDArray actual = data.getLabels().argMax(1);
        return predicted.eq(actual).castTo(DataType.INT).sumNumber().doubleValue()
                / data.numExamples();
    }
}
