package io.galapagos.driver.execution;

/**
 * The executor was shut down under a trial: its SparkContext stopped (the driver is exiting, on Ctrl-C or
 * {@code SIGTERM}, or Spark gave up the application). The trial did not come to an end, through no fault of its
 * own and with nothing to retry on, so it must not be recorded: the study stops, and {@code resume} runs the trial
 * again.
 */
public final class ExecutorStoppedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ExecutorStoppedException(String trialId, Throwable cause) {
        super(trialId + " did not finish: Spark was stopped (the driver is shutting down, or Spark ended the "
                + "application)", cause);
    }
}
