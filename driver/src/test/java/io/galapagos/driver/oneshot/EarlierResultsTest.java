package io.galapagos.driver.oneshot;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.galapagos.driver.results.RunOutput;
import io.galapagos.space.CellArchitecture;
import io.galapagos.space.CellSearchSpace;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Execution;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialResult;
import io.galapagos.trial.TrialResultJson;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a resumed weight-sharing search takes from its journal: repeatable results by phase, nothing torn. */
class EarlierResultsTest {

    @TempDir
    Path dir;

    private static final Execution RAN = new Execution("1", "host", 7, Instant.EPOCH, Instant.EPOCH.plusSeconds(2));

    private static String line(TrialResult result, Phase phase) {
        ObjectNode record = TrialResultJson.toJson(result);
        record.put("phase", phase.text());
        if (phase.sharedWeights()) {
            record.put("fidelity", Phase.SUPERNET_FIDELITY);
        }
        return record + "\n";
    }

    @Test
    void resultsArePhasedFailedOnesRunAgainAndATornLineIsSkipped() throws Exception {
        SplittableRandom random = new SplittableRandom(3);
        CellArchitecture a = CellSearchSpace.nb201().sample(random);
        CellArchitecture b = CellSearchSpace.nb201().sample(random);
        Metrics accuracy = Metrics.EMPTY.with(Metrics.VAL_ACCURACY, 0.5);
        TrialResult measured = new TrialResult.Completed(new Candidate(0, a, 1), accuracy, RAN);
        TrialResult failed = new TrialResult.Failed(new Candidate(1, b, 2), "diverged", Metrics.EMPTY, RAN);
        TrialResult trained = new TrialResult.Completed(new Candidate(2, a, 3),
                Metrics.EMPTY.with(Metrics.VAL_ACCURACY, 0.8), RAN);
        Path out = dir.resolve("out");
        RunOutput.create(out.toString(), new Configuration()).write(RunOutput.CONFIG, "name: t\n");
        String torn = line(new TrialResult.Completed(new Candidate(3, b, 4), accuracy, RAN), Phase.RETRAIN);
        Files.writeString(out.resolve("journal.jsonl"), "{\"type\":\"study\"}\n" + line(measured, Phase.SEARCH)
                + line(failed, Phase.SEARCH) + line(trained, Phase.RETRAIN) + torn.substring(0, torn.length() / 2));

        EarlierResults earlier = EarlierResults.read(RunOutput.read(out.toString(), new Configuration()));
        assertEquals(1, earlier.of(Phase.SEARCH).size(), "the failed measurement runs again");
        assertEquals(0.5, earlier.of(Phase.SEARCH).get(a.text()).metrics().require(Metrics.VAL_ACCURACY));
        assertEquals(0.8, earlier.of(Phase.RETRAIN).get(a.text()).metrics().require(Metrics.VAL_ACCURACY),
                "a cell's stand-alone result is kept apart from its measurement on shared weights");
        assertFalse(earlier.of(Phase.RETRAIN).containsKey(b.text()), "the torn line is skipped");
        assertTrue(earlier.of(Phase.SAMPLE).isEmpty());
        assertFalse(earlier.finished());
        assertInstanceOf(TrialResult.Completed.class, earlier.of(Phase.RETRAIN).get(a.text()));

        Files.writeString(out.resolve("journal.2.jsonl"), "{\"type\":\"resume\"}\n{\"type\":\"summary\"}\n");
        assertTrue(EarlierResults.read(RunOutput.read(out.toString(), new Configuration())).finished());
    }
}
