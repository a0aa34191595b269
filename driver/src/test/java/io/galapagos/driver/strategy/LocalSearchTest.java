package io.galapagos.driver.strategy;

import io.galapagos.space.Architecture;
import io.galapagos.space.CellArchitecture;
import io.galapagos.space.CellSearchSpace;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Execution;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.Objective;
import io.galapagos.trial.TrialResult;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Local search with trials in flight: the random samples asked while a neighbourhood runs. */
class LocalSearchTest {

    private static final Objective SCORE = Objective.maximize("score");
    private static final Execution RAN = new Execution("1", "host", 7, Instant.EPOCH, Instant.EPOCH);

    private static void tell(SearchStrategy strategy, Architecture a, double score) {
        strategy.tell(new TrialResult.Completed(new Candidate(0, a, 0), Metrics.EMPTY.with("score", score), RAN));
    }

    @Test
    void atALocalOptimumTheBestSampleToldMeanwhileIsTheNextCentre() {
        LocalSearch search = new LocalSearch(CellSearchSpace.nb201(), SCORE, 1, 3);
        Architecture first = search.ask();
        tell(search, first, 0.5);
        List<Architecture> neighbours = new ArrayList<>();
        for (int i = 0; i < 24; i++) { // every one-edge change of an NB201 cell
            neighbours.add(search.ask());
        }
        Architecture meanwhile = search.ask(); // the neighbourhood is still running: a random sample
        tell(search, meanwhile, 0.9);
        neighbours.forEach(n -> tell(search, n, 0.1)); // none beats the centre: a local optimum
        CellArchitecture next = (CellArchitecture) search.ask();
        CellArchitecture best = (CellArchitecture) meanwhile;
        long changed = IntStream.range(0, CellArchitecture.EDGES)
                .filter(e -> next.edges().get(e) != best.edges().get(e)).count();
        assertEquals(1, changed, next.text() + " is a neighbour of the sample told meanwhile, " + best.text());
    }
}
