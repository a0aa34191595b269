package io.galapagos.worker.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import io.galapagos.space.CellArchitecture;
import io.galapagos.space.MacroArchitecture;
import io.galapagos.space.SequenceArchitecture;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.TrialResult;
import io.galapagos.worker.darts.DartsEpochOutcome;
import io.galapagos.worker.supernet.SupernetPartOutcome;
import org.apache.spark.serializer.KryoRegistrator;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.deeplearning4j.spark.impl.paramavg.aggregator.ParameterAveragingAggregationTuple;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;

import java.util.List;

/**
 * Registers with Kryo every class that a Galapagos job puts on the wire, so that Spark can run with
 * {@code spark.kryo.registrationRequired=true}: our values, each with a serializer (Spark's Kryo 4 cannot
 * serialise records on its own), and arrays of them; and the values DL4J Spark's parameter averaging puts there
 * ({@link io.galapagos.worker.export.DataParallelTraining}), through Java serialisation. The Spark and Scala
 * classes that carry them in a {@code parallelize(...).map(...).collect()} job of the Java API
 * ({@code Object[]}, {@code WrappedArray.ofRef}) are registered by Spark's own {@code KryoSerializer} already,
 * and registering them again here would shift the ids of Spark's later registrations. Set it with
 * {@code spark.kryo.registrator=io.galapagos.worker.spark.GalapagosKryoRegistrator}. A class added to the
 * wire must be added here and to the round-trip test. Stateless.
 */
public final class GalapagosKryoRegistrator implements KryoRegistrator {

    /**
     * ND4J's array class of each backend Galapagos builds with. Looked up by name, not through
     * {@code Nd4j.getBackend()}, which would load ND4J's natives in every JVM that serialises anything.
     */
    private static final List<String> ND4J_ARRAYS =
            List.of("org.nd4j.linalg.cpu.nativecpu.NDArray", "org.nd4j.linalg.jcublas.JCublasNDArray");

    @Override
    public void registerClasses(Kryo kryo) {
        kryo.register(Candidate.class, new CandidateSerializer());
        kryo.register(Candidate[].class);
        ArchitectureSerializer architecture = new ArchitectureSerializer();
        kryo.register(MacroArchitecture.class, architecture);
        kryo.register(CellArchitecture.class, architecture);
        kryo.register(SequenceArchitecture.class, architecture);
        TrialResultSerializer result = new TrialResultSerializer();
        kryo.register(TrialResult.Completed.class, result);
        kryo.register(TrialResult.Failed.class, result);
        kryo.register(TrialResult.Infeasible.class, result);
        kryo.register(TrialResult[].class);
        kryo.register(SupernetPartOutcome.class, new SupernetPartOutcomeSerializer());
        kryo.register(SupernetPartOutcome[].class);
        kryo.register(DartsEpochOutcome.class, new DartsEpochOutcomeSerializer());
        kryo.register(DartsEpochOutcome[].class);
        // DL4J Spark (export.DataParallelTraining): its values are Java-serialisable graphs of DL4J configurations
        // and ND4J arrays (which write their off-heap data themselves). Taking each whole through Java
        // serialisation spares registering every layer, vertex, activation and updater class they may hold.
        JavaSerializer java = new JavaSerializer();
        kryo.register(DataSet.class, java);
        kryo.register(DataSet[].class);
        kryo.register(MultiDataSet.class, java);
        kryo.register(NetBroadcastTuple.class, java);
        kryo.register(ParameterAveragingAggregationTuple.class, java);
        // Last, as the backends present may differ between builds: a bare array is what DL4J Spark's check of
        // the Kryo set-up round-trips when it starts.
        for (String name : ND4J_ARRAYS) {
            try {
                kryo.register(Class.forName(name, false, kryo.getClassLoader()), java);
            } catch (ClassNotFoundException otherBackend) {
                // not built with this backend
            }
        }
    }
}
