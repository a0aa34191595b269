package io.galapagos.driver.results;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.galapagos.driver.strategy.Pareto;
import io.galapagos.trial.Objective;
import io.galapagos.trial.TrialResult;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * The results of a study with several objectives that no other result beats on every objective, and the hypervolume
 * they dominate: the volume between the front and a reference point, larger for a front that is better or wider.
 * Only completed results of full fidelity (or the study's highest level) with every objective's metric count (a cheap
 * fidelity's accuracy is not comparable).
 *
 * <p>The reference point is, per objective, the configured one (the {@code objectives} section, else a constraint's
 * bound), else the worst value among the counted results; a maximised objective's is never above 0, so that an
 * accuracy counts from 0. Fronts are comparable only with the same reference: configure it to compare searches.
 *
 * @param objectives the study's objectives
 * @param members    the non-dominated results, best first by the first objective
 * @param counted    how many results were weighed
 * @param reference  per objective's metric, the reference value, in the metric's unit; empty without counted results
 *                   for an objective without a configured one
 * @param hypervolume the volume in the objectives' units (for accuracy and latency: accuracy times milliseconds)
 */
public record ParetoFront(List<Objective> objectives, List<TrialResult> members, int counted,
                          Map<String, Double> reference, double hypervolume) {

    public ParetoFront {
        objectives = List.copyOf(objectives);
        members = List.copyOf(members);
        reference = Collections.unmodifiableMap(new LinkedHashMap<>(reference));
    }

    /**
     * @param configured per metric, the reference the configuration gives, or empty
     */
    public static ParetoFront of(List<TrialResult> results, List<Objective> objectives,
                                 Function<String, OptionalDouble> configured) {
        if (objectives.size() < 2) {
            throw new IllegalArgumentException("a Pareto front needs at least two objectives, got " + objectives);
        }
        int highest = results.stream().filter(r -> r instanceof TrialResult.Completed)
                .mapToInt(r -> r.candidate().fidelity()).max().orElse(0);
        List<TrialResult> counted = results.stream().filter(r -> r instanceof TrialResult.Completed
                && (r.candidate().fullFidelity() || r.candidate().fidelity() == highest)
                && objectives.stream().allMatch(o -> Double.isFinite(o.fitness(r)))).toList();
        Map<String, Double> reference = new LinkedHashMap<>();
        double[] origin = new double[objectives.size()];
        for (int i = 0; i < objectives.size(); i++) {
            Objective o = objectives.get(i);
            OptionalDouble given = configured.apply(o.metric());
            double worstFitness = counted.stream().mapToDouble(o::fitness).min().orElse(Double.NaN);
            if (given.isPresent()) {
                origin[i] = o.goal() == Objective.Goal.MAXIMIZE ? given.getAsDouble() : -given.getAsDouble();
            } else if (o.goal() == Objective.Goal.MAXIMIZE) {
                origin[i] = Double.isNaN(worstFitness) ? 0 : Math.min(0, worstFitness);
            } else {
                origin[i] = worstFitness;
            }
            if (!Double.isNaN(origin[i])) {
                reference.put(o.metric(), o.goal() == Objective.Goal.MAXIMIZE ? origin[i] : -origin[i]);
            }
        }
        double[][] points = counted.stream()
                .map(r -> objectives.stream().mapToDouble(o -> o.fitness(r)).toArray()).toArray(double[][]::new);
        List<TrialResult> members = new ArrayList<>();
        List<double[]> front = new ArrayList<>();
        if (points.length > 0) {
            for (int i : Pareto.nonDominatedSort(points).get(0)) {
                members.add(counted.get(i));
                front.add(points[i]);
            }
        }
        members.sort(Objective.ranking(objectives));
        double volume = front.isEmpty() ? 0 : Pareto.hypervolume(front, origin);
        return new ParetoFront(objectives, members, counted.size(), reference, volume);
    }

    /** The summary record's fields: {@code pareto_size}, {@code hypervolume}, {@code hypervolume_reference}. */
    public void addTo(ObjectNode summary) {
        summary.put("pareto_size", members.size());
        summary.put("hypervolume", hypervolume);
        ObjectNode origin = summary.putObject("hypervolume_reference");
        reference.forEach(origin::put);
    }

    /** One console line: the front's size, its hypervolume and where that is measured from. */
    public String line() {
        List<String> goals = new ArrayList<>();
        List<String> origin = new ArrayList<>();
        for (Objective o : objectives) {
            goals.add(o.metric() + (o.goal() == Objective.Goal.MAXIMIZE ? " up" : " down"));
            Double r = reference.get(o.metric());
            origin.add(o.metric() + " " + (r == null ? "-" : String.format(Locale.ROOT, "%.6g", r)));
        }
        return String.format(Locale.ROOT, "Pareto front (%s): %d of %d results, hypervolume %.6g from %s; %s",
                String.join(", ", goals), members.size(), counted, hypervolume, String.join(", ", origin),
                RunOutput.PARETO);
    }
}
