package io.galapagos.worker.training;

/** Classifies and describes what went wrong in a trial. Stateless; thread-safe. */
final class Failures {

    /**
     * How ND4J's CPU backend and JavaCPP word a failed native allocation: ND4J throws a plain
     * {@link RuntimeException} ("Allocation failed: [std::bad_alloc]", measured), JavaCPP an
     * {@link OutOfMemoryError} or a wrapped one.
     */
    private static final String[] OUT_OF_MEMORY_WORDS = {
            "Allocation failed", "bad_alloc", "Cannot allocate", "Failed to allocate", "memory usage is too high"};

    private static final int MAX_REASON = 500;

    private Failures() {
    }

    /** Whether {@code failure} or one of its causes says memory ran out, on the heap or off it. */
    static boolean outOfMemory(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                return true;
            }
            String message = t.getMessage();
            if (message != null) {
                for (String words : OUT_OF_MEMORY_WORDS) {
                    if (message.contains(words)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The exception's class and message, and its root cause's when that is another, on one bounded line. */
    static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root == failure ? failure.toString() : failure + "; caused by " + root;
        text = text.replaceAll("\\s+", " ").strip();
        return text.length() <= MAX_REASON ? text : text.substring(0, MAX_REASON - 3) + "...";
    }
}
