package io.galapagos.worker;

import org.apache.spark.SparkEnv;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Who this JVM is, for the {@link io.galapagos.trial.Execution} of a result: the Spark executor id, the
 * host name and the process id. Works without Spark: outside a Spark application, or where Spark's
 * classes are absent, the executor id is {@value #DRIVER}. Thread-safe.
 */
public final class ExecutorIdentity {

    /** The id Spark gives the driver (also in local mode), and what runs without Spark record. */
    public static final String DRIVER = "driver";

    private static final String HOST = lookUpHost();
    private static final long PID = ProcessHandle.current().pid();

    private ExecutorIdentity() {
    }

    /** {@code SparkEnv.get().executorId()} inside Spark, else {@value #DRIVER}. */
    public static String executorId() {
        try {
            SparkEnv env = SparkEnv.get();
            return env == null ? DRIVER : env.executorId();
        } catch (LinkageError noSpark) {
            // spark-core is a provided dependency: a JVM without it still runs trials
            return DRIVER;
        }
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
