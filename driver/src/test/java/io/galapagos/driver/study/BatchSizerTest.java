package io.galapagos.driver.study;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchSizerTest {

    @Test
    void oneAtATimeUntilTrialsHaveBeenMeasured() {
        assertEquals(1, new BatchSizer(Duration.ofSeconds(1)).size(1000));
    }

    @Test
    void shortTrialsAreBatchedUntilTheOverheadIsSmallButNeverBeyondTheWindow() {
        BatchSizer sizer = new BatchSizer(Duration.ofSeconds(1));
        // 1 ms trials, 10 ms of launch cost per dispatch: 200 trials bring the overhead to 5 %
        sizer.observe(1, 0.001, 0.011);
        assertEquals(200, sizer.size(10_000));
        // 1 ms trials and a launch cost of 1 s: 20,000 would be wanted, the 1 s window allows 1,000
        BatchSizer slow = new BatchSizer(Duration.ofSeconds(1));
        slow.observe(1, 0.001, 1.001);
        assertEquals(1000, slow.size(10_000));
        assertEquals(7, slow.size(7));
    }

    @Test
    void trialsAsLongAsTheWindowGoAlone() {
        BatchSizer sizer = new BatchSizer(Duration.ofSeconds(1));
        sizer.observe(1, 10, 10.05);
        assertEquals(1, sizer.size(1000));
    }

    @Test
    void estimatesAreMovingAverages() {
        BatchSizer sizer = new BatchSizer(Duration.ofSeconds(10));
        sizer.observe(10, 0.010, 0.020);
        assertEquals(0.001, sizer.trialSeconds(), 1e-12);
        assertEquals(0.010, sizer.overheadSeconds(), 1e-12);
        sizer.observe(10, 0.020, 0.030);
        assertTrue(sizer.trialSeconds() > 0.001 && sizer.trialSeconds() < 0.002);
        assertEquals(0.010, sizer.overheadSeconds(), 1e-12);
    }

    @Test
    void aWindowMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new BatchSizer(Duration.ZERO));
    }
}
