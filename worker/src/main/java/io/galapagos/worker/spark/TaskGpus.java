package io.galapagos.worker.spark;

import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

import java.util.List;
import java.util.Optional;

/**
 * The GPU addresses Spark assigned to the task running on the calling thread: the addresses of resource
 * {@value #RESOURCE} in {@code TaskContext.get().resources()}, as the executor's discovery script (or, on a
 * standalone Worker, the Worker's own discovery) named them, e.g. {@code ["1"]}. Spark gives a task GPUs
 * when the application sets {@code spark.executor.resource.gpu.amount} and
 * {@code spark.task.resource.gpu.amount}; with a fractional task amount (0.5) several tasks share one
 * address, and each of them sees it here.
 *
 * <p>Works without Spark: outside a Spark task, or where Spark's classes are absent, there is no task and
 * no address. Stateless; thread-safe (each thread sees its own task).
 */
public final class TaskGpus {

    /** The resource name Spark's GPU settings use ({@code spark.executor.resource.gpu.*}). */
    public static final String RESOURCE = "gpu";

    private TaskGpus() {
    }

    /** The current task's GPU addresses, in Spark's order; empty outside a task or without GPU resources. */
    public static List<String> addresses() {
        return ofCurrentTask().orElse(List.of());
    }

    /**
     * The current task's GPU addresses (empty when the task has none), or empty when the calling thread runs
     * no Spark task (in-process runs on the driver, unit tests, a JVM without Spark).
     */
    public static Optional<List<String>> ofCurrentTask() {
        try {
            TaskContext task = TaskContext.get();
            if (task == null) {
                return Optional.empty();
            }
            ResourceInformation gpu = task.resourcesJMap().get(RESOURCE);
            return Optional.of(gpu == null ? List.of() : List.of(gpu.addresses()));
        } catch (LinkageError noSpark) {
            // spark-core is a provided dependency: a JVM without it runs no Spark tasks
            return Optional.empty();
        }
    }
}
