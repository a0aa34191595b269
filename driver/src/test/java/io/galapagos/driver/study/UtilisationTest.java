package io.galapagos.driver.study;

import io.galapagos.space.Architecture;
import io.galapagos.space.TestSpaces;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Execution;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialResult;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UtilisationTest {

    private static final Instant T0 = Instant.parse("2026-11-28T00:00:00Z");
    private static final Architecture ARCH = TestSpaces.rich().sample(new SplittableRandom(1));

    private static TrialResult ran(int number, int slot, double from, double to) {
        return new TrialResult.Completed(new Candidate(number, ARCH, number),
                Metrics.EMPTY, new Execution("1", "host", 1, at(from), at(to)).withSlot(slot));
    }

    private static Instant at(double seconds) {
        return T0.plusNanos((long) (seconds * 1e9));
    }

    @Test
    void busyFractionIsTrialSecondsOverSlotSeconds() {
        // slot 0 busy all 10 s; slot 1 busy 0-4 and 5-9: 18 of 20 slot-seconds
        List<TrialResult> timeline = List.of(ran(0, 0, 0, 10), ran(1, 1, 0, 4), ran(2, 1, 5, 9));
        Utilisation u = Utilisation.of(timeline, List.of(new Utilisation.SlotCount(T0, 2)), T0, at(10));
        assertEquals(18, u.busySeconds(), 1e-9);
        assertEquals(20, u.slotSeconds(), 1e-9);
        assertEquals(10, u.wallSeconds(), 1e-9);
        assertEquals(0.9, u.busyFraction(), 1e-9);
    }

    @Test
    void slotSecondsFollowTheSlotCountAndTrialsAreClippedToTheStudy() {
        // 2 slots for 5 s, then 1 for 5 s: 15 slot-seconds; a trial reaching outside the study counts inside only
        List<Utilisation.SlotCount> slots = List.of(new Utilisation.SlotCount(at(-3), 2), new Utilisation.SlotCount(at(5), 1));
        List<TrialResult> timeline = List.of(ran(0, 0, -1, 5), ran(1, 1, 0, 5), ran(2, 0, 5, 12));
        Utilisation u = Utilisation.of(timeline, slots, T0, at(10));
        assertEquals(15, u.slotSeconds(), 1e-9);
        assertEquals(15, u.busySeconds(), 1e-9);
        assertEquals(1.0, u.busyFraction(), 1e-9);
    }

    @Test
    void anEmptyStudyIsNotBusyAndTimeMustRunForwards() {
        assertEquals(0, Utilisation.of(List.of(), List.of(new Utilisation.SlotCount(T0, 4)), T0, T0).busyFraction());
        assertThrows(IllegalArgumentException.class,
                () -> Utilisation.of(List.of(), List.of(new Utilisation.SlotCount(T0, 1)), at(1), T0));
    }
}
