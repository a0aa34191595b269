package io.galapagos.trial;

import java.util.Collections;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * Named measurements of a trial, in key order. The well-known keys are constants here; trainers may add
 * others.
 */
public record Metrics(Map<String, Double> values) {

    /** Accuracy on the held-out validation split: what the search optimises. */
    public static final String VAL_ACCURACY = "val_accuracy";
    /** Accuracy on the test set: reported only, never used for selection. */
    public static final String TEST_ACCURACY = "test_accuracy";
    public static final String PARAMS = "params";
    /** Floating-point operations (2 per multiply-add) of one forward pass of one example. */
    public static final String FLOPS = "flops";
    /**
     * Median inference latency per example, in milliseconds, corrected for the machine's speed at the time by a
     * reference network timed alongside (the worker's {@code Latency}).
     */
    public static final String LATENCY_MS = "latency_ms";
    /** Bytes of the parameters at the data type trained (4 a parameter for float). */
    public static final String PARAM_BYTES = "param_bytes";
    /** Peak bytes of the values live at once in a forward pass of one example, from the network's layout. */
    public static final String INFERENCE_PEAK_BYTES = "inference_peak_bytes";
    /**
     * Estimated bytes of training at the configured batch size: weights, gradients and the optimiser's state, and
     * the forward values and their gradients, from the network's layout.
     */
    public static final String TRAIN_PEAK_BYTES = "train_peak_bytes";
    /**
     * Measured bytes of training: the network's parameter, gradient and optimiser-state buffers and the most its
     * training thread's ND4J workspaces held.
     */
    public static final String MEASURED_TRAIN_BYTES = "measured_train_bytes";
    /**
     * On a candidate the driver refused before dispatch for its latency: the latency model's prediction, in
     * milliseconds.
     */
    public static final String PREDICTED_LATENCY_MS = "predicted_latency_ms";
    public static final String TRAIN_SECONDS = "train_seconds";
    public static final String EPOCHS = "epochs";
    /**
     * 1 when the training time cap ({@code training.max_seconds}) ended training before its epochs were done;
     * absent otherwise. Such a result depends on the machine's speed, so it is reported wherever it appears.
     */
    public static final String TIME_CAPPED = "time_capped";
    /**
     * On a candidate trained at a fidelity level: how many epochs of its training a lower level's checkpoint
     * supplied (the candidate trained only the rest), 0 when it trained from scratch.
     */
    public static final String CONTINUED_FROM_EPOCHS = "continued_from_epochs";

    public static final Metrics EMPTY = new Metrics(Map.of());

    public Metrics {
        for (Map.Entry<String, Double> e : values.entrySet()) {
            if (e.getKey() == null || e.getKey().isBlank() || e.getValue() == null) {
                throw new IllegalArgumentException("metric names and values must be present, got " + e);
            }
        }
        values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    public OptionalDouble get(String name) {
        Double v = values.get(name);
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /** The value of {@code name}; fails naming the metric when absent. */
    public double require(String name) {
        Double v = values.get(name);
        if (v == null) {
            throw new IllegalStateException("metric '" + name + "' was not measured; have " + values.keySet());
        }
        return v;
    }

    public Metrics with(String name, double value) {
        Map<String, Double> copy = new TreeMap<>(values);
        copy.put(name, value);
        return new Metrics(copy);
    }
}
