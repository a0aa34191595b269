package io.galapagos.driver.study;

import io.galapagos.driver.execution.TrialExecutor;
import io.galapagos.driver.strategy.MultiFidelityStrategy;
import io.galapagos.driver.strategy.SearchStrategy;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Execution;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialResult;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BooleanSupplier;

/**
 * Runs {@code trials} candidates through an executor, at most {@code parallelism} at once, asking the
 * strategy for the next candidate the moment a slot frees up. Trial {@code n} gets seed
 * {@link Candidate#seedFor}(study seed, n). A {@link MultiFidelityStrategy} is asked for
 * {@link MultiFidelityStrategy#propose()} and its level goes on the candidate ({@link Candidate#fidelity()});
 * any other strategy is asked for {@link SearchStrategy#ask()}, at full fidelity. Optionally, a stop condition
 * checked before each submission ends the study early (the trials in flight still finish), e.g. once a
 * budget counted in cost rather than trials is spent. Strategy, listeners and the stop condition are called
 * from the thread that calls {@link #run()} only.
 */
public final class Study {

    private final SearchStrategy strategy;
    private final TrialExecutor executor;
    private final int trials;
    private final int parallelism;
    private final long seed;
    private final List<StudyListener> listeners;
    private final BooleanSupplier enough;

    /**
     * @param parallelism trials in flight at once; 0 means one per executor slot
     */
    public Study(SearchStrategy strategy, TrialExecutor executor, int trials, int parallelism, long seed,
                 List<StudyListener> listeners) {
        this(strategy, executor, trials, parallelism, seed, listeners, () -> false);
    }

    /**
     * @param trials at most this many trials
     * @param enough checked before each submission: when true, no more trials start
     */
    public Study(SearchStrategy strategy, TrialExecutor executor, int trials, int parallelism, long seed,
                 List<StudyListener> listeners, BooleanSupplier enough) {
        if (trials < 1 || parallelism < 0) {
            throw new IllegalArgumentException("need trials >= 1 and parallelism >= 0, got " + trials
                    + " and " + parallelism);
        }
        this.strategy = strategy;
        this.executor = executor;
        this.trials = trials;
        this.parallelism = parallelism;
        this.seed = seed;
        this.listeners = List.copyOf(listeners);
        this.enough = enough;
    }

    private record Finished(Candidate candidate, Instant submitted, TrialResult result, Throwable error) {
    }

    public StudyOutcome run() throws InterruptedException {
        int width = parallelism > 0 ? parallelism : Math.max(1, executor.slots());
        Instant start = Instant.now();
        BlockingQueue<Finished> finished = new LinkedBlockingQueue<>();
        List<TrialResult> results = new ArrayList<>(Math.min(trials, 4096));
        int submitted = 0;
        int running = 0;
        while (true) {
            while (running < width && submitted < trials && !enough.getAsBoolean()) {
                Candidate candidate = next(submitted);
                submitted++;
                running++;
                Instant at = Instant.now();
                listeners.forEach(l -> l.submitted(candidate));
                executor.submit(candidate).whenComplete((result, error) ->
                        finished.add(new Finished(candidate, at, result, error)));
            }
            if (running == 0) {
                break;
            }
            Finished done = finished.take();
            running--;
            TrialResult result = done.result() != null ? done.result() : infrastructureFailure(done);
            results.add(result);
            strategy.tell(result);
            for (StudyListener listener : listeners) {
                listener.finished(result, results.size(), trials);
            }
        }
        return new StudyOutcome(results, Duration.between(start, Instant.now()), width);
    }

    /** Trial {@code number}: a proposal at its level from a multi-fidelity strategy, else an architecture in full. */
    private Candidate next(int number) {
        long trialSeed = Candidate.seedFor(seed, number);
        if (strategy instanceof MultiFidelityStrategy multiFidelity) {
            MultiFidelityStrategy.Proposal proposal = multiFidelity.propose();
            return new Candidate(number, proposal.architecture(), trialSeed, proposal.level());
        }
        return new Candidate(number, strategy.ask(), trialSeed);
    }

    /** The executor could not run the trial at all; the strategy still hears of it as a failure. */
    private static TrialResult infrastructureFailure(Finished done) {
        Throwable cause = done.error() instanceof CompletionException && done.error().getCause() != null
                ? done.error().getCause() : done.error();
        String reason = "error: " + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage().lines().findFirst().orElse(""));
        return new TrialResult.Failed(done.candidate(), reason, Metrics.EMPTY,
                new Execution("unknown", localHost(), -1, done.submitted(), Instant.now()));
    }

    private static String localHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return ManagementFactory.getRuntimeMXBean().getName();
        }
    }
}
