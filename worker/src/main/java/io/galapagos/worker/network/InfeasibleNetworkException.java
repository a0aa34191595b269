package io.galapagos.worker.network;

import io.galapagos.trial.Metrics;

/**
 * An architecture that cannot be built here: over a size limit, rejected by DeepLearning4J, or out of
 * memory while allocating. Retrying the same architecture will not help; a trial runner reports it as
 * {@link io.galapagos.trial.TrialResult.Infeasible} with {@link #getMessage()} as the reason.
 */
public final class InfeasibleNetworkException extends Exception {

    private static final long serialVersionUID = 1L;

    /** How a reason starts when the network is over this JVM's memory (or the parameter limit). */
    public static final String TOO_LARGE = "too large: ";
    /** How a reason starts when allocating ran out of memory, which another trial may have been holding. */
    public static final String OUT_OF_MEMORY = "out of memory: ";

    /** What was known of the network when it was found infeasible: its analytic figures, or none. */
    private final transient Metrics metrics;

    public InfeasibleNetworkException(String message) {
        this(message, Metrics.EMPTY);
    }

    public InfeasibleNetworkException(String message, Metrics metrics) {
        super(message);
        this.metrics = metrics;
    }

    public InfeasibleNetworkException(String message, Throwable cause) {
        super(message, cause);
        this.metrics = Metrics.EMPTY;
    }

    /**
     * Whether an infeasible verdict of this {@code reason} says more about the executor that gave it (its memory,
     * what else ran there) than about the architecture, so that another executor or night may train it.
     */
    public static boolean dependsOnTheExecutor(String reason) {
        return reason.startsWith(TOO_LARGE) || reason.startsWith(OUT_OF_MEMORY);
    }

    /** The network's analytic figures ({@link NetworkBuilder#cost}) when they were known, else empty. */
    public Metrics metrics() {
        return metrics == null ? Metrics.EMPTY : metrics;
    }
}
