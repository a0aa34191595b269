package io.galapagos.trial;

import java.io.Serializable;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;

/**
 * One metric of completed trials and whether more or less of it is better. Failed and infeasible trials
 * have no score and rank below every completed one.
 */
public record Objective(String metric, Goal goal) implements Serializable {

    /** Which way is better. */
    public enum Goal { MAXIMIZE, MINIMIZE }

    /** Validation accuracy, maximised; test accuracy is reported, never optimised. */
    public static final Objective VALIDATION_ACCURACY = new Objective(Metrics.VAL_ACCURACY, Goal.MAXIMIZE);

    public Objective {
        if (metric == null || metric.isBlank() || goal == null) {
            throw new IllegalArgumentException("an objective names a metric and a goal, got " + metric + ", " + goal);
        }
    }

    public static Objective maximize(String metric) {
        return new Objective(metric, Goal.MAXIMIZE);
    }

    public static Objective minimize(String metric) {
        return new Objective(metric, Goal.MINIMIZE);
    }

    /** The metric's value for a completed trial; empty for failed and infeasible trials or when not measured. */
    public OptionalDouble score(TrialResult result) {
        return result instanceof TrialResult.Completed ? result.metrics().get(metric) : OptionalDouble.empty();
    }

    /**
     * The score turned so that larger is always better (the negated value when minimising); negative
     * infinity for trials without a score. Strategies compare these.
     */
    public double fitness(TrialResult result) {
        OptionalDouble score = score(result);
        if (score.isEmpty() || Double.isNaN(score.getAsDouble())) {
            return Double.NEGATIVE_INFINITY;
        }
        return goal == Goal.MAXIMIZE ? score.getAsDouble() : -score.getAsDouble();
    }

    /** Best first: better fitness, then lower trial number (earlier wins ties). */
    public Comparator<TrialResult> ranking() {
        return ranking(List.of(this));
    }

    /**
     * Best first by the first of {@code objectives}, ties broken by each of the others in turn (each its own way),
     * then by lower trial number: so that of two results equal on the first objective, the one the other dominates
     * never ranks first.
     */
    public static Comparator<TrialResult> ranking(List<Objective> objectives) {
        if (objectives.isEmpty()) {
            throw new IllegalArgumentException("a ranking needs at least one objective");
        }
        Comparator<TrialResult> order = null;
        for (Objective o : objectives) {
            Comparator<TrialResult> better = Comparator.<TrialResult>comparingDouble(o::fitness).reversed();
            order = order == null ? better : order.thenComparing(better);
        }
        return order.thenComparingInt(r -> r.candidate().number());
    }
}
