package io.galapagos.driver.execution;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.galapagos.config.Constraints;
import io.galapagos.config.TrainingConfig;
import io.galapagos.driver.latency.LatencyPredictor;
import io.galapagos.space.Architecture;
import io.galapagos.space.SearchSpace;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Execution;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialResult;
import io.galapagos.worker.ExecutorIdentity;
import io.galapagos.worker.network.InfeasibleNetworkException;
import io.galapagos.worker.network.KernelProfile;
import io.galapagos.worker.network.NetworkBuilder;
import io.galapagos.worker.network.NetworkInput;
import io.galapagos.worker.training.TrainingData;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.random.RandomGenerator;
import java.util.function.Consumer;

/**
 * Checks each candidate against the constraints on the driver, before dispatch, and answers one that breaks them at
 * once as infeasible, so that it never costs an executor a task; every other candidate goes to the executor it
 * wraps. Answers record executor {@value #SCREEN}.
 * <ul>
 *   <li>Analytic bounds (parameters, FLOPs, the memory figures): the figures {@link NetworkBuilder#cost} computes from
 *       the layout, with the executors' own message; a layout DeepLearning4J rejects is answered too. The executors'
 *       training-memory limit is theirs to check: the driver does not know their memory.</li>
 *   <li>{@code max_latency_ms}: a {@link LatencyPredictor} learns from every result that comes back (and from the
 *       study's earlier results, and from a {@link #profile} of the space) and, once it ranks well, refuses a
 *       candidate it predicts over the bound: one more likely infeasible than not, since its errors fall either way.
 *       The prediction is recorded as {@link Metrics#PREDICTED_LATENCY_MS}.</li>
 * </ul>
 * Like the warm start's cache, it never batches (a wrapped batching executor receives one candidate at a time), which
 * only matters for trials much shorter than a Spark job, never for the trained networks it screens.
 */
public final class ScreeningTrialExecutor implements TrialExecutor {

    /** The executor id of results answered by the screen. */
    public static final String SCREEN = "screen";
    /**
     * How many refusals per trial a search's budget leaves uncounted: they cost no task, so a screened search trains
     * its trials' worth of networks, unless its strategy proposes ten refused candidates for each trial.
     */
    public static final int MAX_REFUSALS_PER_TRIAL = 10;
    /** The latency model file's field naming the networks' input ({@link NetworkInput#describe}). */
    public static final String INPUT = "input";

    private static final Logger LOG = LoggerFactory.getLogger(ScreeningTrialExecutor.class);
    /** How many samples a profile draws per network it wants before it settles for fewer (a small space). */
    private static final int PROFILE_ATTEMPTS_PER_NETWORK = 20;

    private final TrialExecutor delegate;
    private final NetworkBuilder builder;
    private final NetworkInput input;
    private final int batchSize;
    private final OptionalDouble maxLatency;
    /** Null without a latency bound. */
    private final LatencyPredictor latency;

    /**
     * @param data     what the executors train on; only its shape is read here ({@link TrainingData#input}), through
     *                 the file systems {@code hadoop} configures
     * @param training how they train: its constraints, batch size and cell skeleton
     * @param earlier  results the latency model learns from before the first candidate: a resumed study's, a warm
     *                 start's
     * @param console  where the latency model's state is said
     * @throws IOException the data's shape cannot be read
     */
    public ScreeningTrialExecutor(TrialExecutor delegate, TrainingData<?> data, Configuration hadoop,
                                  TrainingConfig training, List<TrialResult> earlier, Consumer<String> console)
            throws IOException {
        this.delegate = delegate;
        this.builder = NetworkBuilder.costing(training);
        this.input = data.input(hadoop);
        this.batchSize = training.batchSize();
        this.maxLatency = training.constraints().maximum(Constraints.Limit.LATENCY_MS);
        this.latency = maxLatency.isPresent() ? new LatencyPredictor(console) : null;
        if (latency != null) {
            earlier.forEach(r -> kernels(r.candidate().architecture()).ifPresent(k -> latency.learn(k, r)));
        }
    }

    @Override
    public int slots() {
        return delegate.slots();
    }

    @Override
    public CompletableFuture<TrialResult> submit(Candidate candidate) {
        return submit(candidate, () -> { });
    }

    @Override
    public CompletableFuture<TrialResult> submit(Candidate candidate, Runnable started) {
        TrialExecutor.checkSubmittable(candidate, false);
        Metrics figures;
        try {
            figures = builder.cost(candidate.architecture(), input, batchSize);
        } catch (InfeasibleNetworkException e) {
            return answered(candidate, e.getMessage(), e.metrics(), started);
        }
        if (latency == null) {
            return delegate.submit(candidate, started);
        }
        Optional<KernelProfile> kernels = kernels(candidate.architecture());
        OptionalDouble predicted = kernels.isPresent() ? latency.predictedLatency(kernels.get()) : OptionalDouble.empty();
        if (predicted.isPresent() && predicted.getAsDouble() > maxLatency.getAsDouble()) {
            return answered(candidate, "latency_ms predicted at " + Constraints.number(predicted.getAsDouble())
                            + " by the latency model is over constraints.max_latency_ms "
                            + Constraints.number(maxLatency.getAsDouble()),
                    figures.with(Metrics.PREDICTED_LATENCY_MS, predicted.getAsDouble()), started);
        }
        CompletableFuture<TrialResult> running = delegate.submit(candidate, started);
        CompletableFuture<TrialResult> learnt = running.thenApply(result -> {
            kernels.ifPresent(k -> learn(k, result));
            return result;
        });
        // the study cancels the future it holds at a trial's deadline: that must reach the trial itself, whose
        // executor then cancels its Spark job
        learnt.whenComplete((result, error) -> {
            if (learnt.isCancelled()) {
                running.cancel(true);
            }
        });
        return learnt;
    }

