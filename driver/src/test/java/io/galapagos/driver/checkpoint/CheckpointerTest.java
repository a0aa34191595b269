package io.galapagos.driver.checkpoint;

import io.galapagos.config.StrategyConfig;
import io.galapagos.driver.results.Journal;
import io.galapagos.driver.results.RunOutput;
import io.galapagos.driver.strategy.SearchStrategy;
import io.galapagos.driver.strategy.Strategies;
import io.galapagos.space.TestSpaces;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Execution;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.Objective;
import io.galapagos.trial.TrialResult;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointerTest {

    private static List<Integer> snapshots(int results, int every) {
        List<Integer> taken = new ArrayList<>();
        int last = 0;
        // from 0: strategies are told of refused candidates before the first counted result
        for (int finished = 0; finished <= results; finished++) {
            if (Checkpointer.due(finished, last, every)) {
                taken.add(finished);
                last = finished;
            }
        }
        return taken;
    }

    @Test
    void aShortStudySnapshotsEveryIntervalOfResults() {
        assertEquals(List.of(20, 40, 60, 80, 100, 120, 140, 160, 180, 200), snapshots(200, 20));
    }

    @Test
    void aLongStudySpacesSnapshotsByATenthOfItsResultsSoTheirTotalCostStaysLinear() {
        List<Integer> taken = snapshots(100_000, 20);
        for (int i = 1; i < taken.size(); i++) {
            int gap = taken.get(i) - taken.get(i - 1);
            assertTrue(gap % 20 == 0 && gap * 10 >= taken.get(i), taken.get(i - 1) + " -> " + taken.get(i));
        }
        // snapshot sizes grow with the results: the sum of the results at each snapshot bounds their cost
        long work = taken.stream().mapToLong(Integer::longValue).sum();
        assertTrue(work < 12L * 100_000, "snapshot work " + work + " for 100,000 results");
        assertTrue(taken.size() < 120, taken.size() + " snapshots");
    }

    /** A snapshot that cannot be written is reported and taken at the next interval; the search goes on. */
    @Test
    void aSnapshotThatCannotBeWrittenIsReportedAndTriedAgainAtTheNextInterval(@TempDir Path dir) throws IOException {
        RunOutput output = RunOutput.create(dir.resolve("search").toString(), new Configuration());
        Path snapshots = dir.resolve("search").resolve(RunOutput.SNAPSHOTS);
        Files.writeString(snapshots, "a file where the snapshots' folder goes");
        SearchStrategy strategy = Strategies.create(StrategyConfig.defaults(StrategyConfig.Kind.RANDOM),
                TestSpaces.rich(), Objective.VALIDATION_ACCURACY, 1);
        TrialResult result = new TrialResult.Completed(new Candidate(0, strategy.ask(), 0),
                Metrics.EMPTY.with(Metrics.VAL_ACCURACY, 0.5), new Execution("1", "h", 1, Instant.EPOCH, Instant.EPOCH));
        List<String> said = new ArrayList<>();
        try (Journal journal = output.openJournal(false)) {
            Checkpointer checkpointer = new Checkpointer(new SnapshotStore(output), journal, 0, 2, said::add);
            for (int finished = 1; finished <= 2; finished++) {
                checkpointer.finished(result, finished, 10);
                checkpointer.told(strategy, result);
            }
            assertEquals(1, said.size(), said::toString);
            assertTrue(said.get(0).startsWith("Snapshot: could not be written after 2 results (")
                    && said.get(0).endsWith("); the search goes on, and a resume would replay the journal from the last "
                    + "snapshot"), said.get(0));

            Files.delete(snapshots);
            checkpointer.finished(result, 3, 10);
            checkpointer.told(strategy, result);
            assertEquals(1, said.size(), "not due after 3 results");
            checkpointer.finished(result, 4, 10);
            checkpointer.told(strategy, result);
            assertEquals(1, said.size(), said::toString);
            assertEquals(1, output.list(RunOutput.SNAPSHOTS).size(), "taken at the next interval");
        }
    }
}
