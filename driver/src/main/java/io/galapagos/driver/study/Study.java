package io.galapagos.driver.study;

import io.galapagos.config.SchedulingConfig;
import io.galapagos.driver.execution.BatchingTrialExecutor;
import io.galapagos.driver.execution.ExecutorStoppedException;
import io.galapagos.driver.execution.TrialExecutor;
import io.galapagos.driver.strategy.MultiFidelityStrategy;
import io.galapagos.driver.strategy.SearchStrategy;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Execution;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialResult;
import io.galapagos.worker.ExecutorIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Runs candidates through an executor until a {@link TrialBudget}'s trials are done, keeping one dispatch in
 * flight per slot and asking the strategy for the next candidate the moment a slot frees up (steady state;
 * {@link SchedulingConfig} also offers generations). Trial {@code n} gets seed {@link Candidate#seedFor}(study seed, n). A
 * {@link MultiFidelityStrategy} is asked for {@link MultiFidelityStrategy#propose()} and its level goes on the
 * candidate; any other strategy is asked for {@link SearchStrategy#ask()}, at full fidelity.
 *
 * <p><b>Slots.</b> With {@code parallelism} 0 the slot count is the executor's, re-read as trials finish
 * (at most every {@link #SLOT_REFRESH}), so the study follows executors that join or leave. Each dispatch
 * occupies the lowest free slot number, recorded in its results' {@link Execution#slot()}.
 *
 * <p><b>Deadlines.</b> A dispatch still running {@link SchedulingConfig#trialTimeout()} after it began (the executor
 * says when: for Spark, when its task was launched), or not begun that long after it was handed over (no task slot
 * came free, no executor joined), is cancelled and its slot reused at once: a single trial becomes {@code failed}
 * with reason {@code timeout: ...}; the members of a batch are run again, one per dispatch, under the same ids. So a
 * trial's wait for a core or an executor (dynamic allocation, a cluster still starting) does not count against its
 * time to run.
 *
 * <p><b>Batching.</b> With a {@link BatchingTrialExecutor} and batching on, a dispatch carries as many
 * candidates as {@link BatchSizer} says (1 until trials are known to be short).
 *
 * <p><b>Faults.</b> A trial the executor could not run at all is run again under the same id, up to
 * {@link #MAX_RETRIES} times, then recorded as failed. Each result is handed to every listener (the journal
 * among them) before the strategy is told of it. A {@link StudyStart} from a resumed session puts its
 * results first (they count towards {@code trials}) and runs its trials in flight before any new one.
 *
 * <p><b>Order.</b> In {@link SchedulingConfig.Mode#ORDERED ordered} mode the strategy's calls no longer follow the
 * clock: results are told in trial order (one that arrives early waits for those before it, its slot taking
 * the next queued candidate), and trial {@code n} is asked for right after trial {@code n - L} was told, where
 * the lookahead {@code L} is {@value #LOOKAHEAD_PER_SLOT} times the slots the study starts with. With a fixed
 * {@code parallelism}, a seeded strategy is then asked and told exactly the same things in the same order on
 * a loaded machine as on an idle one (and on resume). Listeners see a result when it is told, so the journal
 * holds the strategy's order; a result held back when the driver dies is lost and its trial runs again.
 *
 * <p>Optionally a stop condition, checked before each candidate is created, ends the study early (the
 * trials in flight still finish); a batch is filled before its results are known, so with batching on the
 * condition cannot see them (turn batching off for conditions on results, as budgets counted in cost are).
 * Strategy, listeners and the stop condition are called from the thread that calls {@link #run()} only.
 */
public final class Study {

    /** How often, at most, the executor's slot count is re-read. */
    static final Duration SLOT_REFRESH = Duration.ofMillis(200);
    /**
     * How often a trial the executor could not run at all (executor lost after Spark's own task retries,
     * job failed) is run again, under the same id, before it is recorded as failed.
     */
    static final int MAX_RETRIES = 2;
    /** In ordered mode, candidates asked ahead of the results told, per slot the study starts with. */
    static final int LOOKAHEAD_PER_SLOT = 2;
    /** How the reason of a trial cancelled at its deadline begins. */
    public static final String TIMEOUT_REASON = "timeout";

    private static final Logger LOG = LoggerFactory.getLogger(Study.class);

    private final SearchStrategy strategy;
    private final TrialExecutor executor;
    private final TrialBudget trials;
    private final int parallelism;
    private final long seed;
    private final List<StudyListener> listeners;
    private final BooleanSupplier enough;
    private final SchedulingConfig scheduling;
    private final StudyStart start;

    /**
     * @param parallelism trials in flight at once; 0 means one per executor slot
     */
    public Study(SearchStrategy strategy, TrialExecutor executor, int trials, int parallelism, long seed,
                 List<StudyListener> listeners) {
        this(strategy, executor, trials, parallelism, seed, listeners, () -> false, SchedulingConfig.STEADY);
    }

    /**
     * @param trials     at most this many trials
     * @param enough     checked before each candidate is created: when true, no more trials start
     * @param scheduling steady state or generations, deadlines, batching
     */
    public Study(SearchStrategy strategy, TrialExecutor executor, int trials, int parallelism, long seed,
                 List<StudyListener> listeners, BooleanSupplier enough, SchedulingConfig scheduling) {
        this(strategy, executor, TrialBudget.of(trials), parallelism, seed, listeners, enough, scheduling,
                StudyStart.FRESH);
    }

    /**
     * @param trials the results to run to, and which of them do not count
     * @param start  where to begin: {@link StudyStart#FRESH}, or what an earlier session of this study
     *               recorded (its results count towards {@code trials} as this session's do; its trials in flight
     *               run first)
     */
    public Study(SearchStrategy strategy, TrialExecutor executor, TrialBudget trials, int parallelism, long seed,
                 List<StudyListener> listeners, BooleanSupplier enough, SchedulingConfig scheduling,
                 StudyStart start) {
        if (trials == null || parallelism < 0) {
            throw new IllegalArgumentException("need a trial budget and parallelism >= 0, got " + trials + " and "
                    + parallelism);
        }
        if (strategy == null || executor == null || enough == null || scheduling == null || start == null) {
            throw new IllegalArgumentException("strategy, executor, stop condition, scheduling and start are required");
        }
        this.strategy = strategy;
        this.executor = executor;
        this.trials = trials;
        this.parallelism = parallelism;
        this.seed = seed;
        this.listeners = List.copyOf(listeners);
        this.enough = enough;
        this.scheduling = scheduling;
        this.start = start;
    }

    /**
     * Runs the study to its end.
     *
     * @throws ExecutorStoppedException when the executor was shut down under a trial (Spark stopped): nothing of
     *                                  that trial is told or reported to the listeners, so resume runs it again
     */
    public StudyOutcome run() throws InterruptedException {
        return new Run().execute();
    }

    /** Candidates handed to the executor together, occupying one slot. */
    private static final class Dispatch {
        final int slot;
        final List<Candidate> candidates;
        final Instant submittedAt = Instant.now();
        final long submittedNanos = System.nanoTime();
        /** {@link Long#MAX_VALUE} without a deadline. */
        final long timeoutNanos;
        /** When the executor said the dispatch began, from its own thread; null until then. */
        private volatile Long startedNanos;
        CompletableFuture<?> future;

        Dispatch(int slot, List<Candidate> candidates, long timeoutNanos) {
            this.slot = slot;
            this.candidates = candidates;
            this.timeoutNanos = timeoutNanos;
        }

        void markStarted() {
            startedNanos = System.nanoTime();
        }

        boolean started() {
            return startedNanos != null;
        }

        /**
         * The timeout from its beginning, or until it begins from its hand-over; the second is never later, so a
         * study waiting for it never sleeps past the first.
         */
        long deadlineNanos() {
            if (timeoutNanos == Long.MAX_VALUE) {
                return Long.MAX_VALUE;
            }
            Long started = startedNanos;
            return (started == null ? submittedNanos : started) + timeoutNanos;
        }
    }

    /** A dispatch's results, or why it has none. */
    private record Arrival(Dispatch dispatch, List<TrialResult> results, Throwable error) {
    }

    /** The state of one {@link #run()}. */
    private final class Run {
        final Instant started = Instant.now();
        final long startNanos = System.nanoTime();
        final BlockingQueue<Arrival> arrivals = new LinkedBlockingQueue<>();
        final Set<Dispatch> active = new LinkedHashSet<>();
        final BitSet busySlots = new BitSet();
        final Deque<Candidate> reruns = new ArrayDeque<>();
        final List<TrialResult> results = new ArrayList<>(Math.min(trials.trials(), 1 << 16));
        final List<Utilisation.SlotCount> slotHistory = new ArrayList<>();
        final BatchSizer sizer = new BatchSizer(scheduling.batchWindow());
        final BatchingTrialExecutor batcher = scheduling.batchingEnabled() && executor instanceof BatchingTrialExecutor b
                ? b : null;
        int width;
        long widthReadNanos;
        final Map<Integer, Integer> retries = new HashMap<>();
        /** The number of the next new candidate. */
        int created;
        /** New candidates this session may still create. */
        int budget;
        /** Results that count towards the trials, and results that did not. */
        int counted;
        int uncounted;
        int generationLeft;
        int dispatches;
        int largestBatch;
        long waitingNanos;
        /** Ordered mode: the trial numbers asked for and not yet told, in the order they are to be told. */
        final Deque<Integer> untold = new ArrayDeque<>();
        /** Ordered mode: results that arrived before their turn to be told. */
        final Map<Integer, TrialResult> held = new HashMap<>();
        /** Ordered mode: candidates asked for ahead, waiting for a free slot. */
        final Deque<Candidate> queued = new ArrayDeque<>();
        int lookahead;

        StudyOutcome execute() throws InterruptedException {
            width = parallelism > 0 ? parallelism : Math.max(1, executor.slots());
            widthReadNanos = System.nanoTime();
            slotHistory.add(new Utilisation.SlotCount(started, width));
            int initialWidth = width;
            results.addAll(start.results());
            reruns.addAll(start.inFlight());
            created = start.nextNumber();
            counted = trials.counted(start.results());
            uncounted = start.results().size() - counted;
            budget = Math.max(0, trials.trials() - counted - start.inFlight().size());
            if (scheduling.isOrdered()) {
                lookahead = LOOKAHEAD_PER_SLOT * width;
                start.inFlight().stream().map(Candidate::number).sorted().forEach(untold::add);
                askAhead();
            }
            while (true) {
                refreshWidth();
                fill();
                if (active.isEmpty()) {
                    break;
                }
                Arrival arrival = await();
                if (arrival != null && active.remove(arrival.dispatch())) {
                    busySlots.clear(arrival.dispatch().slot);
                    receive(arrival);
                }
                // also while arrivals keep coming (instant answers from a cache or the screen): a trial past its
                // deadline is not left holding its slot until they stop
                expireOverdue();
            }
            if (!held.isEmpty()) {
                throw new IllegalStateException("results " + held.keySet() + " were never told; waiting for " + untold);
            }
            Instant end = Instant.now();
            long wallNanos = System.nanoTime() - startNanos;
            List<TrialResult> thisSession = results.subList(start.results().size(), results.size());
            Utilisation utilisation = Utilisation.of(thisSession, slotHistory, started, end);
            return new StudyOutcome(results, start.results().size(), started, Duration.ofNanos(wallNanos), initialWidth,
                    utilisation, Duration.ofNanos(Math.max(0, wallNanos - waitingNanos)), dispatches, largestBatch);
        }

        /** Hands out work while a slot is free: reruns first, then new candidates. */
        private void fill() {
            while (active.size() < width) {
                if (!reruns.isEmpty()) {
                    Candidate rerun = reruns.poll();
                    listeners.forEach(l -> l.submitted(rerun));
                    dispatch(List.of(rerun));
                    continue;
                }
                if (scheduling.isOrdered()) {
                    // asked only while a candidate waits: a time budget asked after the last trial started would
                    // record that it ran out, and the search would say trials were left for a resume
                    if (!queued.isEmpty() && enough.getAsBoolean()) {
                        abandonQueued();
                    }
                    if (queued.isEmpty()) {
                        return;
                    }
                    int size = batcher == null ? 1 : sizer.size(Math.max(1, ceilDiv(queued.size(), width)));
                    List<Candidate> batch = new ArrayList<>(size);
                    while (batch.size() < size && !queued.isEmpty()) {
                        batch.add(queued.poll());
                    }
                    dispatch(batch);
                    continue;
                }
                if (scheduling.isGenerational() && generationLeft == 0) {
                    if (!active.isEmpty()) {
                        return;
                    }
                    generationLeft = scheduling.generation() > 0 ? scheduling.generation() : width;
                }
                int limit = budget;
                if (scheduling.isGenerational()) {
                    limit = Math.min(limit, generationLeft);
                }
                // spread what is left over the slots rather than piling it into the first batch
                limit = Math.min(limit, Math.max(1, ceilDiv(budget, width)));
                int size = batcher == null ? 1 : sizer.size(limit);
                List<Candidate> batch = new ArrayList<>(size);
                while (batch.size() < size && budget > 0 && !enough.getAsBoolean()) {
                    Candidate candidate = next(created++);
                    budget--;
                    listeners.forEach(l -> l.submitted(candidate));
                    batch.add(candidate);
                }
                if (batch.isEmpty()) {
                    return;
                }
                generationLeft = Math.max(0, generationLeft - batch.size());
                dispatch(batch);
            }
        }

        private void dispatch(List<Candidate> batch) {
            int slot = busySlots.nextClearBit(0);
            long timeout = scheduling.trialTimeout().toNanos();
            if (batch.size() > 1) {
                timeout += scheduling.batchWindow().toNanos();
            }
            Dispatch d = new Dispatch(slot, batch, scheduling.hasTrialTimeout() ? timeout : Long.MAX_VALUE);
            busySlots.set(slot);
            active.add(d);
            dispatches++;
            largestBatch = Math.max(largestBatch, batch.size());
            if (batch.size() == 1) {
                CompletableFuture<TrialResult> future = executor.submit(batch.get(0), d::markStarted);
                d.future = future;
                future.whenComplete((r, e) -> arrivals.add(new Arrival(d, r == null ? null : List.of(r), e)));
            } else {
                CompletableFuture<List<TrialResult>> future = batcher.submitBatch(batch, d::markStarted);
                d.future = future;
                future.whenComplete((r, e) -> arrivals.add(new Arrival(d, r, e)));
            }
        }

        /** The next arrival, or null once the earliest deadline has passed. */
        private Arrival await() throws InterruptedException {
            long deadline = Long.MAX_VALUE;
            for (Dispatch d : active) {
                deadline = Math.min(deadline, d.deadlineNanos());
            }
            long before = System.nanoTime();
            try {
                if (deadline == Long.MAX_VALUE) {
                    return arrivals.take();
                }
                return deadline <= before ? arrivals.poll() : arrivals.poll(deadline - before, TimeUnit.NANOSECONDS);
            } finally {
                waitingNanos += System.nanoTime() - before;
            }
        }

        private void receive(Arrival arrival) {
            Dispatch d = arrival.dispatch();
            List<TrialResult> received = arrival.results();
            if (received == null || received.size() != d.candidates.size()) {
                Throwable error = arrival.error() != null ? arrival.error()
                        : new IllegalStateException("the executor returned " + (received == null ? 0 : received.size())
                        + " results for " + d.candidates.size() + " candidates");
                if (unwrap(error) instanceof ExecutorStoppedException stopped) {
                    // nothing is recorded: the journal holds the trial's proposal, so resume runs it again
                    throw stopped;
                }
                for (Candidate candidate : d.candidates) {
                    int tries = retries.merge(candidate.number(), 1, Integer::sum);
                    if (tries <= MAX_RETRIES && !(unwrap(error) instanceof CancellationException)) {
                        LOG.warn("{} could not run ({}); running it again, retry {} of {}", candidate.trialId(),
                                firstLine(error), tries, MAX_RETRIES);
                        reruns.add(candidate);
                    } else {
                        arrive(infrastructureFailure(candidate, d, error));
                    }
                }
                return;
            }
            double busy = 0;
            double[] completed = new double[received.size()];
            int n = 0;
            for (TrialResult result : received) {
                double seconds = result.execution().duration().toNanos() / 1e9;
                busy += seconds;
                if (result instanceof TrialResult.Completed) {
                    completed[n++] = seconds;
                }
            }
            sizer.observe(busy, Arrays.copyOf(completed, n), (System.nanoTime() - d.submittedNanos) / 1e9);
            for (TrialResult result : received) {
                arrive(result.withExecution(result.execution().withSlot(d.slot)));
            }
        }

        private void expireOverdue() {
            long now = System.nanoTime();
            for (Dispatch d : List.copyOf(active)) {
                // a dispatch that finished in time, while this thread was busy telling another result, is not
                // overdue: its result waits among the arrivals
                if (d.deadlineNanos() > now || d.future.isDone()) {
                    continue;
                }
                active.remove(d);
                busySlots.clear(d.slot);
                d.future.cancel(true);
                String overdue = d.started() ? "still running after " + seconds(scheduling.trialTimeout())
                        : "not begun " + seconds(scheduling.trialTimeout()) + " after its hand-over (no free task slot)";
                if (d.candidates.size() == 1) {
                    Candidate candidate = d.candidates.get(0);
                    LOG.warn("{} {}; cancelled", candidate.trialId(), overdue);
                    arrive(new TrialResult.Failed(candidate, TIMEOUT_REASON + ": " + overdue + ", cancelled",
                            Metrics.EMPTY, driverExecution(d, "unknown")));
                } else {
                    LOG.warn("a batch of {} trials from {} {}; cancelled, running them one by one",
                            d.candidates.size(), d.candidates.get(0).trialId(), overdue);
                    reruns.addAll(d.candidates);
                }
            }
        }

        /**
         * A result is in: recorded and told at once, or in ordered mode held until every trial before it was
         * told, each tell followed by the asks it makes room for.
         */
        private void arrive(TrialResult result) {
            if (!scheduling.isOrdered()) {
                record(result);
                return;
            }
            held.put(result.candidate().number(), result);
            if (!untold.isEmpty() && untold.peekFirst() != result.candidate().number()) {
                LOG.info("{} finished ({}); ordered scheduling tells it after trial {}, still running",
                        result.candidate().trialId(), result.status(), untold.peekFirst());
            }
            while (!untold.isEmpty() && held.containsKey(untold.peekFirst())) {
                record(held.remove(untold.pollFirst()));
                askAhead();
            }
        }

        /**
         * Ordered mode, once the study has enough (its time is up, or too many trials failed): the candidates asked
         * ahead that have not started never will (their proposals are in the journal, so a resume runs them), and the
         * results held back for them are told.
         */
        private void abandonQueued() {
            for (Candidate candidate : queued) {
                untold.remove(candidate.number());
            }
            queued.clear();
            while (!untold.isEmpty() && held.containsKey(untold.peekFirst())) {
                record(held.remove(untold.pollFirst()));
            }
        }

        /** Ordered mode: asks for candidates until {@link #lookahead} are untold; they queue for a slot. */
        private void askAhead() {
            while (untold.size() < lookahead && budget > 0 && !enough.getAsBoolean()) {
                Candidate candidate = next(created++);
                budget--;
                untold.addLast(candidate.number());
                queued.add(candidate);
                listeners.forEach(l -> l.submitted(candidate));
            }
        }

        /** On record first (the journal is a listener), then told to the strategy. */
        private void record(TrialResult result) {
            results.add(result);
            if (uncounted < trials.maxUncounted() && trials.uncounted().test(result)) {
                uncounted++;
                budget++;
            } else {
                counted++;
            }
            for (StudyListener listener : listeners) {
                listener.finished(result, counted, trials.trials());
            }
            strategy.tell(result);
            for (StudyListener listener : listeners) {
                listener.told(strategy, result);
            }
        }

        private void refreshWidth() {
            if (parallelism > 0 || System.nanoTime() - widthReadNanos < SLOT_REFRESH.toNanos()) {
                return;
            }
            int now = Math.max(1, executor.slots());
            widthReadNanos = System.nanoTime();
            if (now != width) {
                LOG.info("task slots changed from {} to {}", width, now);
                width = now;
                slotHistory.add(new Utilisation.SlotCount(Instant.now(), width));
            }
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
    }

    /** The executor could not run the trial at all, retries included; the strategy still hears of it as a failure. */
    private static TrialResult infrastructureFailure(Candidate candidate, Dispatch d, Throwable error) {
        String reason = "error: " + firstLine(error);
        return new TrialResult.Failed(candidate, reason, Metrics.EMPTY, driverExecution(d, "unknown"));
    }

    /** Where the driver saw a trial run when the executor could not say: from hand-over until now. */
    private static Execution driverExecution(Dispatch d, String executorId) {
        return new Execution(executorId, ExecutorIdentity.host(), -1, d.slot, List.of(), d.submittedAt, Instant.now());
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private static String firstLine(Throwable error) {
        Throwable cause = unwrap(error);
        return cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage().lines().findFirst().orElse(""));
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.3g s", d.toNanos() / 1e9);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
