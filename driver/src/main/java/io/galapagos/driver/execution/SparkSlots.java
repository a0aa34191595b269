package io.galapagos.driver.execution;

import io.galapagos.worker.ExecutorIdentity;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.status.api.v1.ExecutorSummary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.collection.JavaConverters;

import java.time.Duration;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts Spark task slots: how many tasks of the default resource profile can run at once.
 *
 * <ul>
 *   <li>Local masters ({@code local}, {@code local[N]}, {@code local[*]}, {@code local[N,F]}): the
 *   cores of the master URL divided by {@code spark.task.cpus}.</li>
 *   <li>Cluster masters: the sum over live executors of the tasks each can run at once (its cores divided by
 *   {@code spark.task.cpus}, fewer if task resources such as GPUs are scarcer), as Spark's status store
 *   reports it. The first count waits, up to a bound, until the executors the configuration asks for
 *   have registered ({@code spark.cores.max} rounded down to whole executors of {@code spark.executor.cores},
 *   {@code spark.executor.instances} times cores, or the workers of {@code local-cluster[n,c,m]}); when the
 *   configuration says nothing, until the first executor has registered and none has joined for
 *   {@link #SETTLE}. With dynamic allocation it does not wait and counts what the maximum number of
 *   executors would give.</li>
 * </ul>
 */
final class SparkSlots {

    /** With no expected size, the wait ends when no executor has joined for this long. */
    static final Duration SETTLE = Duration.ofSeconds(3);

    private static final Logger LOG = LoggerFactory.getLogger(SparkSlots.class);
    private static final Pattern LOCAL = Pattern.compile("local(?:\\[\\s*(\\*|\\d+)\\s*(?:,\\s*\\d+\\s*)?])?");
    private static final Pattern LOCAL_CLUSTER =
            Pattern.compile("local-cluster\\[\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,\\s*(\\d+)\\s*]");
    private static final Duration POLL = Duration.ofMillis(100);

    private SparkSlots() {
    }

    /** The cores of a local master URL, or empty for any other master. */
    static OptionalInt localCores(String master) {
        Matcher m = LOCAL.matcher(master.trim());
        if (!m.matches()) {
            return OptionalInt.empty();
        }
        if (m.group(1) == null) {
            return OptionalInt.of(1);
        }
        return OptionalInt.of(m.group(1).equals("*") ? Runtime.getRuntime().availableProcessors()
                : Integer.parseInt(m.group(1)));
    }

    static int taskCpus(SparkConf conf) {
        return Math.max(1, conf.getInt("spark.task.cpus", 1));
    }

    /**
     * The tasks an executor of {@code conf}'s shape runs at once: its cores over a task's, or fewer where a resource a
     * task asks for (a GPU: {@code spark.task.resource.gpu.amount}, possibly a fraction) is scarcer on it.
     */
    static int tasksPerExecutor(SparkConf conf) {
        int tasks = conf.getInt("spark.executor.cores", 1) / taskCpus(conf);
        String suffix = ".amount";
        for (scala.Tuple2<String, String> entry : conf.getAllWithPrefix("spark.task.resource.")) {
            if (!entry._1().endsWith(suffix)) {
                continue;
            }
            String resource = entry._1().substring(0, entry._1().length() - suffix.length());
            double perTask = conf.getDouble("spark.task.resource." + entry._1(), 0);
            if (perTask > 0) {
                // Spark's own count: a fraction of at most a half shares a unit among floor(1 / amount) tasks;
                // a larger amount takes whole units
                long perExecutor = conf.getLong("spark.executor.resource." + resource + suffix, 0);
                long count = perTask <= 0.5 ? perExecutor * (long) Math.floor(1 / perTask + 1e-9)
                        : perExecutor / (long) Math.ceil(perTask);
                tasks = (int) Math.min(tasks, count);
            }
        }
        return tasks;
    }

    static boolean dynamicAllocation(SparkConf conf) {
        return conf.getBoolean("spark.dynamicAllocation.enabled", false);
    }

    /** The executor cores the configuration asks a cluster manager for, when it says. */
    static OptionalInt expectedCores(SparkConf conf, String master) {
        Matcher localCluster = LOCAL_CLUSTER.matcher(master.trim());
        if (localCluster.matches()) {
            return OptionalInt.of(Integer.parseInt(localCluster.group(1)) * Integer.parseInt(localCluster.group(2)));
        }
        OptionalInt executorCores = positive(conf, "spark.executor.cores");
        OptionalInt coresMax = positive(conf, "spark.cores.max");
        if (coresMax.isPresent()) {
            int max = coresMax.getAsInt();
            if (executorCores.isPresent()) {
                max -= max % executorCores.getAsInt();
            }
            return max > 0 ? OptionalInt.of(max) : OptionalInt.empty();
        }
        OptionalInt instances = positive(conf, "spark.executor.instances");
        if (instances.isPresent()) {
            return OptionalInt.of(instances.getAsInt() * executorCores.orElse(1));
        }
        return OptionalInt.empty();
    }

    /** Slots of a local master, or empty for a cluster master. */
    static OptionalInt local(SparkContext sc) {
        OptionalInt cores = localCores(sc.master());
        if (cores.isEmpty()) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(Math.max(1, cores.getAsInt() / taskCpus(sc.getConf())));
    }

    /**
     * Waits up to {@code wait} for the executors the configuration asks for (see the class comment).
     *
     * @throws IllegalStateException if no executor registered in time, naming the master and the request
     */
    static void awaitExecutors(SparkContext sc, Duration wait) throws InterruptedException {
        SparkConf conf = sc.getConf();
        if (dynamicAllocation(conf)) {
            return;
        }
        OptionalInt expected = expectedCores(conf, sc.master());
        long start = System.nanoTime();
        long deadline = start + wait.toNanos();
        int cores = currentCores(sc);
        long lastChange = System.nanoTime();
        while (true) {
            long now = System.nanoTime();
            boolean enough = expected.isPresent() ? cores >= expected.getAsInt()
                    : cores > 0 && now - lastChange >= SETTLE.toNanos();
            if (enough || now >= deadline) {
                break;
            }
            Thread.sleep(POLL.toMillis());
            int next = currentCores(sc);
            if (next != cores) {
                cores = next;
                lastChange = System.nanoTime();
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        if (cores == 0) {
            throw new IllegalStateException("no Spark executor registered with " + sc.master() + " within "
                    + wait.toSeconds() + " s; check that the cluster has workers with free cores and memory for "
                    + "spark.executor.cores=" + conf.get("spark.executor.cores", "(unset)")
                    + " and spark.executor.memory=" + conf.get("spark.executor.memory", "1g"));
        }
        if (expected.isPresent() && cores < expected.getAsInt()) {
            LOG.warn("only {} of the {} executor cores asked for registered with {} within {} s; running with those",
                    cores, expected.getAsInt(), sc.master(), wait.toSeconds());
        } else {
            LOG.info("{} executor cores registered with {} after {} ms", cores, sc.master(), took.toMillis());
        }
    }

    /** Task slots of a cluster master now (no waiting), at least 1. */
    static int cluster(SparkContext sc) {
        SparkConf conf = sc.getConf();
        int slots = currentSlots(sc);
        if (dynamicAllocation(conf)) {
            int maxExecutors = conf.getInt("spark.dynamicAllocation.maxExecutors", Integer.MAX_VALUE);
            if (maxExecutors < Integer.MAX_VALUE) {
                int potential = maxExecutors * tasksPerExecutor(conf);
                OptionalInt coresMax = positive(conf, "spark.cores.max");
                if (coresMax.isPresent()) {
                    potential = Math.min(potential, coresMax.getAsInt() / taskCpus(conf));
                }
                slots = Math.max(slots, potential);
            }
        }
        return Math.max(1, slots);
    }

    /** Sum of the cores of the live executors (the driver excluded). */
    static int currentCores(SparkContext sc) {
        try {
            int cores = 0;
            for (ExecutorSummary e : executors(sc)) {
                cores += e.totalCores();
            }
            return cores;
        } catch (LinkageError statusStoreChanged) {
            return fallbackExecutors(sc) * Math.max(1, sc.getConf().getInt("spark.executor.cores", 1));
        }
    }

    /** Sum of the task slots of the live executors (the driver excluded). */
    static int currentSlots(SparkContext sc) {
        try {
            int slots = 0;
            for (ExecutorSummary e : executors(sc)) {
                slots += e.maxTasks();
            }
            return slots;
        } catch (LinkageError statusStoreChanged) {
            return fallbackExecutors(sc) * (Math.max(1, sc.getConf().getInt("spark.executor.cores", 1))
                    / taskCpus(sc.getConf()));
        }
    }

    /**
     * The live executors from Spark's status store (what the UI's executors page and REST API show, kept
     * whether or not the UI runs). {@code statusStore()} is {@code private[spark]} in Scala, public in
     * bytecode; it is the one place that knows every executor's cores and task slots, including executors
     * that registered before this class looked. Callers fall back to public, coarser counts on
     * {@link LinkageError}.
     */
    private static Iterable<ExecutorSummary> executors(SparkContext sc) {
        return () -> JavaConverters.seqAsJavaList(sc.statusStore().executorList(true)).stream()
                .filter(e -> !ExecutorIdentity.DRIVER.equals(e.id()))
                .iterator();
    }

    /** Executors known to the block manager master, minus the driver's own block manager. */
    private static int fallbackExecutors(SparkContext sc) {
        return Math.max(0, sc.getExecutorMemoryStatus().size() - 1);
    }

    private static OptionalInt positive(SparkConf conf, String key) {
        int value = conf.getInt(key, 0);
        return value > 0 ? OptionalInt.of(value) : OptionalInt.empty();
    }
}
