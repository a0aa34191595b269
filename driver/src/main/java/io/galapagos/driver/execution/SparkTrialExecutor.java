package io.galapagos.driver.execution;

import io.galapagos.trial.Candidate;
import io.galapagos.trial.TrialResult;
import io.galapagos.trial.TrialRunnerFactory;
import io.galapagos.worker.spark.RunCandidateFunction;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.collection.JavaConverters;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Runs each candidate as its own Spark job, {@code parallelize([candidate], 1).map(RunCandidateFunction)},
 * in the job group named by its trial id ({@code trial-0007}), so that the Spark UI and logs show trials
 * and a trial can be cancelled alone; or a batch of short trials as one job of one task
 * ({@link #submitBatch}). Jobs are submitted from an internal pool, one thread per running
 * trial, which waits for the job's result.
 *
 * <p>A future completes with the trial's result; exceptionally with {@link TrialExecutionException} when
 * the job failed (the infrastructure's fault), or with {@link java.util.concurrent.CancellationException}
 * when it was cancelled, by {@link #close()} or by cancelling the future, which cancels the job and
 * interrupts its task. A trial counts as begun ({@link #submit(Candidate, Runnable)}) when Spark's listener bus reports
 * its task launched on an executor. {@link #slots()} is explained in {@link SparkSlots}; for a cluster master its first
 * call waits for the executors to register, up to the executor wait (the constructor's argument, else the
 * Spark property {@value #EXECUTOR_WAIT_KEY}, else {@link #DEFAULT_EXECUTOR_WAIT}).
 *
 * <p>The Spark context belongs to the caller: {@link #close()} cancels this executor's jobs and stops its
 * threads, never the context. Thread-safe.
 */
public final class SparkTrialExecutor implements BatchingTrialExecutor {

    /** How long the first {@link #slots()} waits for a cluster's executors, unless told otherwise. */
    public static final Duration DEFAULT_EXECUTOR_WAIT = Duration.ofSeconds(60);
    /** Spark property for the executor wait when the constructor is not given one, e.g. {@code 120s}. */
    public static final String EXECUTOR_WAIT_KEY = "spark.galapagos.executorWait";

    private static final Logger LOG = LoggerFactory.getLogger(SparkTrialExecutor.class);
    private static final int DESCRIPTION_LIMIT = 200;
    /**
     * The local property naming the dispatch a job was submitted for: a trial run again under its id (its job group)
     * must not take the launch of an earlier job of that group, still on the listener bus, for its own.
     */
    private static final String DISPATCH_PROPERTY = "galapagos.dispatch";
    private static final AtomicLong DISPATCHES = new AtomicLong();
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final JavaSparkContext sc;
    private final RunCandidateFunction function;
    private final Duration executorWait;
    private final ExecutorService pool;
    private final Map<String, Trial> running = new ConcurrentHashMap<>();
    private final TaskLaunches launches = new TaskLaunches();
    private final Object slotsLock = new Object();
    private boolean executorsAwaited;
    private volatile boolean closed;

    /** With the executor wait of {@value #EXECUTOR_WAIT_KEY}, or {@link #DEFAULT_EXECUTOR_WAIT}. */
    public SparkTrialExecutor(JavaSparkContext sc, TrialRunnerFactory factory) {
        this(sc, factory, sc == null ? DEFAULT_EXECUTOR_WAIT : configuredWait(sc.getConf()));
    }

    /**
     * @param executorWait how long the first {@link #slots()} of a cluster master waits for executors
     */
    public SparkTrialExecutor(JavaSparkContext sc, TrialRunnerFactory factory, Duration executorWait) {
        if (sc == null || factory == null) {
            throw new IllegalArgumentException("a Spark context and a trial runner factory are required");
        }
        if (executorWait == null || executorWait.isNegative()) {
            throw new IllegalArgumentException("executor wait must be zero or positive, got " + executorWait);
        }
        this.sc = sc;
        this.function = new RunCandidateFunction(factory);
        this.executorWait = executorWait;
        this.pool = Executors.newCachedThreadPool(daemonThreads("galapagos-spark-trials-" + INSTANCES.incrementAndGet()));
        try {
            sc.sc().addSparkListener(launches);
        } catch (IllegalStateException stopped) {
            // a stopped context: every submit fails as ExecutorStoppedException, which is what callers handle
        }
    }

    @Override
    public int slots() {
        OptionalInt local = SparkSlots.local(sc.sc());
        if (local.isPresent()) {
            return local.getAsInt();
        }
        synchronized (slotsLock) {
            if (!executorsAwaited) {
                try {
                    SparkSlots.awaitExecutors(sc.sc(), executorWait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for Spark executors", e);
                }
                executorsAwaited = true;
            }
        }
        return SparkSlots.cluster(sc.sc());
    }

    @Override
    public CompletableFuture<TrialResult> submit(Candidate candidate) {
        return submit(candidate, () -> { });
    }

    @Override
    public CompletableFuture<TrialResult> submit(Candidate candidate, Runnable started) {
        TrialExecutor.checkSubmittable(candidate, closed);
        return handOut(start(List.of(candidate), started), results -> results.get(0));
    }

    @Override
    public CompletableFuture<List<TrialResult>> submitBatch(List<Candidate> candidates) {
        return submitBatch(candidates, () -> { });
    }

    /** Runs the candidates one after another in one Spark task, in one job whose group names the first. */
    @Override
    public CompletableFuture<List<TrialResult>> submitBatch(List<Candidate> candidates, Runnable started) {
        if (candidates == null || candidates.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one candidate");
        }
        candidates.forEach(c -> TrialExecutor.checkSubmittable(c, closed));
        return handOut(start(List.copyOf(candidates), started), results -> results);
    }

    /**
     * The caller's future of a trial: completed only once the trial has left {@link #running()}, and
     * cancelling it cancels the trial's job.
     */
    private <T> CompletableFuture<T> handOut(Trial trial, Function<List<TrialResult>, T> value) {
        CompletableFuture<T> handed = new CompletableFuture<>();
        trial.future.whenComplete((results, failure) -> {
            running.remove(trial.group, trial);
            if (failure != null) {
                handed.completeExceptionally(failure);
            } else {
                handed.complete(value.apply(results));
            }
        });
        handed.whenComplete((result, failure) -> {
            if (handed.isCancelled()) {
                trial.future.cancel(true);
            }
        });
        return handed;
    }

    private Trial start(List<Candidate> candidates, Runnable started) {
        Trial trial = new Trial(candidates, started);
        if (running.putIfAbsent(trial.group, trial) != null) {
            throw new IllegalArgumentException(trial.group + " is already running");
        }
        trial.future.whenComplete((result, failure) -> {
            if (trial.future.isCancelled()) {
                trial.cancel();
            }
        });
        try {
            pool.execute(trial::run);
        } catch (RejectedExecutionException e) {
            trial.future.completeExceptionally(new CancellationException("executor closed before "
                    + trial.group + " started"));
        }
        if (closed) {
            trial.future.cancel(true);
        }
        return trial;
    }

    /** Trial ids of the trials submitted and not finished yet. */
    public Set<String> running() {
        Set<String> ids = new TreeSet<>();
        running.values().forEach(t -> t.candidates.forEach(c -> ids.add(c.trialId())));
        return ids;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        sc.sc().removeSparkListener(launches);
        for (Trial trial : running.values()) {
            trial.future.cancel(true);
        }
        pool.shutdown();
        try {
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("Spark trial threads still waiting 10 s after their jobs were cancelled; interrupting");
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One dispatch of one or more candidates: its job group (the trial id, or for a batch the first trial id
     * and how many follow, {@code trial-0007+49}), its future, and its Spark job once submitted.
     */
    private final class Trial {
        final List<Candidate> candidates;
        final String group;
        /** Unique to this dispatch, unlike its group ({@link #DISPATCH_PROPERTY}). */
        final String dispatch = Long.toString(DISPATCHES.incrementAndGet());
        final CompletableFuture<List<TrialResult>> future = new CompletableFuture<>();
        private final Runnable started;
        private final AtomicBoolean launched = new AtomicBoolean();
        private JavaFutureAction<List<TrialResult>> job;
        private boolean cancelled;

        Trial(List<Candidate> candidates, Runnable started) {
            this.candidates = candidates;
            this.started = started;
            String first = candidates.get(0).trialId();
            this.group = candidates.size() == 1 ? first : first + "+" + (candidates.size() - 1);
        }

        /** On a pool thread: submits the job in the trial's group, then waits for its result. */
        void run() {
            JavaFutureAction<List<TrialResult>> action;
            synchronized (this) {
                if (cancelled || future.isDone()) {
                    return;
                }
                sc.setJobGroup(group, description(candidates), true);
                sc.setLocalProperty(DISPATCH_PROPERTY, dispatch);
                try {
                    action = sc.parallelize(candidates, 1).map(function).collectAsync();
                } catch (Exception | Error e) {
                    // Spark's checked SparkException too ("Task not serializable"), which Scala does not declare, and
                    // errors: the future must complete, or its slot would wait for it for ever
                    future.completeExceptionally(sc.sc().isStopped() ? new ExecutorStoppedException(group, e)
                            : new TrialExecutionException(group, "could not submit its Spark job", e));
                    return;
                } finally {
                    sc.clearJobGroup();
                    sc.setLocalProperty(DISPATCH_PROPERTY, null);
                }
                job = action;
            }
            try {
                List<TrialResult> results = action.get();
                if (!ownResults(results)) {
                    future.completeExceptionally(new TrialExecutionException(group, "its Spark job returned "
                            + results.size() + " results, not one for each of its " + candidates.size()
                            + " candidates in order", null));
                } else {
                    future.complete(List.copyOf(results));
                }
            } catch (CancellationException e) {
                future.completeExceptionally(e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                if (cancelled) {
                    future.completeExceptionally(cancellation(cause));
                } else if (sc.sc().isStopped()) {
                    future.completeExceptionally(new ExecutorStoppedException(group, cause));
                } else {
                    future.completeExceptionally(new TrialExecutionException(group,
                            "its Spark job failed: " + cause.getMessage(), cause));
                }
            } catch (InterruptedException e) {
                cancel();
                future.completeExceptionally(cancellation(e));
            } catch (RuntimeException | Error e) {
                future.completeExceptionally(new TrialExecutionException(group, "waiting for its Spark job failed: "
                        + e, e));
            }
        }

        /** Its task was launched; a relaunch after a lost executor does not restart its clock. */
        void launched() {
            if (launched.compareAndSet(false, true)) {
                started.run();
            }
        }

        /** Cancels the trial's Spark job, or keeps it from being submitted; idempotent. */
        void cancel() {
            JavaFutureAction<List<TrialResult>> action;
            synchronized (this) {
                if (cancelled) {
                    return;
                }
                cancelled = true;
                action = job;
            }
            if (action != null && !action.isDone()) {
                LOG.info("cancelling the Spark job of {}", group);
                action.cancel(true);
                sc.cancelJobGroup(group);
            }
        }

        private boolean ownResults(List<TrialResult> results) {
            if (results.size() != candidates.size()) {
                return false;
            }
            for (int i = 0; i < results.size(); i++) {
                if (!results.get(i).candidate().equals(candidates.get(i))) {
                    return false;
                }
            }
            return true;
        }

        private CancellationException cancellation(Throwable cause) {
            CancellationException e = new CancellationException(group + " was cancelled");
            e.initCause(cause);
            return e;
        }
    }

    /**
     * Tells each trial when its task was launched, matching the task's stage to the dispatch its job was submitted
     * for. Spark calls a listener on one thread, jobs' start before their tasks' and their end after.
     */
    private final class TaskLaunches extends SparkListener {
        private final Map<Integer, Trial> byStage = new ConcurrentHashMap<>();
        private final Map<Integer, List<Integer>> stagesByJob = new ConcurrentHashMap<>();

        @Override
        public void onJobStart(SparkListenerJobStart jobStart) {
            Properties properties = jobStart.properties();
            String dispatch = properties == null ? null : properties.getProperty(DISPATCH_PROPERTY);
            Trial trial = dispatch == null ? null : running.values().stream()
                    .filter(t -> t.dispatch.equals(dispatch)).findFirst().orElse(null);
            if (trial == null) {
                return;
            }
            List<Integer> stages = JavaConverters.seqAsJavaList(jobStart.stageIds()).stream()
                    .map(id -> (Integer) id).toList();
            stages.forEach(stage -> byStage.put(stage, trial));
            stagesByJob.put(jobStart.jobId(), stages);
        }

        @Override
        public void onTaskStart(SparkListenerTaskStart taskStart) {
            Trial trial = byStage.get(taskStart.stageId());
            if (trial != null) {
                trial.launched();
            }
        }

        @Override
        public void onJobEnd(SparkListenerJobEnd jobEnd) {
            List<Integer> stages = stagesByJob.remove(jobEnd.jobId());
            if (stages != null) {
                stages.forEach(byStage::remove);
            }
        }
    }

    static Duration configuredWait(SparkConf conf) {
        try {
            return Duration.ofMillis(conf.getTimeAsMs(EXECUTOR_WAIT_KEY, DEFAULT_EXECUTOR_WAIT.toSeconds() + "s"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(EXECUTOR_WAIT_KEY + ": '" + conf.get(EXECUTOR_WAIT_KEY)
                    + "' is not a duration (e.g. 90s, 2min)", e);
        }
    }

    private static String description(List<Candidate> candidates) {
        Candidate first = candidates.get(0);
        String text = candidates.size() == 1 ? first.trialId() + " " + first.architecture().text()
                : candidates.size() + " trials from " + first.trialId() + ": " + first.architecture().text() + ", ...";
        return text.length() <= DESCRIPTION_LIMIT ? text : text.substring(0, DESCRIPTION_LIMIT - 3) + "...";
    }

    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
