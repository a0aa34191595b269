package io.galapagos.driver.study;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchSizerTest {

    private static final double[] NONE = {};

    @Test
    void oneAtATimeUntilACompletedTrialHasBeenMeasured() {
        BatchSizer sizer = new BatchSizer(Duration.ofSeconds(1));
        assertEquals(1, sizer.size(1000));
        // infeasible candidates answered at once say nothing about how long training takes
        sizer.observe(0.0001, NONE, 0.02);
        assertEquals(1, sizer.size(1000));
    }

    @Test
    void shortTrialsAreBatchedUntilTheOverheadIsSmallButNeverBeyondTheWindow() {
        BatchSizer sizer = new BatchSizer(Duration.ofSeconds(1));
        // 1 ms trials, 10 ms of launch cost per dispatch: 200 trials bring the overhead to 5 %
        sizer.observe(0.001, new double[] {0.001}, 0.011);
        assertEquals(200, sizer.size(10_000));
        // 1 ms trials and a launch cost of 1 s: 20,000 would be wanted, the 1 s window allows 1,000
        BatchSizer slow = new BatchSizer(Duration.ofSeconds(1));
        slow.observe(0.001, new double[] {0.001}, 1.001);
        assertEquals(1000, slow.size(10_000));
        assertEquals(7, slow.size(7));
    }

    @Test
    void trialsAsLongAsTheWindowGoAlone() {
        BatchSizer sizer = new BatchSizer(Duration.ofSeconds(1));
        sizer.observe(10, new double[] {10}, 10.05);
        assertEquals(1, sizer.size(1000));
    }

    @Test
    void oneLongTrialAmongRecentShortOnesKeepsBatchesWithinTheWindow() {
        BatchSizer sizer = new BatchSizer(Duration.ofSeconds(1));
        for (int i = 0; i < 10; i++) {
            sizer.observe(0.01, new double[] {0.01}, 0.05);
        }
        assertEquals(80, sizer.size(1000));
        sizer.observe(0.5, new double[] {0.5}, 0.54);
        assertEquals(2, sizer.size(1000), "a 0.5 s trial among the last ones: two fit in the 1 s window");
        for (int i = 0; i < BatchSizer.RECENT; i++) {
            sizer.observe(0.01, new double[] {0.01}, 0.05);
        }
        assertTrue(sizer.size(1000) > 2, "the long trial has left the recent ones");
    }

    @Test
    void estimatesAreMovingAverages() {
        BatchSizer sizer = new BatchSizer(Duration.ofSeconds(10));
        sizer.observe(0.010, new double[] {0.001}, 0.020);
        assertEquals(0.001, sizer.trialSeconds(), 1e-12);
        assertEquals(0.010, sizer.overheadSeconds(), 1e-12);
        sizer.observe(0.020, new double[] {0.002}, 0.030);
        assertTrue(sizer.trialSeconds() > 0.001 && sizer.trialSeconds() < 0.002);
        assertEquals(0.010, sizer.overheadSeconds(), 1e-12);
    }

    @Test
    void aWindowMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new BatchSizer(Duration.ZERO));
    }
}
