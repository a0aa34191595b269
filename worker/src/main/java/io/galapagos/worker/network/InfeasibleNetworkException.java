package io.galapagos.worker.network;

/**
 * An architecture that cannot be built here: over a size limit, rejected by DeepLearning4J, or out of
 * memory while allocating. Retrying the same architecture will not help; a trial runner reports it as
 * {@link io.galapagos.trial.TrialResult.Infeasible} with {@link #getMessage()} as the reason.
 */
public final class InfeasibleNetworkException extends Exception {

    private static final long serialVersionUID = 1L;

    public InfeasibleNetworkException(String message) {
        super(message);
    }

    public InfeasibleNetworkException(String message, Throwable cause) {
        super(message, cause);
    }
}
