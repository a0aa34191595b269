package io.galapagos.driver.execution;

import io.galapagos.config.TrainingConfig;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Execution;
import io.galapagos.trial.TrialResult;
import io.galapagos.worker.ExecutorIdentity;
import io.galapagos.worker.network.InfeasibleNetworkException;
import io.galapagos.worker.network.NetworkBuilder;
import io.galapagos.worker.network.NetworkInput;
import io.galapagos.worker.training.TrainingData;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Checks each candidate's analytic figures (parameters, FLOPs, the memory figures; {@link NetworkBuilder#cost})
 * against the constraints on the driver, before dispatch: a candidate over a bound, or one DeepLearning4J cannot lay
 * out, is answered at once as infeasible, with the executors' own message and the figures, and never costs an
 * executor a task; every other candidate goes to the executor it wraps. Answers record executor {@value #SCREEN}.
 * The training-memory limit of the executors is theirs to check: the driver does not know their memory.
 */
public final class ScreeningTrialExecutor implements TrialExecutor {

    /** The executor id of results answered by the screen. */
    public static final String SCREEN = "screen";

    private final TrialExecutor delegate;
    private final NetworkBuilder builder;
    private final NetworkInput input;
    private final int batchSize;

    /**
     * @param data     what the executors train on; only its shape is read here ({@link TrainingData#input()})
     * @param training how they train: its constraints, batch size and cell skeleton
     * @throws IOException the data's shape cannot be read
     */
    public ScreeningTrialExecutor(TrialExecutor delegate, TrainingData<?> data, TrainingConfig training)
            throws IOException {
        this.delegate = delegate;
        this.builder = new NetworkBuilder(NetworkBuilder.DEFAULT_MAX_PARAMS, Long.MAX_VALUE, training.constraints(),
                training.cellNetwork());
        this.input = data.input();
        this.batchSize = training.batchSize();
    }

    @Override
    public int slots() {
        return delegate.slots();
    }

    @Override
    public CompletableFuture<TrialResult> submit(Candidate candidate) {
        TrialExecutor.checkSubmittable(candidate, false);
        try {
            builder.cost(candidate.architecture(), input, batchSize);
        } catch (InfeasibleNetworkException e) {
            Instant now = Instant.now();
            Execution execution = new Execution(SCREEN, ExecutorIdentity.host(), ExecutorIdentity.pid(), now, now);
            return CompletableFuture.completedFuture(new TrialResult.Infeasible(candidate, e.getMessage(),
                    e.metrics(), execution));
        }
        return delegate.submit(candidate);
    }

    /** Results answered by the screen among {@code results}. */
    public static long count(List<TrialResult> results) {
        return results.stream().filter(r -> SCREEN.equals(r.execution().executor())).count();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
