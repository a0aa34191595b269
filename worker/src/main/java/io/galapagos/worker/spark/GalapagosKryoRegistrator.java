package io.galapagos.worker.spark;

import com.esotericsoftware.kryo.Kryo;
import io.galapagos.space.CellArchitecture;
import io.galapagos.space.MacroArchitecture;
import io.galapagos.space.SequenceArchitecture;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.TrialResult;
import io.galapagos.worker.darts.DartsEpochOutcome;
import io.galapagos.worker.supernet.SupernetPartOutcome;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * Registers with Kryo every class that a Galapagos job puts on the wire, so that Spark can run with
 * {@code spark.kryo.registrationRequired=true}: our values, each with a serializer (Spark's Kryo 4 cannot
 * serialise records on its own), and arrays of them. The Spark and Scala classes that carry them in a
 * {@code parallelize(...).map(...).collect()} job of the Java API ({@code Object[]},
 * {@code WrappedArray.ofRef}) are registered by Spark's own
 * {@code KryoSerializer} already, and registering them again here would shift the ids of Spark's later
 * registrations. Set it with
 * {@code spark.kryo.registrator=io.galapagos.worker.spark.GalapagosKryoRegistrator}. A class added to the
 * wire must be added here and to the round-trip test. Stateless.
 */
public final class GalapagosKryoRegistrator implements KryoRegistrator {

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
    }
}
