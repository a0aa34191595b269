package io.galapagos.config;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which classes a Spark property may name. Spark, its SQL and Kubernetes modules, and the Hadoop client it
 * configures load and instantiate the classes some properties name (listeners, plugins, serializers,
 * registrators, UI filters, codecs, committers, file systems, ...), so a configuration that could name any
 * class could run any code on the class path on the driver and every executor. A configuration may name
 * only Galapagos classes ({@value #OURS}*), plus, per property, the built-in names Spark or Hadoop give
 * their own implementations: {@code spark.serializer} may be Spark's {@code KryoSerializer} or
 * {@code JavaSerializer}; {@code spark.io.compression.codec} {@code lz4}, {@code lzf}, {@code snappy},
 * {@code zstd} or their classes; {@code spark.shuffle.manager} {@code sort}; Spark's own metrics sinks;
 * Hadoop's own classes ({@code org.apache.hadoop.*}) in {@code spark.hadoop.*} properties.
 *
 * <p>The properties covered are those of Spark 3.5 whose value is a class name or a comma-separated list of
 * them ({@link #namesClasses}), those that take a class or a short name, {@code spark.sql.catalog.NAME},
 * {@code spark.metrics.conf.*.sink|source.*.class}, and {@code spark.hadoop.*} properties whose name ends in
 * {@code .impl}, {@code .class}, {@code .classes}, {@code .codecs}, {@code .provider}, {@code .providers},
 * {@code .factory} or holds {@code .factory.}. The policy is about names: it does not police
 * {@code spark.jars}, class paths or JVM options, which decide what is on the class path. Stateless.
 */
public final class ClassPolicy {

    /** The package prefix of the classes a configuration may always name. */
    public static final String OURS = "io.galapagos.";

    private static final String REASON = "only Galapagos classes (" + OURS + "*) may be named in a configuration";

    private static final List<String> CODECS = List.of("lz4", "lzf", "snappy", "zstd",
            "org.apache.spark.io.LZ4CompressionCodec", "org.apache.spark.io.LZFCompressionCodec",
            "org.apache.spark.io.SnappyCompressionCodec", "org.apache.spark.io.ZStdCompressionCodec");

    private static final String METRICS = "org.apache.spark.metrics.";

    /**
     * Properties whose value is a class, or a comma-separated list of classes, that Spark loads, with the
     * names other than ours each accepts (Spark's built-in short names and classes).
     */
    private static final Map<String, Set<String>> CLASS_PROPERTIES = Map.ofEntries(
            // core
            Map.entry("spark.serializer", Set.of("org.apache.spark.serializer.KryoSerializer",
                    "org.apache.spark.serializer.JavaSerializer")),
            Map.entry("spark.kryo.registrator", Set.of()),
            Map.entry("spark.kryo.classesToRegister", Set.of()),
            Map.entry("spark.extraListeners", Set.of()),
            Map.entry("spark.plugins", Set.of()),
            Map.entry("spark.plugins.defaultList", Set.of()),
            Map.entry("spark.executor.plugins", Set.of()),
            Map.entry("spark.driver.plugins", Set.of()),
            Map.entry("spark.resources.discoveryPlugin",
                    Set.of("org.apache.spark.resource.ResourceDiscoveryScriptPlugin")),
            Map.entry("spark.shuffle.manager", Set.of("sort", "tungsten-sort",
                    "org.apache.spark.shuffle.sort.SortShuffleManager")),
            Map.entry("spark.shuffle.sort.io.plugin.class",
                    Set.of("org.apache.spark.shuffle.sort.io.LocalDiskShuffleDataIO")),
            Map.entry("spark.shuffle.io.plugin.class", Set.of()),
            Map.entry("spark.io.compression.codec", Set.copyOf(CODECS)),
            Map.entry("spark.eventLog.compression.codec", Set.copyOf(CODECS)),
            Map.entry("spark.shuffle.mapStatus.compression.codec", Set.copyOf(CODECS)),
            Map.entry("spark.broadcast.factory", Set.of("org.apache.spark.broadcast.TorrentBroadcastFactory")),
            Map.entry("spark.ui.filters", Set.of()),
            Map.entry("spark.user.groups.mapping", Set.of("org.apache.spark.security.ShellBasedGroupsMappingProvider")),
            Map.entry("spark.history.provider", Set.of("org.apache.spark.deploy.history.FsHistoryProvider")),
            Map.entry("spark.deploy.recoveryMode.factory", Set.of()),
            Map.entry("spark.streaming.listeners", Set.of()),
            // Kubernetes
            Map.entry("spark.kubernetes.driver.pod.featureSteps", Set.of()),
            Map.entry("spark.kubernetes.executor.pod.featureSteps", Set.of()),
            Map.entry("spark.kubernetes.allocation.pods.allocator", Set.of("direct", "statefulset")),
            // SQL (read when a SparkSession starts; Galapagos starts none, but a config should not name them)
            Map.entry("spark.sql.extensions", Set.of()),
            Map.entry("spark.sql.queryExecutionListeners", Set.of()),
            Map.entry("spark.sql.streaming.streamingQueryListeners", Set.of()),
            Map.entry("spark.sql.sources.commitProtocolClass", Set.of(
                    "org.apache.spark.sql.execution.datasources.SQLHadoopMapReduceCommitProtocol")),
            Map.entry("spark.sql.sources.outputCommitterClass", Set.of()),
            Map.entry("spark.sql.parquet.output.committer.class", Set.of(
                    "org.apache.parquet.hadoop.ParquetOutputCommitter")),
            Map.entry("spark.sql.streaming.stateStore.providerClass", Set.of()),
            Map.entry("spark.sql.streaming.checkpointFileManagerClass", Set.of()),
            Map.entry("spark.sql.cache.serializer", Set.of()));

    /** Spark's own metrics sinks and sources, for {@code spark.metrics.conf.*.class}. */
    private static final Set<String> METRICS_CLASSES = Set.of(METRICS + "sink.ConsoleSink", METRICS + "sink.CsvSink",
            METRICS + "sink.JmxSink", METRICS + "sink.MetricsServlet", METRICS + "sink.PrometheusServlet",
            METRICS + "sink.GraphiteSink", METRICS + "sink.Slf4jSink", METRICS + "sink.StatsdSink",
            METRICS + "source.JvmSource");

    private static final Pattern SQL_CATALOG = Pattern.compile("spark\\.sql\\.catalog\\.[^.]+");
    private static final Pattern METRICS_CLASS = Pattern.compile("spark\\.metrics\\.conf\\..+\\.(sink|source)\\..+\\.class");
    private static final Pattern HADOOP_CLASS = Pattern.compile(
            "spark\\.hadoop\\..*(\\.impl|\\.class|\\.classes|\\.codecs|\\.provider|\\.providers|\\.factory|\\.factory\\..+)"
                    + "|spark\\.hadoop\\.hadoop\\.security\\.group\\.mapping");

    private ClassPolicy() {
    }

    /** Whether Spark (or the Hadoop client) reads class names from {@code key}. */
    public static boolean namesClasses(String key) {
        return CLASS_PROPERTIES.containsKey(key) || SQL_CATALOG.matcher(key).matches()
                || METRICS_CLASS.matcher(key).matches() || HADOOP_CLASS.matcher(key).matches();
    }

    /**
     * The first class that {@code value}, a comma-separated list, names for {@code key} and that the policy
     * refuses; {@code null} when it refuses none or {@code key} names no classes.
     */
    public static String refusedClass(String key, String value) {
        if (value == null || !namesClasses(key)) {
            return null;
        }
        for (String part : value.split(",")) {
            String name = part.trim();
            if (!name.isEmpty() && !allowed(key, name)) {
                return name;
            }
        }
        return null;
    }

    /** Why a class named for {@code key} was refused: what the property may name instead. */
    public static String reason(String key) {
        if (key.equals("spark.serializer")) {
            return REASON + ", or Spark's org.apache.spark.serializer.KryoSerializer or JavaSerializer";
        }
        if (key.endsWith("compression.codec")) {
            return REASON + ", or Spark's codecs lz4, lzf, snappy and zstd";
        }
        if (key.startsWith("spark.hadoop.")) {
            return REASON + ", or Hadoop's own (org.apache.hadoop.*)";
        }
        if (key.startsWith("spark.metrics.conf.")) {
            return REASON + ", or Spark's own metrics sinks and sources";
        }
        Set<String> builtIn = CLASS_PROPERTIES.getOrDefault(key, Set.of());
        return builtIn.isEmpty() ? REASON : REASON + ", or Spark's built-in " + String.join(", ", builtIn.stream().sorted().toList());
    }

    /**
     * Checks every entry of {@code properties}; the first refused is an {@link IllegalArgumentException}
     * whose message is {@code KEY: 'CLASS' is refused: REASON}.
     */
    public static void check(Map<String, String> properties) {
        for (Map.Entry<String, String> e : properties.entrySet()) {
            String refused = refusedClass(e.getKey(), e.getValue());
            if (refused != null) {
                throw new IllegalArgumentException(e.getKey() + ": '" + refused + "' is refused: " + reason(e.getKey()));
            }
        }
    }

    private static boolean allowed(String key, String name) {
        if (name.startsWith(OURS)) {
            return true;
        }
        if (key.startsWith("spark.hadoop.")) {
            return name.startsWith("org.apache.hadoop.");
        }
        if (key.startsWith("spark.metrics.conf.")) {
            return METRICS_CLASSES.contains(name);
        }
        return CLASS_PROPERTIES.getOrDefault(key, Set.of()).contains(name);
    }
}
