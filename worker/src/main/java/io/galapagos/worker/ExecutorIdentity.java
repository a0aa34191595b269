package io.galapagos.worker;

import io.galapagos.trial.Execution;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;

/**
 * Who ran a trial, for the {@link io.galapagos.trial.Execution} of a result: the Spark executor id, the
 * host name and the process id. In Spark's local mode, where Spark calls the one executor {@code driver},
 * a trial is named by its task instead ({@value #LOCAL_TASK}{@code <task id>}), so that nobody reads it as
 * run outside Spark. Works without Spark: outside a Spark application, or where Spark's classes are
 * absent, the executor id is {@value #DRIVER}. Thread-safe.
 */
public final class ExecutorIdentity {

    /** The id Spark gives the driver (also in local mode), and what runs without Spark record. */
    public static final String DRIVER = "driver";
    /** The executor id of trials a study runs in its own JVM without Spark ({@code executor: in_process}). */
    public static final String IN_PROCESS = "in-process";
    /** How the executor id of a trial run by a Spark task in local mode begins. */
    public static final String LOCAL_TASK = "local-task-";

    private static final String HOST = lookUpHost();
    private static final long PID = ProcessHandle.current().pid();

    private ExecutorIdentity() {
    }

    /**
     * {@code SparkEnv.get().executorId()} on a Spark executor; {@value #LOCAL_TASK}{@code <task id>} for a task
     * in local mode; else {@value #DRIVER}.
     */
    public static String executorId() {
        try {
            SparkEnv env = SparkEnv.get();
            if (env == null) {
                return DRIVER;
            }
            TaskContext task = TaskContext.get();
            return DRIVER.equals(env.executorId()) && task != null ? LOCAL_TASK + task.taskAttemptId() : env.executorId();
        } catch (LinkageError noSpark) {
            // spark-core is a provided dependency: a JVM without it still runs trials
            return DRIVER;
        }
    }

    /** Where and when a trial ran on this JVM: this executor, host and process, from {@code started} to {@code finished}. */
    public static Execution execution(Instant started, Instant finished) {
        return new Execution(executorId(), HOST, PID, started, finished);
    }

    /** This machine's host name, looked up once; {@code localhost} when it cannot be resolved. */
    public static String host() {
        return HOST;
    }

    public static long pid() {
        return PID;
    }

    private static String lookUpHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException | SecurityException e) {
            return "localhost";
        }
    }
}
