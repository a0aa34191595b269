package io.galapagos.driver.study;

import io.galapagos.trial.TrialResult;

import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Stops a study whose trials keep failing: once at least {@code after} results are in and more than
 * {@code maxRate} of them are {@code failed} (infeasible candidates are the space's business, not
 * failures), no more trials start and {@link #verdict()} says why. A rate of 1 never stops. Counts this
 * session's results. Use as both a listener and the study's stop condition.
 */
public final class FailureGuard implements StudyListener, BooleanSupplier {

    private final double maxRate;
    private final int after;
    private int results;
    private int failed;
    private String lastReason = "";
    private String verdict;

    public FailureGuard(double maxRate, int after) {
        if (!(maxRate >= 0 && maxRate <= 1) || after < 1) {
            throw new IllegalArgumentException("need 0 <= max rate <= 1 and after >= 1, got " + maxRate + " and " + after);
        }
        this.maxRate = maxRate;
        this.after = after;
    }

    @Override
    public void finished(TrialResult result, int finished, int total) {
        results++;
        if (result instanceof TrialResult.Failed) {
            failed++;
            lastReason = result.reason();
        }
        if (verdict == null && maxRate < 1 && results >= after && failed > maxRate * results) {
            verdict = String.format(Locale.ROOT, "stopped: %d of %d results failed (%.0f%%), more than "
                    + "recovery.max_failure_rate %.2f allows; the last: %s", failed, results, 100.0 * failed / results,
                    maxRate, lastReason);
        }
    }

    @Override
    public boolean getAsBoolean() {
        return verdict != null;
    }

    /** Why the study was stopped, if it was. */
    public Optional<String> verdict() {
        return Optional.ofNullable(verdict);
    }
}
