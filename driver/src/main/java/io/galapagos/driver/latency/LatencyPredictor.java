package io.galapagos.driver.latency;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.galapagos.benchmark.RankCorrelation;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialResult;
import io.galapagos.worker.network.KernelProfile;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
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
 * fitted again: every prediction is of a network held out from its model. A model is trusted once Spearman's rho of
 * its last {@value #WINDOW} such predictions against the measured latencies is at least {@value #MIN_SPEARMAN}, and
 * stays trusted while it is. A candidate is predicted over a bound only when every kind of executor seen has a
 * trusted model and, on each, its prediction divided by the largest over-estimate among that model's last
 * {@value #WINDOW} predictions (predicted over measured, at least 1) is still over: the model, at its most
 * pessimistic recent error, puts it over wherever it may run. Thread-safe: results arrive on executor threads.
 */
public final class LatencyPredictor {

    /** How many held-out predictions judge a model. */
    public static final int WINDOW = 20;
    /** The rank correlation a model needs before its predictions screen candidates. */
    public static final double MIN_SPEARMAN = 0.9;
    /** The JSON key under each kind of executor of its measured networks, and of each network's text. */
    public static final String MEASUREMENTS = "measurements";
    public static final String ARCHITECTURE = "architecture";
    public static final String HARDWARE = "hardware";

    /** The measurements and held-out predictions of one kind of executor. */
    private static final class Track {
        final List<LatencyModel.Sample> samples = new ArrayList<>();
        /** The architecture of each sample, in the same order: what a later search reads back. */
        final List<String> architectures = new ArrayList<>();
        /** {predicted, measured} of the last {@link #WINDOW} measured networks, oldest first. */
        final Deque<double[]> recent = new ArrayDeque<>();
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
        if (track.model != null) {
            OptionalDouble predicted = track.model.predict(kernels);
            if (predicted.isPresent()) {
                track.recent.addLast(new double[]{predicted.getAsDouble(), measured.getAsDouble()});
                if (track.recent.size() > WINDOW) {
                    track.recent.removeFirst();
                }
            }
        }
        track.samples.add(new LatencyModel.Sample(kernels, measured.getAsDouble()));
        track.architectures.add(result.candidate().architecture().text());
        track.model = LatencyModel.fit(track.samples);
        if (track.recent.size() == WINDOW) {
            double[] predicted = track.recent.stream().mapToDouble(p -> p[0]).toArray();
            double[] actual = track.recent.stream().mapToDouble(p -> p[1]).toArray();
            track.spearman = RankCorrelation.of(predicted, actual, 5).spearmanRho();
            boolean trusted = track.spearman >= MIN_SPEARMAN;
            if (trusted != track.trusted) {
                track.trusted = trusted;
                console.accept(String.format(Locale.ROOT, "Latency model for %s: Spearman %.3f on the last %d "
                                + "measured networks, each predicted before it was learnt; %s", hardware,
                        track.spearman, WINDOW, trusted ? "it now screens max_latency_ms before dispatch"
                                : "below " + MIN_SPEARMAN + ", so it no longer screens"));
            }
        }
    }

    /**
     * The least latency a network of {@code kernels} plausibly has on any kind of executor seen, allowing for each
     * model's largest recent over-estimate; empty while some kind has no trusted model, or a model cannot predict
     * these kernels (a kind of kernel it never measured).
     */
    public synchronized OptionalDouble leastLatency(KernelProfile kernels) {
        if (byHardware.isEmpty()) {
            return OptionalDouble.empty();
        }
        double least = Double.POSITIVE_INFINITY;
        for (Track track : byHardware.values()) {
            OptionalDouble predicted = track.trusted ? track.model.predict(kernels) : OptionalDouble.empty();
            if (predicted.isEmpty()) {
                return OptionalDouble.empty();
            }
            double overEstimate = track.recent.stream().mapToDouble(p -> p[0] / p[1]).max().orElse(1);
            least = Math.min(least, predicted.getAsDouble() / Math.max(1, overEstimate));
        }
        return OptionalDouble.of(least);
    }

    /**
     * What was learnt, per kind of executor: measured networks, the latest held-out Spearman, the coefficients, and
     * the measurements themselves ({@link LatencyModelFile} reads them back).
     */
    public synchronized ObjectNode toJson() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("window", WINDOW);
        root.put("min_spearman", MIN_SPEARMAN);
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
