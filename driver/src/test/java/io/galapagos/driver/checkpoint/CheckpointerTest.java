package io.galapagos.driver.checkpoint;

import org.junit.jupiter.api.Test;

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
}
