package io.galapagos.trial;

import io.galapagos.space.Architecture;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrialResultJsonTest {

    private static final Architecture CELL = Architecture.parse(
            "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|");
    private static final Execution EXECUTION = new Execution("driver", "host", 42, Instant.EPOCH,
            Instant.EPOCH.plusSeconds(1));

    @Test
    void aFidelityLevelRoundTrips() {
        for (int level : new int[] {0, 1, 4}) {
            TrialResult result = new TrialResult.Completed(new Candidate(3, CELL, 17L, level),
                    new Metrics(Map.of("val_acc", 0.5)), EXECUTION);
            String line = TrialResultJson.toLine(result);
            assertTrue(line.contains("\"fidelity\":" + level), line);
            TrialResult back = TrialResultJson.fromLine(line, Architecture::parse);
            assertEquals(result, back);
            assertEquals(level, back.candidate().fidelity());
        }
    }

    @Test
    void fullFidelityIsWrittenAsNoFieldAndAnOldRecordReadsAsFull() {
        TrialResult result = new TrialResult.Failed(new Candidate(0, CELL, 1L), "boom", Metrics.EMPTY, EXECUTION);
        String line = TrialResultJson.toLine(result);
        assertFalse(line.contains("fidelity"), line);
        TrialResult back = TrialResultJson.fromLine(line, Architecture::parse);
        assertEquals(result, back);
        assertTrue(back.candidate().fullFidelity());
        assertEquals(Candidate.FULL_FIDELITY, back.candidate().fidelity());
    }

    @Test
    void aDamagedTimeIsRefusedAsAnInvalidRecordThatReadersSkip() {
        String line = TrialResultJson.toLine(new TrialResult.Completed(new Candidate(0, CELL, 1L),
                new Metrics(Map.of("val_acc", 0.5)), EXECUTION)).replace("1970-01-01T00:00:01Z", "1970-01-01T00:0");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrialResultJson.fromLine(line, Architecture::parse));
        assertEquals("result record's 'finished' is not a time: '1970-01-01T00:0'", e.getMessage());
    }

    @Test
    void aCandidateRejectsANegativeLevel() {
        assertThrows(IllegalArgumentException.class, () -> new Candidate(0, CELL, 1L, -2));
    }
}
