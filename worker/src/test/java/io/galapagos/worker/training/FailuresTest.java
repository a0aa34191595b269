package io.galapagos.worker.training;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FailuresTest {

    @Test
    void recognisesHeapAndNativeOutOfMemory() {
        assertTrue(Failures.outOfMemory(new OutOfMemoryError("Java heap space")));
        assertTrue(Failures.outOfMemory(new RuntimeException("Allocation failed: [std::bad_alloc]")));
        assertTrue(Failures.outOfMemory(new IllegalStateException("op failed",
                new OutOfMemoryError("Physical memory usage is too high"))));
        assertFalse(Failures.outOfMemory(new IllegalStateException("shapes do not match")));
    }

    @Test
    void describesTheExceptionAndItsRootCauseOnOneLine() {
        String text = Failures.describe(new IllegalStateException("outer\nline",
                new RuntimeException(new ArithmeticException("inner"))));
        assertEquals("java.lang.IllegalStateException: outer line; caused by java.lang.ArithmeticException: inner",
                text);
        assertEquals(500, Failures.describe(new RuntimeException("x".repeat(2000))).length());
    }
}
