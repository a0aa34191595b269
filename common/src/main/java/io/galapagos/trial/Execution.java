package io.galapagos.trial;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Where and when a trial ran.
 *
 * @param executor what ran the trial: the Spark executor id on a cluster, {@code local-task-<task id>} in Spark's
 *                 local mode, {@code in-process-<thread>} without Spark (see ExecutorIdentity)
 * @param host     the host name of the JVM that trained it
 * @param pid      the process id of that JVM
 * @param slot     the study's slot (0 to slots - 1) the trial occupied, {@link #NO_SLOT} until the study
 *                 records it; a slot runs one trial at a time, so the slots' timelines chart utilisation
 * @param gpus     the accelerator addresses Spark assigned to the trial's task (empty without GPUs)
 * @param started  when training began
 * @param finished when the result was ready
 * @param hardware what the trial's latency was measured on, for comparing latencies across executors: the processor
 *                 model, the threads measuring and the ND4J backend (see HardwareSignature); empty when not recorded
 */
public record Execution(String executor, String host, long pid, int slot, List<String> gpus,
                        Instant started, Instant finished, String hardware) {

    public static final int NO_SLOT = -1;

    public Execution {
        if (executor == null || host == null || started == null || finished == null) {
            throw new IllegalArgumentException("executor, host, started and finished are required");
        }
        if (finished.isBefore(started)) {
            throw new IllegalArgumentException("finished " + finished + " is before started " + started);
        }
        if (slot < NO_SLOT) {
            throw new IllegalArgumentException("slot must be " + NO_SLOT + " (none) or at least 0, got " + slot);
        }
        gpus = gpus == null ? List.of() : List.copyOf(gpus);
        hardware = hardware == null ? "" : hardware;
    }

    /** Without a hardware signature. */
    public Execution(String executor, String host, long pid, int slot, List<String> gpus, Instant started,
                     Instant finished) {
        this(executor, host, pid, slot, gpus, started, finished, "");
    }

    /** Not yet placed in a slot, no GPUs. */
    public Execution(String executor, String host, long pid, Instant started, Instant finished) {
        this(executor, host, pid, NO_SLOT, List.of(), started, finished, "");
    }

    public Duration duration() {
        return Duration.between(started, finished);
    }

    public Execution withSlot(int newSlot) {
        return new Execution(executor, host, pid, newSlot, gpus, started, finished, hardware);
    }

    public Execution withGpus(List<String> newGpus) {
        return new Execution(executor, host, pid, slot, newGpus, started, finished, hardware);
    }

    public Execution withHardware(String newHardware) {
        return new Execution(executor, host, pid, slot, gpus, started, finished, newHardware);
    }
}
