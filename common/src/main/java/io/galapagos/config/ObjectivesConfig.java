package io.galapagos.config;

import io.galapagos.space.InvalidValueException;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.Objective;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * What a search on real training optimises (the {@code objectives} section): validation accuracy, maximised, and
 * any of the cost metrics every DL4J candidate is measured on, each minimised. With a cost metric the search has a
 * Pareto front (written with its hypervolume at the end); NSGA-II optimises all of them, the other strategies the
 * accuracy only.
 *
 * @param minimize  the minimised metrics, in the order written; empty (the default) for accuracy alone
 * @param reference per minimised metric, the value the hypervolume is measured from (no better than any network that
 *                  should count); a metric without one uses its constraint's bound when there is one, else the worst
 *                  value found in the search
 */
public record ObjectivesConfig(List<String> minimize, Map<String, Double> reference) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validation accuracy alone. */
    public static final ObjectivesConfig ACCURACY = new ObjectivesConfig(List.of(), Map.of());

    /** What can be minimised: the metrics a constraint can bound, measured or computed for every DL4J candidate. */
    public static final List<String> MINIMIZABLE = Arrays.stream(Constraints.Limit.values())
            .map(limit -> limit.metric).toList();

    public ObjectivesConfig {
        minimize = List.copyOf(minimize);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < minimize.size(); i++) {
            String metric = minimize.get(i);
            if (!MINIMIZABLE.contains(metric)) {
                throw InvalidValueException.ofText("minimize[" + i + "]", metric, why(metric));
            }
            if (!seen.add(metric)) {
                throw InvalidValueException.ofText("minimize[" + i + "]", metric, "is listed twice");
            }
        }
        reference = new LinkedHashMap<>(reference);
        for (Map.Entry<String, Double> r : reference.entrySet()) {
            if (!minimize.contains(r.getKey())) {
                throw new InvalidValueException("reference." + r.getKey(), r.getValue(), "is not a minimised metric "
                        + "(minimize: " + minimize + ")");
            }
            if (!(r.getValue() > 0) || r.getValue().isInfinite()) {
                throw new InvalidValueException("reference." + r.getKey(), r.getValue(), "must be a positive number");
            }
        }
        reference = Collections.unmodifiableMap(reference);
    }

    private static String why(String metric) {
        if (metric.equals(Metrics.VAL_ACCURACY)) {
            return "is maximised (objectives.maximize), not minimised";
        }
        if (metric.equals(Metrics.TEST_ACCURACY)) {
            return "is reported, never optimised: choosing by the test split would leave no unbiased estimate";
        }
        return "is not a metric the trainer measures for every network; one of " + String.join(", ", MINIMIZABLE);
    }

    /** Validation accuracy, then the minimised metrics. */
    public List<Objective> objectives() {
        List<Objective> objectives = new ArrayList<>(1 + minimize.size());
        objectives.add(Objective.VALIDATION_ACCURACY);
        minimize.forEach(metric -> objectives.add(Objective.minimize(metric)));
        return List.copyOf(objectives);
    }

    /**
     * The hypervolume's reference for {@code metric}, in the metric's unit: the configured one, else the bound of
     * {@code constraints} on it; empty when neither gives one.
     */
    public OptionalDouble reference(String metric, Constraints constraints) {
        Double configured = reference.get(metric);
        if (configured != null) {
            return OptionalDouble.of(configured);
        }
        return Arrays.stream(Constraints.Limit.values()).filter(limit -> limit.metric.equals(metric)).findFirst()
                .map(limit -> constraints.maximum(limit).stream().map(bound -> bound * limit.unit).findFirst())
                .orElse(OptionalDouble.empty());
    }
}
