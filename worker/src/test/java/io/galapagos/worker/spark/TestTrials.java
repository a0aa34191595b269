package io.galapagos.worker.spark;

import io.galapagos.space.Architecture;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Execution;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialResult;
import io.galapagos.trial.TrialRunner;
import io.galapagos.trial.TrialRunnerFactory;

import java.time.Instant;
import java.util.Map;

/** Values and named (not lambda) runner factories for the tests of this package. */
final class TestTrials {

    static final String ARCHITECTURE = "conv3x3x32:relu:bn/maxpool/conv3x3x64:relu:add(0)/dense128:relu:d0.5";

    private TestTrials() {
    }

    static Candidate candidate(int number) {
        return new Candidate(number, Architecture.parse(ARCHITECTURE), Candidate.seedFor(42, number));
    }

    static Execution execution() {
        Instant start = Instant.parse("2026-11-28T10:15:30.123456789Z");
        return new Execution("7", "node-a", 4242, start, start.plusMillis(1500));
    }

    /** Completes every candidate with its number as accuracy; no Spark, no training. */
    static final class EchoRunnerFactory implements TrialRunnerFactory {
        private static final long serialVersionUID = 1L;

        @Override
        public TrialRunner create() {
            return candidate -> {
                Instant start = Instant.now();
                return new TrialResult.Completed(candidate,
                        new Metrics(Map.of(Metrics.VAL_ACCURACY, candidate.number() / 100.0)),
                        new Execution("runner-made-up", "nowhere", -1, start, Instant.now()));
            };
        }
    }

    /** A runner that breaks its contract by throwing. */
    static final class ThrowingRunnerFactory implements TrialRunnerFactory {
        private static final long serialVersionUID = 1L;

        @Override
        public TrialRunner create() {
            return candidate -> {
                throw new IllegalStateException("boom in " + candidate.trialId());
            };
        }
    }
}
