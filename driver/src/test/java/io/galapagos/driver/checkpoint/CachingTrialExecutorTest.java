package io.galapagos.driver.checkpoint;

import io.galapagos.driver.execution.DirectTrialExecutor;
import io.galapagos.space.CellArchitecture;
import io.galapagos.space.CellSearchSpace;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Execution;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialResult;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which candidates an earlier search's results answer: the same architecture at the same fidelity only. */
class CachingTrialExecutorTest {

    private static final Execution RAN = new Execution("1", "host", 7, Instant.EPOCH, Instant.EPOCH.plusSeconds(2));

    private static TrialResult result(int number, CellArchitecture cell, int fidelity, double accuracy) {
        return new TrialResult.Completed(new Candidate(number, cell, number, fidelity),
                Metrics.EMPTY.with(Metrics.VAL_ACCURACY, accuracy), RAN);
    }

    @Test
    void anArchitectureTrainedAtSeveralFidelitiesAnswersAtEachAndOnlyThere() {
        SplittableRandom random = new SplittableRandom(3);
        CellArchitecture a = CellSearchSpace.nb201().sample(random);
        CellArchitecture b = CellSearchSpace.nb201().sample(random);
        // a Hyperband search trains a at level 0, then promotes it to level 1
        List<TrialResult> earlier = List.of(result(0, a, 0, 0.6), result(1, b, 0, 0.5), result(2, a, 1, 0.8));
        Metrics trained = Metrics.EMPTY.with(Metrics.VAL_ACCURACY, 0.1);
        try (CachingTrialExecutor executor = new CachingTrialExecutor(new DirectTrialExecutor(
                candidate -> new TrialResult.Completed(candidate, trained, RAN)), earlier)) {
            TrialResult promoted = executor.submit(new Candidate(10, a, 99, 1)).join();
            assertEquals(CachingTrialExecutor.CACHE, promoted.execution().executor());
            assertEquals(0.8, promoted.metrics().require(Metrics.VAL_ACCURACY));
            assertEquals(new Candidate(10, a, 99, 1), promoted.candidate());
            assertEquals(0.6, executor.submit(new Candidate(11, a, 98, 0)).join().metrics().require(Metrics.VAL_ACCURACY));
            TrialResult notTrainedThere = executor.submit(new Candidate(12, b, 97, 1)).join();
            assertEquals("in-process", notTrainedThere.execution().executor(), "trained, not answered");
            assertEquals(trained, notTrainedThere.metrics());
            assertEquals(trained, executor.submit(new Candidate(13, a, 96, Candidate.FULL_FIDELITY)).join().metrics());
        }
    }
}
