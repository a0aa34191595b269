package io.galapagos.driver.study;

import java.time.Duration;

/**
 * Chooses how many candidates go into one dispatch (one Spark task) so that the fixed cost of launching
 * a dispatch stays a small fraction of the work, without making anyone wait long.
 *
 * <p>It keeps moving averages of a trial's duration {@code d} (as the executor measured it) and of a
 * dispatch's overhead {@code o} (its round trip as the driver saw it, less the durations of its trials).
 * The batch size is the smallest {@code b} with {@code o / (b d) <= }{@value #TARGET_OVERHEAD}, capped so
 * that a batch's expected duration {@code b d} stays within the window: <b>a result waits at most the
 * window for the other trials of its batch</b> (in expectation; a straggler in a batch delays the rest as
 * it would delay its slot anyway). Trials as long as the window or longer, and every dispatch until the
 * first results have come back, go one at a time, so long trials are never batched. Not thread-safe.
 */
public final class BatchSizer {

    /** The overhead, as a fraction of a dispatch's work, that batching aims for. */
    static final double TARGET_OVERHEAD = 0.05;
    /** Weight of the newest observation in the moving averages. */
    static final double WEIGHT = 0.2;
    static final int MAX_BATCH = 10_000;

    private final double windowSeconds;
    private double trialSeconds = Double.NaN;
    private double overheadSeconds = Double.NaN;

    public BatchSizer(Duration window) {
        if (window == null || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("batch window must be positive, got " + window);
        }
        this.windowSeconds = window.toNanos() / 1e9;
    }

    /**
     * Records a finished dispatch.
     *
     * @param trials        how many trials it carried
     * @param busySeconds   the sum of their durations as the executor measured them
     * @param roundTripSeconds from handing it to the executor to its results arriving
     */
    public void observe(int trials, double busySeconds, double roundTripSeconds) {
        if (trials < 1 || busySeconds < 0 || roundTripSeconds < 0) {
            return;
        }
        trialSeconds = average(trialSeconds, busySeconds / trials);
        overheadSeconds = average(overheadSeconds, Math.max(0, roundTripSeconds - busySeconds));
    }

    /** The next dispatch's size: at least 1, at most {@code limit}. */
    public int size(int limit) {
        if (limit <= 1 || Double.isNaN(trialSeconds) || overheadSeconds <= 0) {
            return 1;
        }
        double d = Math.max(trialSeconds, 1e-6);
        int wanted = (int) Math.ceil(overheadSeconds / (TARGET_OVERHEAD * d));
        int withinWindow = (int) Math.floor(windowSeconds / d);
        return Math.max(1, Math.min(Math.min(wanted, withinWindow), Math.min(limit, MAX_BATCH)));
    }

    /** The current estimate of a trial's duration, NaN before the first observation. */
    public double trialSeconds() {
        return trialSeconds;
    }

    /** The current estimate of a dispatch's fixed cost, NaN before the first observation. */
    public double overheadSeconds() {
        return overheadSeconds;
    }

    private static double average(double current, double sample) {
        return Double.isNaN(current) ? sample : current + WEIGHT * (sample - current);
    }
}
