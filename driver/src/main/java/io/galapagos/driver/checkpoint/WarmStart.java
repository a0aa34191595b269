package io.galapagos.driver.checkpoint;

import io.galapagos.config.ConfigLoader;
import io.galapagos.config.SearchConfig;
import io.galapagos.config.StrategyConfig;
import io.galapagos.driver.results.JournalEvent;
import io.galapagos.driver.results.JournalHistory;
import io.galapagos.driver.results.OutputException;
import io.galapagos.driver.results.RunOutput;
import io.galapagos.driver.strategy.MultiFidelityStrategy;
import io.galapagos.driver.strategy.SearchStrategy;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.Objective;
import io.galapagos.trial.TrialResult;
import io.galapagos.worker.network.InfeasibleNetworkException;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a new search takes from an earlier one over the same space ({@code --warm-start PREVIOUS_OUTPUT}):
 * its results, told to the new strategy before it proposes anything (worst first, so that an aging
 * population ends up holding the best, and a model-based strategy sees the whole history), and, when both
 * searches train the same way (equal {@link TrainingKey}), a cache of its completed and infeasible results by
 * architecture, so that a candidate trained before is answered from it instead of trained again.
 *
 * @param source       the earlier output
 * @param results      its results, one per trial
 * @param cache        its completed and infeasible results, which can answer again; empty when the training differs
 * @param sameTraining whether the training keys are equal
 * @param topFidelity  the fidelity its full trainings ran at: its highest level for a Hyperband search, whether any
 *                     trial reached it or not; {@link Candidate#FULL_FIDELITY} for any other
 */
public record WarmStart(String source, List<TrialResult> results, List<TrialResult> cache, boolean sameTraining,
                        int topFidelity) {

    public WarmStart {
        results = List.copyOf(results);
        cache = List.copyOf(cache);
    }

    /**
     * @throws OutputException when {@code location} is not a search's output, or searched another space
     */
    public static WarmStart load(String location, SearchConfig config, Configuration hadoop) throws IOException {
        RunOutput earlier = RunOutput.read(location, hadoop);
        SearchConfig earlierConfig = ConfigLoader.parse(earlier.folder() + "/" + RunOutput.CONFIG,
                earlier.readText(RunOutput.CONFIG), null, List.of()).config();
        if (!earlierConfig.space().equals(config.space())) {
            throw new OutputException(location, "searched another space than this configuration's; a warm start "
                    + "needs the same space section");
        }
        if (earlierConfig.oneshot().isPresent()) {
            throw new OutputException(location, "holds a weight-sharing search, whose measurements on shared weights "
                    + "are not trainings; warm-start from a search that trained its candidates");
        }
        Map<Integer, TrialResult> byNumber = new LinkedHashMap<>();
        for (JournalEvent event : JournalHistory.read(earlier).events()) {
            if (event instanceof JournalEvent.Finished finished) {
                byNumber.putIfAbsent(event.candidate().number(), finished.result());
            }
        }
        boolean sameTraining = TrainingKey.of(earlierConfig).equals(TrainingKey.of(config));
        List<TrialResult> cache = sameTraining ? byNumber.values().stream().filter(WarmStart::answersAgain).toList()
                : List.of();
        int top = earlierConfig.strategy().kind() == StrategyConfig.Kind.HYPERBAND
                ? earlierConfig.trainer().fidelityLevels().count() - 1 : Candidate.FULL_FIDELITY;
        return new WarmStart(earlier.folder().toString(), new ArrayList<>(byNumber.values()), cache, sameTraining, top);
    }

    /**
     * Whether an earlier result answers a new trial of its architecture: a training, or a verdict that the
     * architecture and the training settings decide. Not a failure, nor a verdict of the moment: a latency the model
     * only predicted, or memory an executor lacked (another executor, or tonight's, may train it). Kept, such a
     * verdict would be journalled again each night, and never measured.
     */
    static boolean answersAgain(TrialResult result) {
        if (result instanceof TrialResult.Completed) {
            return true;
        }
        return result instanceof TrialResult.Infeasible infeasible
                && infeasible.metrics().get(Metrics.PREDICTED_LATENCY_MS).isEmpty()
                && !InfeasibleNetworkException.dependsOnTheExecutor(infeasible.reason());
    }

    /**
     * Tells {@code strategy} the earlier results, worst first by {@code objective}, and returns how many: a
     * multi-fidelity strategy hears them all, at their levels; a single-fidelity one only those at the source's
     * {@link #topFidelity}, failures included, since it compares every value it is told as a measure of one kind.
     */
    public int seed(SearchStrategy strategy, Objective objective) {
        List<TrialResult> told = new ArrayList<>(strategy instanceof MultiFidelityStrategy ? results
                : results.stream().filter(r -> r.candidate().fidelity() == topFidelity).toList());
        told.sort(objective.ranking().reversed());
        told.forEach(strategy::tell);
        return told.size();
    }
}