    /**
     * Teaches the latency model {@code count} networks sampled from {@code space} (distinct, within the analytic
     * bounds) before the first candidate, timed untrained by {@code profiler} at most {@code atOnce} at a time, so that
     * they are timed as the trials will be (alone, when trials run one at a time). As nn-Meter profiles a device
     * before it predicts for it, this lets the model screen from the first candidate, not once the search has
     * measured enough networks; and the executors' JIT compiler has compiled the layers' code before the first trial
     * is timed. A network the profiler fails to time is left out.
     *
     * @return the networks timed
     */
    public int profile(SearchSpace space, RandomGenerator rng, int count, TrialExecutor profiler, int atOnce)
            throws InterruptedException {
        if (latency == null) {
            throw new IllegalStateException("no latency bound to profile for");
        }
        Set<String> sampled = new HashSet<>();
        Deque<CompletableFuture<TrialResult>> inFlight = new ArrayDeque<>();
        int timed = 0;
        for (int attempt = 0; sampled.size() < count && attempt < PROFILE_ATTEMPTS_PER_NETWORK * count; attempt++) {
            Architecture architecture = space.sample(rng);
            Optional<KernelProfile> kernels = kernels(architecture);
            if (kernels.isEmpty() || !withinAnalyticBounds(architecture) || !sampled.add(architecture.text())) {
                continue;
            }
            if (inFlight.size() == atOnce) {
                timed += learnProfiled(inFlight.removeFirst());
            }
            Candidate candidate = new Candidate(sampled.size() - 1, architecture, rng.nextLong());
            inFlight.addLast(profiler.submit(candidate).thenApply(result -> {
                learn(kernels.get(), result);
                return result;
            }));
        }
        while (!inFlight.isEmpty()) {
            timed += learnProfiled(inFlight.removeFirst());
        }
        return timed;
    }

    private boolean withinAnalyticBounds(Architecture architecture) {
        try {
            builder.cost(architecture, input, batchSize);
            return true;
        } catch (InfeasibleNetworkException e) {
            return false;
        }
    }

    /** 1 when the profiled network's latency was timed, else 0 (the reason logged). */
    private static int learnProfiled(CompletableFuture<TrialResult> future) throws InterruptedException {
        try {
            TrialResult result = future.get();
            if (result.metrics().get(Metrics.LATENCY_MS).isPresent()) {
                return 1;
            }
            LOG.warn("Latency profile: {} was not timed: {}", result.candidate().architecture().text(), result.status());
        } catch (ExecutionException e) {
            LOG.warn("Latency profile: a network was not timed: {}", e.getCause().toString());
        }
        return 0;
    }

    private Optional<KernelProfile> kernels(Architecture architecture) {
        try {
            return Optional.of(builder.kernels(architecture, input));
        } catch (InfeasibleNetworkException e) {
            return Optional.empty();
        }
    }

    /** A result is never lost to the latency model: a failure to learn from it is logged, not passed on. */
    private void learn(KernelProfile kernels, TrialResult result) {
        try {
            latency.learn(kernels, result);
        } catch (RuntimeException e) {
            LOG.warn("The latency model could not learn from {}: {}", result.candidate().trialId(), e.toString());
        }
    }

    private static CompletableFuture<TrialResult> answered(Candidate candidate, String reason, Metrics metrics,
                                                           Runnable started) {
        started.run();
        Instant now = Instant.now();
        Execution execution = new Execution(SCREEN, ExecutorIdentity.host(), ExecutorIdentity.pid(), now, now);
        return CompletableFuture.completedFuture(new TrialResult.Infeasible(candidate, reason, metrics, execution));
    }

    /**
     * What the latency model learnt ({@link LatencyPredictor#toJson()}) and the input of the networks it measured
     * ({@code input}); empty without a latency bound.
     */
    public Optional<ObjectNode> latencyModel() {
        return latency == null ? Optional.empty() : Optional.of(latency.toJson().put(INPUT, input.describe()));
    }

    /** What the screened networks read, which their kernels, and so the latency model, depend on. */
    public NetworkInput input() {
        return input;
    }

    /** Results answered by the screen among {@code results}. */
    public static long count(List<TrialResult> results) {
        return results.stream().filter(ScreeningTrialExecutor::refused).count();
    }

    /** Whether the screen answered {@code result}, without a task. */
    public static boolean refused(TrialResult result) {
        return SCREEN.equals(result.execution().executor());
    }

    @Override
    public void close() {
        delegate.close();
    }
}
