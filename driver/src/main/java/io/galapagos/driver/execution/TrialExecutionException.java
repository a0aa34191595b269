package io.galapagos.driver.execution;

/**
 * The infrastructure failed to run a trial (its Spark job failed: executors lost beyond
 * {@code spark.task.maxFailures}, the runner could not be created or deserialised, ...). The candidate
 * itself is not to blame: running it again may succeed. Problems of the candidate are never thrown;
 * they are {@link io.galapagos.trial.TrialResult.Failed} or {@code Infeasible} results.
 */
public final class TrialExecutionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String trialId;

    public TrialExecutionException(String trialId, String message, Throwable cause) {
        super(trialId + ": " + message, cause);
        this.trialId = trialId;
    }

    public String trialId() {
        return trialId;
    }
}
