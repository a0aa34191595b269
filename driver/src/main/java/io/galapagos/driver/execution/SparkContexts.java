package io.galapagos.driver.execution;

import io.galapagos.config.ClassPolicy;
import io.galapagos.config.ConfigException;
import io.galapagos.config.SparkSettings;
import io.galapagos.worker.spark.GalapagosKryoRegistrator;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.serializer.KryoSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Builds the Spark configuration of a search and its context. Precedence, lowest first: {@code spark.*}
 * system properties (what {@code spark-submit --conf} sets), the defaults below (each only where the
 * property is not set yet), the app name given here, {@link SparkSettings#conf()} (the user wins), and
 * finally {@link SparkSettings#master()} when the configuration (or {@code --master}) names one; with none,
 * the master {@code spark-submit} set, else {@code local[*]}.
 *
 * <p>Always: no speculation (a speculative copy would train the same candidate twice, on a slot another
 * trial needs), whatever the configuration asks. Defaults: Kryo with {@link GalapagosKryoRegistrator} and
 * {@code spark.kryo.registrationRequired=true}; the task reaper on, so that a trial cancelled at its deadline
 * whose native code ignores the interrupt is killed with its executor after
 * {@code spark.task.reaper.killTimeout} ({@value #REAPER_KILL_TIMEOUT}) rather than holding its slot for ever; {@code spark.task.maxFailures=2}
 * (trial runners turn a candidate's problems into results, so a task fails only for the infrastructure,
 * and one retry on another executor is enough: a candidate that crashes executors should not take down
 * four); {@code spark.executorEnv.OMP_NUM_THREADS} equal to {@code spark.task.cpus} (one OpenMP thread per
 * core a task owns was up to 2.4 times faster for ND4J on CPU); the web UI off. When the user names other
 * Kryo registrators (Galapagos classes only), ours is added to the list rather than replaced.
 *
 * <p>No property may name a class {@link ClassPolicy} refuses: those of the configuration are checked when it is
 * loaded, the {@code spark.*} system properties here (a {@link ConfigException}: bad input). Stateless.
 */
public final class SparkContexts {

    public static final String KRYO_REGISTRATOR = GalapagosKryoRegistrator.class.getName();
    static final String REAPER_KILL_TIMEOUT = "120s";

    private static final Logger LOG = LoggerFactory.getLogger(SparkContexts.class);

    private SparkContexts() {
    }

    /** The configuration {@link #create} starts Spark with. */
    public static SparkConf conf(SparkSettings settings, String appName) {
        if (settings == null) {
            throw new IllegalArgumentException("spark settings are required");
        }
        if (appName == null || appName.isBlank()) {
            throw new IllegalArgumentException("an app name is required");
        }
        SparkConf conf = new SparkConf();
        refuseForeignClasses(conf);
        conf.setIfMissing("spark.serializer", KryoSerializer.class.getName());
        conf.setIfMissing("spark.kryo.registrationRequired", "true");
        conf.setIfMissing("spark.task.maxFailures", "2");
        conf.setIfMissing("spark.ui.enabled", "false");
        conf.setIfMissing("spark.task.reaper.enabled", "true");
        conf.setIfMissing("spark.task.reaper.killTimeout", REAPER_KILL_TIMEOUT);
        conf.setAppName(appName);
        for (Map.Entry<String, String> e : settings.conf().entrySet()) {
            conf.set(e.getKey(), e.getValue());
        }
        if (conf.getBoolean("spark.speculation", false)) {
            LOG.warn("spark.speculation=true ignored: a speculative copy of a trial would train the same candidate twice");
        }
        conf.set("spark.speculation", "false");
        if (settings.master() != null) {
            conf.setMaster(settings.master());
        }
        conf.setIfMissing("spark.master", "local[*]");
        conf.set("spark.kryo.registrator", withOurRegistrator(conf.get("spark.kryo.registrator", "")));
        conf.setIfMissing("spark.executorEnv.OMP_NUM_THREADS", conf.get("spark.task.cpus", "1").trim());
        return conf;
    }

    /**
     * The task slots of {@code sc}, once the executors its configuration asks for have registered (at most
     * {@value SparkTrialExecutor#EXECUTOR_WAIT_KEY}), as a search counts them before its first dispatch.
     */
    public static int awaitSlots(JavaSparkContext sc) throws InterruptedException {
        OptionalInt local = SparkSlots.local(sc.sc());
        if (local.isPresent()) {
            return local.getAsInt();
        }
        SparkSlots.awaitExecutors(sc.sc(), SparkTrialExecutor.configuredWait(sc.getConf()));
        return SparkSlots.cluster(sc.sc());
    }

    /**
     * Starts a Spark context for a search; the caller stops it.
     *
     * @throws ConfigException in one line when Spark refuses these settings: a master URL it cannot parse,
     *                         {@code local[0]}, a task of no cores (other failures, a cluster that cannot be reached,
     *                         are not bad input and come as they are)
     */
    public static JavaSparkContext create(SparkSettings settings, String appName) {
        SparkConf conf = conf(settings, appName);
        try {
            return new JavaSparkContext(conf);
        } catch (Exception e) { // SparkException is checked, but Scala's constructor does not declare it
            String message = String.valueOf(e.getMessage());
            if (message.startsWith("Could not parse Master URL") || e instanceof IllegalArgumentException) {
                throw new ConfigException("spark", "master " + conf.get("spark.master"),
                        "Spark refused its settings: " + message.lines().findFirst().orElse(message));
            }
            throw e;
        }
    }

    /**
     * Applies {@link ClassPolicy} to the {@code spark.*} system properties a fresh {@link SparkConf} holds (what
     * {@code spark-submit} passes from {@code --conf} and {@code spark-defaults.conf}); the configuration's own
     * properties were checked when it was loaded ({@link SparkSettings}).
     */
    private static void refuseForeignClasses(SparkConf conf) {
        for (Tuple2<String, String> property : conf.getAll()) {
            String refused = ClassPolicy.refusedClass(property._1(), property._2());
            if (refused != null) {
                throw new ConfigException("spark-submit --conf / spark-defaults.conf", property._1(), "'" + refused
                        + "' is refused: " + ClassPolicy.reason(property._1()));
            }
        }
    }

    private static String withOurRegistrator(String registrators) {
        List<String> names = new ArrayList<>();
        names.add(KRYO_REGISTRATOR);
        for (String name : registrators.split(",")) {
            if (!name.isBlank() && !name.trim().equals(KRYO_REGISTRATOR)) {
                names.add(name.trim());
            }
        }
        return String.join(",", names);
    }
}
