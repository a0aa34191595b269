package io.galapagos.driver.latency;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.galapagos.benchmark.RankCorrelation;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialResult;
import io.galapagos.worker.network.KernelProfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Learns the inference latency of a search's candidates from the results as they come, one {@link LatencyModel} per
 * kind of executor ({@link io.galapagos.trial.Execution#hardware()}), and says when a candidate will be over a
 * latency bound before it is trained.
 *
 * <p>Each measured network is predicted by the model fitted to the networks before it, then added and the model
 * fitted again: every prediction is of a network held out from its model. The predictions of a model fitted to fewer
 * than {@value #MIN_LEARNT} networks are not judged: such a model is a guess, and its errors would weigh on the verdict
 * for the rest of the search. A model is trusted once it has made at least {@value #MIN_PREDICTIONS} judged predictions
 * and Spearman's rho of all of them against the measured latencies is at least {@value #MIN_SPEARMAN}, and stays
 * trusted until it falls below {@value #KEEP_SPEARMAN}: a model near the threshold would otherwise screen and stop
 * screening from one network to the next. All of them, not the latest few: a search that
 * converges measures networks whose latencies lie within the measurements' own noise of each other, and a few of
 * those rank at random even when every prediction is within a few percent. A candidate's predicted latency is the
 * least of the trusted models' predictions over the kinds of executor seen (it may run on the fastest), and none
 * while some kind has no trusted model. Thread-safe: results arrive on executor threads.
 */
public final class LatencyPredictor {

    /** How many networks a model is fitted to before its predictions are judged. */
    public static final int MIN_LEARNT = 10;
    /** How many judged held-out predictions a model makes before it is judged. */
    public static final int MIN_PREDICTIONS = 20;
    /** The rank correlation a model needs before its predictions screen candidates. */
    public static final double MIN_SPEARMAN = 0.9;
    /** The rank correlation below which a trusted model stops screening. */
    public static final double KEEP_SPEARMAN = 0.85;
    /** The JSON key under each kind of executor of its measured networks, and of each network's text. */
    public static final String MEASUREMENTS = "measurements";
    public static final String ARCHITECTURE = "architecture";
    public static final String HARDWARE = "hardware";

    /** The measurements and held-out predictions of one kind of executor. */
    private static final class Track {
        final List<LatencyModel.Sample> samples = new ArrayList<>();
        /** The architecture of each sample, in the same order: what a later search reads back. */
        final List<String> architectures = new ArrayList<>();
        /** Every measured network's prediction before it was learnt, and its measured latency, in order. */
        final List<Double> predicted = new ArrayList<>();
        final List<Double> measured = new ArrayList<>();
        LatencyModel model;
        double spearman = Double.NaN;
        boolean trusted;
    }

    private final Map<String, Track> byHardware = new TreeMap<>();
    private final Consumer<String> console;

    /** @param console where a model's becoming trusted, or ceasing to be, is said */
    public LatencyPredictor(Consumer<String> console) {
        this.console = console;
    }

    /**
     * Learns from {@code result}, a trial of a network of {@code kernels}, if it measured latency: completed, or
     * infeasible for a measured metric (its latency, say) after training.
     */
    public synchronized void learn(KernelProfile kernels, TrialResult result) {
        OptionalDouble measured = result.metrics().get(Metrics.LATENCY_MS);
        String hardware = result.execution().hardware();
        if (result instanceof TrialResult.Failed || measured.isEmpty() || !(measured.getAsDouble() > 0)
                || hardware.isEmpty()) {
            return;
        }
        Track track = byHardware.computeIfAbsent(hardware, h -> new Track());
        if (track.samples.size() >= MIN_LEARNT) {
            OptionalDouble predicted = track.model.predict(kernels);
            if (predicted.isPresent()) {
                track.predicted.add(predicted.getAsDouble());
                track.measured.add(measured.getAsDouble());
            }
        }
        track.samples.add(new LatencyModel.Sample(kernels, measured.getAsDouble()));
        track.architectures.add(result.candidate().architecture().text());
        track.model = LatencyModel.fit(track.samples);
        if (track.predicted.size() >= MIN_PREDICTIONS) {
            track.spearman = RankCorrelation.of(unboxed(track.predicted), unboxed(track.measured), 5).spearmanRho();
            boolean trusted = track.spearman >= (track.trusted ? KEEP_SPEARMAN : MIN_SPEARMAN);
            if (trusted != track.trusted) {
                track.trusted = trusted;
                console.accept(String.format(Locale.ROOT, "Latency model for %s: Spearman %.3f on the %d measured "
                                + "networks, each predicted before it was learnt; %s", hardware, track.spearman,
                        track.predicted.size(), trusted ? "it now screens max_latency_ms before dispatch"
                                : "below " + KEEP_SPEARMAN + ", so it no longer screens"));
            }
        }
    }

    /**
     * The latency a network of {@code kernels} is predicted to have on the fastest kind of executor seen; empty while
     * some kind has no trusted model, or a model cannot predict these kernels (a kind of kernel it never measured).
     */
    public synchronized OptionalDouble predictedLatency(KernelProfile kernels) {
        if (byHardware.isEmpty()) {
            return OptionalDouble.empty();
        }
        double least = Double.POSITIVE_INFINITY;
        for (Track track : byHardware.values()) {
            OptionalDouble predicted = track.trusted ? track.model.predict(kernels) : OptionalDouble.empty();
            if (predicted.isEmpty()) {
                return OptionalDouble.empty();
            }
            least = Math.min(least, predicted.getAsDouble());
        }
        return OptionalDouble.of(least);
    }

    private static double[] unboxed(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * What was learnt, per kind of executor: measured networks, the latest held-out Spearman, the coefficients, and
     * the measurements themselves ({@link LatencyModelFile} reads them back).
     */
    public synchronized ObjectNode toJson() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("min_learnt", MIN_LEARNT);
        root.put("min_predictions", MIN_PREDICTIONS);
        root.put("min_spearman", MIN_SPEARMAN);
        root.put("keep_spearman", KEEP_SPEARMAN);
        ObjectNode models = root.putObject(HARDWARE);
        byHardware.forEach((hardware, track) -> {
            ObjectNode node = models.putObject(hardware);
            node.put("measured", track.samples.size());
            if (!Double.isNaN(track.spearman)) {
                node.put("spearman", track.spearman);
            }
            node.put("screening", track.trusted);
            ObjectNode coefficients = node.putObject("coefficients");
            track.model.coefficients().forEach((name, value) -> {
                if (value > 0) {
                    coefficients.put(name, value);
                }
            });
            ArrayNode measurements = node.putArray(MEASUREMENTS);
            for (int i = 0; i < track.samples.size(); i++) {
                measurements.addObject().put(ARCHITECTURE, track.architectures.get(i))
                        .put(Metrics.LATENCY_MS, track.samples.get(i).latencyMs());
            }
        });
        return root;
    }
}
