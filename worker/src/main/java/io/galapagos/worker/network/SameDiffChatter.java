package io.galapagos.worker.network;

import java.io.PrintStream;

/**
 * Keeps ND4J 1.0.0-M2.1's SameDiff from writing a line per operation to standard output when it builds a graph's
 * gradient function ({@code SameDiff.createGradFunction} calls {@code System.out.println("Added differentiated op
 * ...")} unconditionally, some 600 lines for a DARTS supernet, dozens for a sequence network with SameDiff layers, once per network). Standard output is wrapped once, per JVM, in
 * a stream that drops exactly those lines and passes everything else through; on Spark {@code local} the executors
 * are threads of the driver, whose console this keeps readable. Thread-safe.
 */
public final class SameDiffChatter {

    private static final String PREFIX = "Added differentiated op ";

    private SameDiffChatter() {
    }

    /** Installs the filter on {@code System.out} unless it is there already. */
    public static synchronized void silence() {
        if (!(System.out instanceof Filtered)) {
            System.setOut(new Filtered(System.out));
        }
    }

    private static final class Filtered extends PrintStream {

        Filtered(PrintStream out) {
            super(out, true);
        }

        @Override
        public void println(String line) {
            if (line == null || !line.startsWith(PREFIX)) {
                super.println(line);
            }
        }
    }
}
