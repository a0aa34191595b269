package io.galapagos.driver.study;

import io.galapagos.trial.TrialResult;

import java.util.List;
import java.util.function.Predicate;

/**
 * How many results a study runs to, and which results it does not count: candidates refused before dispatch cost no
 * task, so a screened search still trains as many networks as it was given trials. At most {@code maxUncounted} go
 * uncounted, so that a strategy that proposes little but what is refused still comes to an end.
 *
 * @param trials       the results that count, at most
 * @param uncounted    which results do not count (while fewer than {@code maxUncounted} have gone uncounted)
 * @param maxUncounted how many results at most go uncounted
 */
public record TrialBudget(int trials, Predicate<TrialResult> uncounted, int maxUncounted) {

    public TrialBudget {
        if (trials < 1 || maxUncounted < 0 || uncounted == null) {
            throw new IllegalArgumentException("need trials >= 1, a rule and max uncounted >= 0, got " + trials
                    + " and " + maxUncounted);
        }
    }

    /** Every result counts. */
    public static TrialBudget of(int trials) {
        return new TrialBudget(trials, r -> false, 0);
    }

    /** How many of {@code results}, in order, count towards {@link #trials()}. */
    public int counted(List<TrialResult> results) {
        long free = results.stream().filter(uncounted).count();
        return results.size() - (int) Math.min(free, maxUncounted);
    }
}
