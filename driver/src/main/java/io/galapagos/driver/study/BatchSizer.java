package io.galapagos.driver.study;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Chooses how many candidates go into one dispatch (one Spark task) so that the fixed cost of launching
 * a dispatch stays a small fraction of the work, without making anyone wait long.
 *
 * <p>It keeps a moving average of a dispatch's overhead {@code o} (its round trip as the driver saw it, less
 * the durations of its trials as the executor measured them), a moving average {@code d} of a completed
 * trial's duration, and the longest of the last {@value #RECENT} completed trials, {@code dmax}. The batch
 * size is the smallest {@code b} with {@code o / (b d) <= }{@value #TARGET_OVERHEAD}, capped so that
 * {@code b dmax} stays within the window: <b>a result waits at most the window for the other trials of its
 * batch</b> unless a trial runs longer than every one of the last {@value #RECENT}. Only completed trials
 * count as durations: failed and infeasible ones are often answered at once (a candidate over the FLOPs
 * limit), and would make slow training look short. Trials as long as the window or longer, and every
 * dispatch until a completed trial has come back, go one at a time, so long trials are never batched.
 * Not thread-safe.
 */
public final class BatchSizer {

    /** The overhead, as a fraction of a dispatch's work, that batching aims for. */
    static final double TARGET_OVERHEAD = 0.05;
    /** Weight of the newest observation in the moving averages. */
    static final double WEIGHT = 0.2;
    /** How many recent completed trials the longest duration is taken over. */
    static final int RECENT = 32;
    static final int MAX_BATCH = 10_000;

    private final double windowSeconds;
    private final Deque<Double> recent = new ArrayDeque<>(RECENT);
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
     * @param busySeconds        the sum of the durations of all its trials, as the executor measured them
     * @param completedSeconds   the durations of its completed trials
     * @param roundTripSeconds   from handing it to the executor to its results arriving
     */
    public void observe(double busySeconds, double[] completedSeconds, double roundTripSeconds) {
        if (busySeconds < 0 || roundTripSeconds < 0) {
            return;
        }
        overheadSeconds = average(overheadSeconds, Math.max(0, roundTripSeconds - busySeconds));
        for (double d : completedSeconds) {
            trialSeconds = average(trialSeconds, d);
            if (recent.size() == RECENT) {
                recent.removeFirst();
            }
            recent.addLast(d);
        }
    }

    /** The next dispatch's size: at least 1, at most {@code limit}. */
    public int size(int limit) {
        if (limit <= 1 || recent.isEmpty() || !(overheadSeconds > 0)) {
            return 1;
        }
        double d = Math.max(trialSeconds, 1e-6);
        double longest = Math.max(recent.stream().mapToDouble(Double::doubleValue).max().orElse(d), 1e-6);
        int wanted = (int) Math.ceil(overheadSeconds / (TARGET_OVERHEAD * d));
        int withinWindow = (int) Math.floor(windowSeconds / longest);
        return Math.max(1, Math.min(Math.min(wanted, withinWindow), Math.min(limit, MAX_BATCH)));
    }

    /** The moving average of a completed trial's duration, NaN before the first. */
    public double trialSeconds() {
        return trialSeconds;
    }

    /** The moving average of a dispatch's fixed cost, NaN before the first observation. */
    public double overheadSeconds() {
        return overheadSeconds;
    }

    private static double average(double current, double sample) {
        return Double.isNaN(current) ? sample : current + WEIGHT * (sample - current);
    }
}
