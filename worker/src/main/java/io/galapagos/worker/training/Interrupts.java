package io.galapagos.worker.training;

import java.util.concurrent.CancellationException;

/**
 * Where a trial's long loops stop when it is cancelled. A Spark task is cancelled by interrupting its thread, which
 * native DL4J code never looks at; a loop that ran on (evaluating a large network after its deadline, say) would hold
 * its core until Spark's task reaper killed the whole executor, and every other trial on it.
 */
final class Interrupts {

    private Interrupts() {
    }

    /** Throws when this thread was interrupted (keeping its flag set); {@code progress} says how far it got. */
    static void stopIfInterrupted(String progress) {
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException("interrupted " + progress);
        }
    }
}
