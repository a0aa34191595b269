package io.galapagos.driver.oneshot;

import io.galapagos.driver.strategy.SearchStrategy;
import io.galapagos.space.Architecture;
import io.galapagos.space.CellArchitecture;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.TrialResult;
import io.galapagos.trial.TrialResultJson;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Spends a strategy's trials on distinct functions. On shared weights two cells with the same
 * {@linkplain CellArchitecture#effective() effective cell} build the same path network with the same weights, so
 * measuring the second measures nothing new; evolution proposes such twins often (a mutation of an edge no path to
 * the output uses), and on 2026-12-04 a search of 100 trials measured 47 and 67 distinct functions. A proposal whose
 * function was proposed before is kept from the study: the wrapped strategy is told its twin's result as this cell's
 * (at once when it has arrived, else when it does) and asked again. After {@value #MAX_ASKS} twins in a row (a
 * nearly exhausted space) the twin is returned rather than ask forever. A twin shares its function's outcome,
 * failed or infeasible too: its network is the same. Not thread-safe, as strategies are not.
 */
final class DistinctFunctions implements SearchStrategy {

    private static final long serialVersionUID = 1L;

    /** Proposals in a row that may be twins before one is let through. */
    static final int MAX_ASKS = 100;

    private final SearchStrategy strategy;
    /** Every function proposed, with the twins of it still waiting for its result. */
    private final Map<String, List<Architecture>> waiting = new HashMap<>();
    /** The first result of each function told, as a journal line: results themselves are not serialisable. */
    private final Map<String, String> results = new HashMap<>();

    DistinctFunctions(SearchStrategy strategy) {
        this.strategy = strategy;
    }

    /** The wrapped strategy. */
    SearchStrategy strategy() {
        return strategy;
    }

    @Override
    public Architecture ask() {
        Architecture proposal = strategy.ask();
        for (int asks = 1; asks < MAX_ASKS && waiting.containsKey(function(proposal)); asks++) {
            String function = function(proposal);
            String twin = results.get(function);
            if (twin == null) {
                waiting.get(function).add(proposal);
            } else {
                strategy.tell(as(TrialResultJson.fromLine(twin, Architecture::parse), proposal));
            }
            proposal = strategy.ask();
        }
        waiting.putIfAbsent(function(proposal), new ArrayList<>());
        return proposal;
    }

    @Override
    public void tell(TrialResult result) {
        strategy.tell(result);
        String function = function(result.candidate().architecture());
        if (results.putIfAbsent(function, TrialResultJson.toLine(result)) == null) {
            for (Architecture twin : waiting.getOrDefault(function, List.of())) {
                strategy.tell(as(result, twin));
            }
            waiting.put(function, new ArrayList<>());
        }
    }

    private static String function(Architecture architecture) {
        return architecture instanceof CellArchitecture cell ? cell.effective().text() : architecture.text();
    }

    /** {@code result} as the outcome of {@code twin}: the same measurement, trial and execution. */
    private static TrialResult as(TrialResult result, Architecture twin) {
        Candidate c = result.candidate();
        Candidate candidate = new Candidate(c.number(), twin, c.seed(), c.fidelity());
        if (result instanceof TrialResult.Completed) {
            return new TrialResult.Completed(candidate, result.metrics(), result.execution());
        }
        if (result instanceof TrialResult.Infeasible) {
            return new TrialResult.Infeasible(candidate, result.reason(), result.metrics(), result.execution());
        }
        return new TrialResult.Failed(candidate, result.reason(), result.metrics(), result.execution());
    }
}
