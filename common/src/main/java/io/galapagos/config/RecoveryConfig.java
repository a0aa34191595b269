package io.galapagos.config;

import io.galapagos.space.InvalidValueException;

import java.io.Serializable;

/**
 * How a search protects its progress, from a config's {@code recovery} section (every key optional).
 *
 * @param snapshotEvery     results between strategy snapshots ({@code snapshot_every}, default 20)
 * @param syncJournal       sync each journal record to disk ({@code sync_journal}, default false): without it a
 *                          record is flushed to the file system, which survives the driver's crash but not
 *                          the machine's
 * @param maxFailureRate    the study stops, with a message, once more than this fraction of its results
 *                          are {@code failed} ({@code max_failure_rate}, default 0.5; 1 never stops)
 * @param failureRateAfter  the rate is only checked from this many results on ({@code failure_rate_after},
 *                          default 10)
 */
public record RecoveryConfig(int snapshotEvery, boolean syncJournal, double maxFailureRate, int failureRateAfter)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final RecoveryConfig DEFAULTS = new RecoveryConfig(20, false, 0.5, 10);

    public RecoveryConfig {
        if (snapshotEvery < 1) {
            throw new InvalidValueException("snapshot_every", snapshotEvery, "must be at least 1");
        }
        if (!(maxFailureRate >= 0 && maxFailureRate <= 1)) {
            throw new InvalidValueException("max_failure_rate", maxFailureRate, "must be between 0 and 1");
        }
        if (failureRateAfter < 1) {
            throw new InvalidValueException("failure_rate_after", failureRateAfter, "must be at least 1");
        }
    }
}
