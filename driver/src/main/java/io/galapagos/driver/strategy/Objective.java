package io.galapagos.driver.strategy;

import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialResult;

import java.util.Comparator;
import java.util.OptionalDouble;

/**
 * What a search maximises: one metric of completed trials. Failed and infeasible trials have no score
 * and rank below every completed one.
 */
public record Objective(String metric) {

    /** Validation accuracy; test accuracy is reported, never optimised. */
    public static final Objective VALIDATION_ACCURACY = new Objective(Metrics.VAL_ACCURACY);

    public Objective {
        if (metric == null || metric.isBlank()) {
            throw new IllegalArgumentException("an objective names a metric");
        }
    }

    /** The score of a completed trial; empty for failed and infeasible trials or when not measured. */
    public OptionalDouble score(TrialResult result) {
        return result instanceof TrialResult.Completed ? result.metrics().get(metric) : OptionalDouble.empty();
    }

    /** Best first: higher score, then completed before not, then lower trial number (earlier wins ties). */
    public Comparator<TrialResult> ranking() {
        return Comparator.<TrialResult>comparingDouble(r -> score(r).orElse(Double.NEGATIVE_INFINITY)).reversed()
                .thenComparingInt(r -> r.candidate().number());
    }
}
