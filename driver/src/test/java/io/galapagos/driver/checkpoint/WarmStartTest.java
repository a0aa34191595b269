package io.galapagos.driver.checkpoint;

import io.galapagos.space.CellArchitecture;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Execution;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialResult;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which earlier results answer tonight's trials of their architecture, instead of a training. */
class WarmStartTest {

    private static final Candidate CANDIDATE = new Candidate(3,
            CellArchitecture.parse("|nor_conv_3x3~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|"), 3);
    private static final Execution RAN = new Execution("1", "host", 7, Instant.EPOCH, Instant.EPOCH.plusSeconds(2));

    private static TrialResult infeasible(String reason, Metrics metrics) {
        return new TrialResult.Infeasible(CANDIDATE, reason, metrics, RAN);
    }

    @Test
    void trainingsAndVerdictsOfTheArchitectureAnswerAgainVerdictsOfTheMomentDoNot() {
        assertTrue(WarmStart.answersAgain(new TrialResult.Completed(CANDIDATE, Metrics.EMPTY.with(Metrics.VAL_ACCURACY,
                0.8), RAN)));
        assertTrue(WarmStart.answersAgain(infeasible("params 1091 is over constraints.max_params 1090",
                Metrics.EMPTY.with(Metrics.PARAMS, 1091))), "the architecture and the bound decide it");
        assertTrue(WarmStart.answersAgain(infeasible("latency_ms 3 is over constraints.max_latency_ms 2",
                Metrics.EMPTY.with(Metrics.LATENCY_MS, 3))), "a measured latency, as a measured accuracy");

        assertFalse(WarmStart.answersAgain(new TrialResult.Failed(CANDIDATE, "diverged", Metrics.EMPTY, RAN)));
        assertFalse(WarmStart.answersAgain(infeasible("latency_ms predicted at 3 by the latency model is over "
                + "constraints.max_latency_ms 2", Metrics.EMPTY.with(Metrics.PREDICTED_LATENCY_MS, 3))));
        assertFalse(WarmStart.answersAgain(infeasible("out of memory: java.lang.OutOfMemoryError: Physical memory "
                + "usage is too high", Metrics.EMPTY)));
        assertFalse(WarmStart.answersAgain(infeasible("too large: training with batches of 64 needs about 900 MiB, the "
                + "limit is 800 MiB", Metrics.EMPTY)));
    }
}
