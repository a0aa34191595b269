package io.galapagos.trial;

import java.time.Duration;
import java.time.Instant;

/**
 * Where and when a trial ran.
 *
 * @param executor the Spark executor id ("driver" for in-process runs)
 * @param host     the host name of the JVM that trained it
 * @param pid      the process id of that JVM
 * @param started  when training began
 * @param finished when the result was ready
 */
public record Execution(String executor, String host, long pid, Instant started, Instant finished) {

    public Execution {
        if (executor == null || host == null || started == null || finished == null) {
            throw new IllegalArgumentException("executor, host, started and finished are required");
        }
        if (finished.isBefore(started)) {
            throw new IllegalArgumentException("finished " + finished + " is before started " + started);
        }
    }

    public Duration duration() {
        return Duration.between(started, finished);
    }
}
