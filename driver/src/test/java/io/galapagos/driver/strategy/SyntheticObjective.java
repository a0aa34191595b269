package io.galapagos.driver.strategy;

import io.galapagos.trial.Objective;

import io.galapagos.space.Activation;
import io.galapagos.space.Block;
import io.galapagos.space.Layer;
import io.galapagos.space.MacroArchitecture;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Execution;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialResult;

import java.time.Instant;

/**
 * A deterministic stand-in for validation accuracy with one best structure: six blocks of 5x5, 32-filter
 * swish convolutions with batch norm. Each block scores up to 4 points; length away from 6 costs.
 */
final class SyntheticObjective {

    private SyntheticObjective() {
    }

    static double score(MacroArchitecture a) {
        double score = -1.5 * Math.abs(a.blocks().size() - 6);
        for (Block b : a.blocks()) {
            if (b.layer() instanceof Layer.Conv conv) {
                score += (conv.kernel() == 5 ? 1 : 0) + (conv.filters() == 32 ? 1 : 0);
                score += (b.activation() == Activation.SWISH ? 1 : 0) + (b.batchNorm() ? 1 : 0);
            }
        }
        return score;
    }

    /** A second objective that conflicts with {@link #score}: every block costs, convolutions by filters. */
    static double params(MacroArchitecture a) {
        double params = 0;
        for (Block b : a.blocks()) {
            params += 1 + (b.layer() instanceof Layer.Conv conv ? conv.filters() / 8.0 : 0);
        }
        return params;
    }

    static TrialResult result(Candidate candidate) {
        Instant now = Instant.EPOCH;
        return new TrialResult.Completed(candidate,
                Metrics.EMPTY.with(Metrics.VAL_ACCURACY, score((MacroArchitecture) candidate.architecture()))
                        .with(Metrics.PARAMS, params((MacroArchitecture) candidate.architecture())),
                new Execution("test", "localhost", 1, now, now));
    }
}
