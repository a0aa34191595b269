package io.galapagos.driver.study;

import io.galapagos.trial.Metrics;
import io.galapagos.trial.Objective;
import io.galapagos.trial.TrialResult;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Prints one line per finished trial: count/total, its score or status (its fidelity level, whether it continued
 * a lower level's training, whether the training time cap cut it), best so far, elapsed and ETA.
 * The ETA counts only this session's completed trials: the remaining trials are assumed to take as long,
 * on average, as those did (trials that failed or were infeasible at once would make it far too short);
 * until one completed it is unknown. When trials finish faster than {@value #LINES_PER_SECOND} a second for
 * long (thousands a second in scale runs), lines beyond that rate (after a burst of {@value #BURST}) are
 * skipped, except new bests and the last trial, and a line says so once; every result is in the journal.
 */
public final class ProgressPrinter implements StudyListener {

    private final PrintStream out;
    private final Objective objective;
    private final Comparator<TrialResult> ranking;
    static final int LINES_PER_SECOND = 10;
    static final int BURST = 20;

    private final Instant start = Instant.now();
    private TrialResult best;
    private int completed;
    private double lineCredit = BURST;
    private long creditedNanos = System.nanoTime();
    private boolean throttled;

    /** @param earlier the results of earlier sessions: the best so far may be one of them */
    /** @param objectives the study's, the first ranked by (the others break its ties, as the leaderboard's do) */
    public ProgressPrinter(PrintStream out, List<Objective> objectives, List<TrialResult> earlier) {
        this.out = out;
        this.objective = objectives.get(0);
        this.ranking = Objective.ranking(objectives);
        earlier.forEach(this::updateBest);
    }

    /**
     * Whether {@code result} is the new best so far (and then it is taken as such): as the leaderboard ranks, a score at
     * a higher fidelity beats any at a cheaper one (Hyperband's early rungs), whatever their values.
     */
    private boolean updateBest(TrialResult result) {
        boolean newBest = objective.score(result).isPresent() && (best == null
                || level(result) > level(best)
                || level(result) == level(best) && ranking.compare(result, best) < 0);
        if (newBest) {
            best = result;
        }
        return newBest;
    }

    private static int level(TrialResult result) {
        return result.candidate().fullFidelity() ? Integer.MAX_VALUE : result.candidate().fidelity();
    }

    @Override
    public void finished(TrialResult result, int finished, int total) {
        if (result instanceof TrialResult.Completed) {
            completed++;
        }
        boolean newBest = updateBest(result);
        long now = System.nanoTime();
        lineCredit = Math.min(BURST, lineCredit + (now - creditedNanos) * LINES_PER_SECOND / 1e9);
        creditedNanos = now;
        if (lineCredit < 1 && !newBest && finished < total) {
            if (!throttled) {
                throttled = true;
                out.printf(Locale.ROOT, "(trials finish faster than %d a second: from here on at most %d lines a second, "
                        + "besides new bests and the last trial; the journal has every result)%n", LINES_PER_SECOND,
                        LINES_PER_SECOND);
            }
            return;
        }
        lineCredit = Math.max(0, lineCredit - 1);
        Duration elapsed = Duration.between(start, Instant.now());
        String eta = completed == 0 ? "unknown" : clock(elapsed.multipliedBy(total - finished).dividedBy(completed));
        String outcome = objective.score(result).isPresent()
                ? String.format(Locale.ROOT, "%s %.4f", objective.metric(), objective.score(result).getAsDouble())
                : result.status() + " (" + result.reason() + ")";
        if (!result.candidate().fullFidelity()) {
            outcome += " at level " + result.candidate().fidelity();
            double continued = result.metrics().get(Metrics.CONTINUED_FROM_EPOCHS).orElse(0);
            if (continued > 0) {
                outcome += String.format(Locale.ROOT, " (continued after %.0f epoch%s)", continued,
                        continued == 1 ? "" : "s");
            }
        }
        if (result.metrics().get(Metrics.TIME_CAPPED).isPresent()) {
            outcome += String.format(Locale.ROOT, " (training cut by training.max_seconds after %.2f epochs)",
                    result.metrics().get(Metrics.EPOCHS).orElse(0));
        }
        String bestText = best == null ? "none yet"
                : String.format(Locale.ROOT, "%.4f (%s%s)", objective.score(best).getAsDouble(), best.candidate().trialId(),
                best.candidate().fullFidelity() ? "" : " at level " + best.candidate().fidelity());
        int digits = String.valueOf(total).length();
        out.printf(Locale.ROOT, "[%" + digits + "d/%d] %s %s | best %s | elapsed %s | ETA %s | %s%n",
                finished, total, result.candidate().trialId(), outcome, bestText, clock(elapsed), eta,
                result.candidate().architecture().text());
        out.flush();
    }

    public static String clock(Duration d) {
        long s = d.toSeconds();
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }
}
