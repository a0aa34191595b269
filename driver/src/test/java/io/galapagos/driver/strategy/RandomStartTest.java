package io.galapagos.driver.strategy;

import io.galapagos.space.CellSearchSpace;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RandomStartTest {

    /**
     * The start wants samples while those evaluated and those running fall short of its size; a sample told (whatever
     * its outcome; the strategies tell it a withdrawn one too) no longer runs, and another architecture's changes nothing.
     */
    @Test
    void countsTheSamplesEvaluatedOrRunning() {
        CellSearchSpace space = CellSearchSpace.nb201();
        Random rng = new Random(1);
        RandomStart start = new RandomStart(3);
        var first = start.asked(space.sample(rng));
        var second = start.asked(space.sample(rng));
        assertTrue(start.wants(0), "two running of three");
        start.asked(space.sample(rng));
        assertFalse(start.wants(0), "three running");
        start.told(space.sample(rng));
        assertFalse(start.wants(0), "another architecture's result frees no place");
        start.told(first);
        assertTrue(start.wants(0), "a sample that failed: a place for another");
        assertFalse(start.wants(1), "... unless it was evaluated");
        start.told(second);
        assertTrue(start.wants(1), "the second sample told frees a second place");
    }
}
