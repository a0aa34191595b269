package io.galapagos.it;

import io.galapagos.trial.Execution;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialResult;
import io.galapagos.trial.TrialRunner;
import io.galapagos.trial.TrialRunnerFactory;

import java.time.Instant;
import java.util.Map;

/**
 * A trial runner for cluster tests: "trains" for a while and reports the JVM it ran in (metric
 * {@code runner_pid}), without DL4J. Executors load it from the integration tests' classes, which the
 * tests put on {@code spark.executor.extraClassPath}.
 */
public final class WhereAmIRunnerFactory implements TrialRunnerFactory {

    private static final long serialVersionUID = 1L;

    private final long millis;

    public WhereAmIRunnerFactory(long millis) {
        this.millis = millis;
    }

    @Override
    public TrialRunner create() {
        return candidate -> {
            Instant start = Instant.now();
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            Metrics metrics = new Metrics(Map.of(
                    Metrics.VAL_ACCURACY, 0.5 + candidate.number() / 1000.0,
                    "runner_pid", (double) ProcessHandle.current().pid()));
            return new TrialResult.Completed(candidate, metrics, new Execution("unknown", "unknown", -1, start, Instant.now()));
        };
    }
}
