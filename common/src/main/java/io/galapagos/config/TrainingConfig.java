package io.galapagos.config;

import io.galapagos.space.InvalidValueException;

import java.io.Serializable;

/**
 * How each candidate is trained and measured. Training stops at whichever budget runs out first.
 *
 * @param epochs           passes over the training split
 * @param maxSeconds       wall-clock budget for training, checked after every mini-batch
 * @param batchSize        mini-batch size
 * @param learningRate     Adam's learning rate
 * @param divergenceFactor a loss above this multiple of the first mini-batch's loss (or NaN) stops the trial
 * @param latencyRepeats   timed single-example inferences, after as many warm-up ones; the median is reported
 * @param maxMflops        networks needing more million FLOPs per example (forward) are infeasible, not
 *                         trained; 0 for no limit. Bounds the cost of training and evaluating one candidate.
 */
public record TrainingConfig(int epochs, double maxSeconds, int batchSize, double learningRate,
                             double divergenceFactor, int latencyRepeats, double maxMflops) implements Serializable {

    public TrainingConfig {
        if (epochs < 1 || epochs > 1000) {
            throw new InvalidValueException("epochs", epochs, "must be between 1 and 1000");
        }
        if (!(maxSeconds > 0)) {
            throw new InvalidValueException("max_seconds", maxSeconds, "must be positive");
        }
        if (batchSize < 1 || batchSize > 8192) {
            throw new InvalidValueException("batch_size", batchSize, "must be between 1 and 8192");
        }
        if (!(learningRate > 0 && learningRate < 10)) {
            throw new InvalidValueException("learning_rate", learningRate, "must be in (0, 10)");
        }
        if (!(divergenceFactor > 1)) {
            throw new InvalidValueException("divergence_factor", divergenceFactor, "must be greater than 1");
        }
        if (latencyRepeats < 1 || latencyRepeats > 10_000) {
            throw new InvalidValueException("latency_repeats", latencyRepeats, "must be between 1 and 10000");
        }
        if (!(maxMflops >= 0)) {
            throw new InvalidValueException("max_mflops", maxMflops, "must be 0 (no limit) or positive");
        }
    }

    /** The FLOPs limit per example, {@link Long#MAX_VALUE} when there is none. */
    public long maxFlops() {
        return maxMflops == 0 ? Long.MAX_VALUE : (long) Math.min(Long.MAX_VALUE, maxMflops * 1e6);
    }
}
