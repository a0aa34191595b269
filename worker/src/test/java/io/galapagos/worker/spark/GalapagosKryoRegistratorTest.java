package io.galapagos.worker.spark;

import com.esotericsoftware.kryo.Kryo;
import io.galapagos.space.Architecture;
import io.galapagos.space.CellArchitecture;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialResult;
import io.galapagos.worker.darts.DartsEpochOutcome;
import io.galapagos.worker.darts.DartsSearch;
import io.galapagos.worker.supernet.SupernetPartOutcome;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.deeplearning4j.spark.impl.paramavg.aggregator.ParameterAveragingAggregationTuple;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import scala.collection.mutable.WrappedArray;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GalapagosKryoRegistratorTest {

    private static final ClassTag<Object> ANY = ClassTag$.MODULE$.AnyRef();

    static SparkConf strictKryo() {
        return new SparkConf(false)
                .set("spark.serializer", KryoSerializer.class.getName())
                .set("spark.kryo.registrator", GalapagosKryoRegistrator.class.getName())
                .set("spark.kryo.registrationRequired", "true");
    }

    /** One sample per class our registrator registers. */
    private static Map<Class<?>, Object> samples() {
        Candidate candidate = TestTrials.candidate(3);
        Metrics metrics = new Metrics(Map.of(Metrics.VAL_ACCURACY, 0.8125, Metrics.PARAMS, 27_000.0,
                "loss", Double.NaN, "ratio", Double.POSITIVE_INFINITY, "tiny", 4.9e-324));
        TrialResult completed = new TrialResult.Completed(candidate, metrics, TestTrials.execution());
        TrialResult failed = new TrialResult.Failed(candidate, "diverged: loss \"NaN\" at batch 3\nline two",
                Metrics.EMPTY, TestTrials.execution());
        Candidate atLevel = new Candidate(7, candidate.architecture(), -5L, 0);
        Candidate atHighLevel = new Candidate(8, candidate.architecture(), 11L, 3);
        TrialResult infeasible = new TrialResult.Infeasible(atLevel, "too big: 9 GB",
                new Metrics(Map.of(Metrics.PARAMS, 1e9)), TestTrials.execution());
        Map<Class<?>, Object> samples = new LinkedHashMap<>();
        samples.put(Candidate.class, candidate);
        samples.put(Candidate[].class, new Candidate[] {candidate, TestTrials.candidate(1), atLevel, atHighLevel});
        samples.put(candidate.architecture().getClass(), candidate.architecture());
        Architecture cell = Architecture.parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|");
        samples.put(cell.getClass(), cell);
        Architecture sequence = Architecture.parse("embed64/conv1d-k3x64:relu:d0.25:res/bilstm32/head-attention");
        samples.put(sequence.getClass(), sequence);
        samples.put(TrialResult.Completed.class, completed);
        samples.put(TrialResult.Failed.class, failed);
        samples.put(TrialResult.Infeasible.class, infeasible);
        samples.put(TrialResult[].class, new TrialResult[] {completed, failed, infeasible});
        SupernetPartOutcome trained = new SupernetPartOutcome(3, 2, 5, 12.25, 0.5625, "local-task-7");
        samples.put(SupernetPartOutcome.class, trained);
        samples.put(SupernetPartOutcome[].class, new SupernetPartOutcome[] {trained,
                new SupernetPartOutcome(0, 5, 5, 0, Double.NaN, "2")});
        DartsEpochOutcome epoch = new DartsEpochOutcome(1, new DartsSearch.Epoch(3, 0.25, 1.5, 0.5, 1.75, 0.4375,
                new double[][] {{0.1, 0.2, 0.7}, {0.3, 0.3, 0.4}}, (CellArchitecture) cell), 130.5, true, "1");
        samples.put(DartsEpochOutcome.class, epoch);
        samples.put(DartsEpochOutcome[].class, new DartsEpochOutcome[] {epoch, new DartsEpochOutcome(0,
                new DartsSearch.Epoch(0, 0, Double.NaN, 0, 2, 1, new double[0][], (CellArchitecture) cell), 0, false,
                "local-task-2")});
        INDArray features = Nd4j.create(new float[][] {{1, 2, 3}, {4, 5, 6}});
        INDArray labels = Nd4j.create(new float[][] {{0, 1}, {1, 0}});
        DataSet batch = new DataSet(features, labels);
        samples.put(DataSet.class, batch);
        samples.put(DataSet[].class, new DataSet[] {batch, new DataSet(features.getRow(1, true), labels.getRow(1, true),
                Nd4j.ones(1, 3), null)});
        samples.put(MultiDataSet.class, new MultiDataSet(features, labels));
        ComputationGraphConfiguration graph = new NeuralNetConfiguration.Builder().updater(new Adam(0.01))
                .graphBuilder()
                .addInputs("in")
                .addLayer("out", new OutputLayer.Builder().nIn(3).nOut(2).build(), "in")
                .setOutputs("out")
                .build();
        samples.put(NetBroadcastTuple.class, new NetBroadcastTuple(graph, Nd4j.linspace(1, 8, 8), Nd4j.zeros(16)));
        samples.put(ParameterAveragingAggregationTuple.class, ParameterAveragingAggregationTuple.builder()
                .parametersSum(Nd4j.linspace(1, 8, 8)).updaterStateSum(Nd4j.ones(16)).scoreSum(1.25)
                .aggregationsCount(2).build());
        INDArray array = Nd4j.linspace(1, 5, 5);
        samples.put(array.getClass(), array);
        return samples;
    }

    /** What a round trip must keep: {@link NetBroadcastTuple#equals} compares its AtomicInteger by identity. */
    private static Object comparable(Object value) {
        return value instanceof NetBroadcastTuple tuple ? List.of(tuple.getGraphConfiguration(), tuple.getParameters(),
                tuple.getUpdaterState(), tuple.getCounter().get()) : value;
    }

    @Test
    void everyRegisteredTypeRoundTripsThroughSparksKryoSerializer() {
        SerializerInstance kryo = new KryoSerializer(strictKryo()).newInstance();
        for (Map.Entry<Class<?>, Object> sample : samples().entrySet()) {
            Object value = sample.getValue();
            ByteBuffer bytes = kryo.serialize(value, ANY);
            Object back = kryo.deserialize(bytes, ANY);
            assertEquals(sample.getKey(), back.getClass(), "class after round trip");
            Object[] carried = (Object[]) kryo.deserialize(kryo.serialize(new Object[] {value}, ANY), ANY);
            assertEquals(sample.getKey(), carried[0].getClass(), "class inside an Object[]");
            Object wrapped = kryo.deserialize(kryo.serialize(new WrappedArray.ofRef<>(new Object[] {value}), ANY), ANY);
            assertEquals(sample.getKey(), ((WrappedArray<?>) wrapped).apply(0).getClass(), "class inside a WrappedArray");
            if (value instanceof Object[] array) {
                assertArrayEquals(array, (Object[]) back, sample.getKey().getName());
            } else {
                assertEquals(comparable(value), comparable(back), sample.getKey().getName());
            }
        }
    }

    @Test
    void samplesCoverEverythingTheRegistratorRegisters() {
        Kryo kryo = new Kryo();
        kryo.setRegistrationRequired(true);
        int before = kryo.getNextRegistrationId();
        new GalapagosKryoRegistrator().registerClasses(kryo);
        Set<Class<?>> registered = new HashSet<>();
        for (int id = before; id < kryo.getNextRegistrationId(); id++) {
            registered.add(kryo.getRegistration(id).getType());
        }
        assertEquals(registered, samples().keySet(), "registered classes vs. round-tripped samples");
    }

    @Test
    void metricValuesSurviveExactly() {
        SerializerInstance kryo = new KryoSerializer(strictKryo()).newInstance();
        TrialResult completed = (TrialResult) samples().get(TrialResult.Completed.class);
        TrialResult back = (TrialResult) kryo.deserialize(kryo.serialize(completed, ANY), ANY);
        assertTrue(Double.isNaN(back.metrics().require("loss")));
        assertEquals(Double.POSITIVE_INFINITY, back.metrics().require("ratio"));
        assertEquals(4.9e-324, back.metrics().require("tiny"));
        assertEquals(completed.execution(), back.execution());
    }

    @Test
    void sparkRegistersTheClassesThatCarryOurValuesItself() {
        // The Java API's RDDs hold elements as Object: parallelize ships a WrappedArray.ofRef over an Object[],
        // collect brings back an Object[]. Should a Spark upgrade stop registering these, register them in
        // GalapagosKryoRegistrator (and the local-mode jobs in RunCandidateFunctionTest fail first).
        Kryo kryo = new KryoSerializer(strictKryo()).newKryo();
        for (Class<?> carrier : List.of(Object[].class, WrappedArray.ofRef.class)) {
            assertEquals(carrier, kryo.getRegistration(carrier).getType());
        }
    }

    @Test
    void unregisteredClassesAreRefused() {
        SerializerInstance kryo = new KryoSerializer(strictKryo()).newInstance();
        Exception e = assertThrows(Exception.class, () -> kryo.serialize(new Unregistered(), ANY));
        assertTrue(String.valueOf(e.getMessage()).contains("Class is not registered"), e.getMessage());
    }

    @Test
    void architecturesAreWrittenAsTheirCanonicalText() {
        SerializerInstance kryo = new KryoSerializer(strictKryo()).newInstance();
        Architecture architecture = Architecture.parse(TestTrials.ARCHITECTURE);
        ByteBuffer bytes = kryo.serialize(architecture, ANY);
        byte[] raw = new byte[bytes.remaining()];
        bytes.get(raw);
        assertTrue(new String(raw, java.nio.charset.StandardCharsets.UTF_8).contains("dense128:relu:d0.5"),
                Arrays.toString(raw));
    }

    static final class Unregistered {
        final List<String> values = List.of("x");
    }
}
