package io.galapagos.driver.study;

import java.util.concurrent.locks.LockSupport;

/** Precise short waits for test trials (Thread.sleep rounds up to a millisecond or more). */
final class Pause {

    private Pause() {
    }

    static void nanos(long nanos) {
        long end = System.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = end - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    static void millis(long millis) {
        nanos(millis * 1_000_000);
    }
}
