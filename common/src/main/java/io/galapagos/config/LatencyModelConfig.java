package io.galapagos.config;

import java.io.Serializable;

/**
 * What the driver's latency model learns before the first candidate, so that it can screen {@code max_latency_ms}
 * from the start rather than after the search has measured enough networks.
 *
 * @param file    {@code constraints.latency_model}: a {@code latency-model.json} an earlier search wrote, whose
 *                measurements it learns; {@code null} for none
 * @param profile {@code constraints.latency_profile}: how many networks sampled from the space the executors build
 *                and time untrained before the first trial (latency does not depend on the weights), as nn-Meter
 *                profiles a device before predicting on it; 0 for none
 */
public record LatencyModelConfig(String file, int profile) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Nothing learnt in advance: the model learns from the search's own results only. */
    public static final LatencyModelConfig NONE = new LatencyModelConfig(null, 0);

    public LatencyModelConfig {
        if (file != null && file.isBlank()) {
            throw new IllegalArgumentException("a latency model file must be null (none) or a path");
        }
        if (profile < 0) {
            throw new IllegalArgumentException("latency_profile must be 0 or more, got " + profile);
        }
    }
}
