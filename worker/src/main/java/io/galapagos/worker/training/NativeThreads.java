package io.galapagos.worker.training;

import org.nd4j.linalg.factory.Nd4j;
import org.apache.spark.TaskContext;
import org.nd4j.nativeblas.NativeOpsHolder;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Limits the native threads ND4J's CPU backend uses, in-process, so that a task uses the cores it owns
 * and no more: on a small executor, one thread per core was up to 2.4 times faster than ND4J's default.
 *
 * <p>ND4J 1.0.0-M2.1 has three independent knobs, all needed (measured: per-thread CPU time while
 * running matrix products, element-wise ops, convolution and pooling):
 * <ul>
 *   <li>{@code Nd4j.getEnvironment().setMaxMasterThreads(n)}: libnd4j's own thread pool (element-wise
 *       ops, pooling); JVM-wide. It cannot go above the core count ND4J saw at start-up.
 *       ({@code setMaxThreads} is a no-op in this version.)</li>
 *   <li>{@code Nd4j.factory().blas().setMaxThreads(n)}: OpenBLAS ({@code openblas_set_num_threads}),
 *       matrix products and the im2col convolutions built on them; JVM-wide.</li>
 *   <li>{@code NativeOps.setOmpNumThreads(n)}: OpenMP regions of libnd4j. This one is per calling
 *       thread (OpenMP's {@code nthreads-var} belongs to the thread that sets it), so it is set again on
 *       every thread that trains.</li>
 * </ul>
 * The JVM-wide limits are set once, by the first caller; later callers with another count keep the
 * first (all tasks of a Spark application own the same number of cores). Thread-safe.
 */
public final class NativeThreads {

    private static final AtomicInteger JVM_LIMIT = new AtomicInteger();

    private NativeThreads() {
    }

    /** Applies the limit to the JVM (first call only) and to the calling thread; returns the limit in force. */
    public static int limit(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("thread limit must be positive, got " + threads);
        }
        // Serialised: two tasks loading ND4J's natives at once in a fresh JVM can fail with
        // "ND4J is probably missing dependencies" (seen in local[2] on a cold JavaCPP cache).
        synchronized (NativeThreads.class) {
            if (JVM_LIMIT.get() == 0) {
                Nd4j.getEnvironment().setMaxMasterThreads(threads);
                Nd4j.factory().blas().setMaxThreads(threads);
                NativeOpsHolder.getInstance();
                JVM_LIMIT.set(threads);
            }
        }
        int limit = JVM_LIMIT.get();
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(limit);
        return limit;
    }

    /** {@code spark.task.cpus} of the running Spark task: the cores it owns, to limit its threads to; 1 outside Spark. */
    public static int taskCores() {
        try {
            TaskContext task = TaskContext.get();
            return task == null ? 1 : Math.max(1, task.cpus());
        } catch (LinkageError noSpark) {
            return 1;
        }
    }
}
