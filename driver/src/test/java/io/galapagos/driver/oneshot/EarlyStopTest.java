package io.galapagos.driver.oneshot;

import io.galapagos.space.CellArchitecture;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EarlyStopTest {

    /** 2 of 6 edges parameter-free. */
    private static final CellArchitecture CONVS = CellArchitecture.parse(
            "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_1x1~1|+|skip_connect~0|nor_conv_1x1~1|avg_pool_3x3~2|");
    /** 3 of 6: exactly half, not collapsed. */
    private static final CellArchitecture HALF = CellArchitecture.parse(
            "|nor_conv_3x3~0|+|none~0|nor_conv_1x1~1|+|skip_connect~0|nor_conv_1x1~1|avg_pool_3x3~2|");
    /** 4 of 6. */
    private static final CellArchitecture POOLS = CellArchitecture.parse(
            "|nor_conv_3x3~0|+|avg_pool_3x3~0|nor_conv_1x1~1|+|avg_pool_3x3~0|skip_connect~1|avg_pool_3x3~2|");

    @Test
    void moreThanHalfOfTheEdgesParameterFreeIsACollapse() {
        assertEquals(2, EarlyStop.parameterFree(CONVS));
        assertFalse(EarlyStop.collapsed(HALF));
        assertTrue(EarlyStop.collapsed(POOLS));
    }

    @Test
    void aSeedStopsAfterItsFirstCollapsedEpochPastTheWarmUpAndAnswersTheCellBefore() {
        assertEquals(OptionalInt.empty(), EarlyStop.stopAfter(List.of(CONVS, HALF, CONVS), 0));
        assertEquals(2, EarlyStop.answerEpoch(List.of(CONVS, HALF, CONVS), 0));
        assertEquals(OptionalInt.of(3), EarlyStop.stopAfter(List.of(POOLS, CONVS, HALF, POOLS, CONVS), 1));
        assertEquals(2, EarlyStop.answerEpoch(List.of(POOLS, CONVS, HALF, POOLS, CONVS), 1),
                "the warm-up's collapsed cell does not count; epoch 3 collapsed, so epoch 2's cell answers");
    }

    @Test
    void aSeedThatCollapsesInItsFirstSearchEpochAnswersThatCell() {
        assertEquals(OptionalInt.of(2), EarlyStop.stopAfter(List.of(CONVS, CONVS, POOLS), 2));
        assertEquals(2, EarlyStop.answerEpoch(List.of(CONVS, CONVS, POOLS), 2));
    }
}
