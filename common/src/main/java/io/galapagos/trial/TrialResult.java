package io.galapagos.trial;

/**
 * The outcome of one trial. Failure is a value, not an exception: a strategy is told every outcome.
 * Closed set: {@link Completed}, {@link Failed}, {@link Infeasible}.
 */
public sealed interface TrialResult {

    Candidate candidate();

    /** What was measured; partial (or empty) for failed and infeasible trials. */
    Metrics metrics();

    Execution execution();

    /** The journal status word: {@code completed}, {@code failed} or {@code infeasible}. */
    String status();

    /** The same outcome, recorded as having run as {@code other} says. */
    TrialResult withExecution(Execution other);

    /** Why the trial did not complete; empty for completed trials. */
    default String reason() {
        return "";
    }

    /** Trained and measured. */
    record Completed(Candidate candidate, Metrics metrics, Execution execution) implements TrialResult {
        public Completed {
            requireAll(candidate, metrics, execution);
        }

        @Override
        public String status() {
            return "completed";
        }

        @Override
        public Completed withExecution(Execution other) {
            return new Completed(candidate, metrics, other);
        }
    }

    /** Training went wrong (diverged, threw, timed out); the architecture itself may be fine. */
    record Failed(Candidate candidate, String reason, Metrics metrics, Execution execution) implements TrialResult {
        public Failed {
            requireAll(candidate, metrics, execution);
            requireReason(reason);
        }

        @Override
        public String status() {
            return "failed";
        }

        @Override
        public Failed withExecution(Execution other) {
            return new Failed(candidate, reason, metrics, other);
        }
    }

    /** The architecture cannot be built or does not fit (shapes, memory); retrying will not help. */
    record Infeasible(Candidate candidate, String reason, Metrics metrics, Execution execution)
            implements TrialResult {
        public Infeasible {
            requireAll(candidate, metrics, execution);
            requireReason(reason);
        }

        @Override
        public String status() {
            return "infeasible";
        }

        @Override
        public Infeasible withExecution(Execution other) {
            return new Infeasible(candidate, reason, metrics, other);
        }
    }

    private static void requireAll(Candidate candidate, Metrics metrics, Execution execution) {
        if (candidate == null || metrics == null || execution == null) {
            throw new IllegalArgumentException("candidate, metrics and execution are required");
        }
    }

    private static void requireReason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a failed or infeasible trial needs a reason");
        }
    }
}
