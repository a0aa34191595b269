package io.galapagos.driver.results;

import io.galapagos.space.Architecture;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Execution;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialResult;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TimelineTest {

    private static final Instant T0 = Instant.parse("2026-11-28T00:00:00Z");
    private static final Architecture ARCH = Architecture.parse("conv3x3x8:relu/dense16:relu");

    private static TrialResult ran(int number, int slot, long fromMillis, long toMillis, List<String> gpus) {
        Execution e = new Execution("exec-" + slot, "host", 7, slot, gpus, T0.plusMillis(fromMillis), T0.plusMillis(toMillis));
        return new TrialResult.Completed(new Candidate(number, ARCH, number), Metrics.EMPTY, e);
    }

    @Test
    void oneRowPerTrialBySlotThenStartInSecondsFromTheStudysStart() {
        List<TrialResult> finishedOrder = List.of(ran(2, 1, 1500, 2000, List.of()), ran(0, 0, 100, 900, List.of("0")),
                ran(1, 1, 100, 1400, List.of("1", "2")), ran(3, 0, 950, 2500, List.of("0")));
        assertEquals(Timeline.HEADER + "\n"
                + "0,trial-0000,completed,exec-0,host,0,0.100,0.900,0.800\n"
                + "0,trial-0003,completed,exec-0,host,0,0.950,2.500,1.550\n"
                + "1,trial-0001,completed,exec-1,host,1 2,0.100,1.400,1.300\n"
                + "1,trial-0002,completed,exec-1,host,,1.500,2.000,0.500\n", Timeline.toCsv(finishedOrder, T0));
    }
}
