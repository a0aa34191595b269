package io.galapagos.driver.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.galapagos.config.ConfigException;
import io.galapagos.config.Dl4jTraining;
import io.galapagos.config.SearchConfig;
import io.galapagos.driver.execution.ScreeningTrialExecutor;
import io.galapagos.driver.latency.LatencyPredictor;
import io.galapagos.space.Architecture;
import io.galapagos.space.SearchSpace;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Execution;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialResult;
import io.galapagos.worker.HadoopFileSystems;
import io.galapagos.worker.network.NetworkInput;
import io.galapagos.worker.training.HardwareSignature;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code constraints.latency_model}: a {@code latency-model.json} that an earlier search wrote, read back as the
 * measurements it holds, for the driver's latency model to learn before the first candidate. Checked before anything
 * runs, each problem a one-line {@link ConfigException} naming the key: a file that cannot be read or holds no
 * measurements, a measured network that is not in this search's space (a model of other networks' kernels), networks
 * that read another input ({@link #checkInput}, once the data is read), and, when
 * the executors are this machine's (local mode), measurements from another processor only.
 */
public final class LatencyModelFile {

    private static final String KEY = "constraints.latency_model";
    private static final ObjectMapper JSON = new ObjectMapper();

    private LatencyModelFile() {
    }

    /** Checks {@code config}'s latency model file, if it names one. */
    static void check(String source, SearchConfig config, Configuration hadoop) {
        read(source, config, hadoop);
    }

    /**
     * The measurements of {@code config}'s latency model file as completed results with a latency and the hardware
     * it was measured on; none when it names no file.
     */
    public static List<TrialResult> read(String source, SearchConfig config, Configuration hadoop) {
        String location = config.trainer() instanceof Dl4jTraining dl4j ? dl4j.latencyModel().file() : null;
        if (location == null) {
            return List.of();
        }
        JsonNode root = root(source, location, hadoop);
        JsonNode hardware = root == null ? null : root.get(LatencyPredictor.HARDWARE);
        if (hardware == null || !hardware.isObject() || hardware.isEmpty()) {
            throw error(source, location, "holds no measurements: not a latency-model.json of a search with "
                    + "constraints.max_latency_ms");
        }
        List<TrialResult> results = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> kinds = hardware.fields();
        while (kinds.hasNext()) {
            Map.Entry<String, JsonNode> kind = kinds.next();
            JsonNode measurements = kind.getValue().get(LatencyPredictor.MEASUREMENTS);
            if (measurements == null || !measurements.isArray()) {
                throw error(source, location, "has no measurements for " + kind.getKey() + " (written before "
                        + "latency-model.json kept them?)");
            }
            for (JsonNode m : measurements) {
                results.add(result(source, location, config.space(), kind.getKey(), m, results.size()));
            }
        }
        if (isLocal(config)) {
            String processor = HardwareSignature.processor();
            List<String> measuredOn = new ArrayList<>();
            hardware.fieldNames().forEachRemaining(measuredOn::add);
            if (measuredOn.stream().noneMatch(h -> h.startsWith(processor + ","))) {
                throw error(source, location, "was measured on " + String.join("; ", measuredOn) + ", and this "
                        + "search's executors run here, on " + processor + ": latencies from another processor do "
                        + "not predict this one's");
            }
        }
        return results;
    }

    /**
     * Refuses a file whose networks read another input than this search's ({@code input}): another image size or text
     * length gives other kernels, whose latencies would be learnt as this search's. A file written before
     * latency-model.json recorded the input is taken as it is.
     */
    public static void checkInput(String source, SearchConfig config, Configuration hadoop, NetworkInput input) {
        String location = config.trainer() instanceof Dl4jTraining dl4j ? dl4j.latencyModel().file() : null;
        if (location == null) {
            return;
        }
        JsonNode root = root(source, location, hadoop);
        JsonNode recorded = root == null ? null : root.get(ScreeningTrialExecutor.INPUT);
        if (recorded != null && recorded.isTextual() && !recorded.asText().equals(input.describe())) {
            throw error(source, location, "was measured on networks reading " + recorded.asText() + "; this search's "
                    + "read " + input.describe() + ", whose kernels and latencies differ");
        }
    }

    private static JsonNode root(String source, String location, Configuration hadoop) {
        String problem = DataFiles.problem(location, hadoop);
        if (problem != null) {
            throw error(source, location, problem);
        }
        try (InputStream in = HadoopFileSystems.of(new Path(location), hadoop).open(new Path(location))) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw error(source, location, "is not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static TrialResult result(String source, String location, SearchSpace space, String hardware,
                                      JsonNode measurement, int number) {
        String text = measurement.path(LatencyPredictor.ARCHITECTURE).asText("");
        double latency = measurement.path(Metrics.LATENCY_MS).asDouble(Double.NaN);
        if (text.isEmpty() || !(latency > 0)) {
            throw error(source, location, "has a measurement without an architecture and a positive "
                    + Metrics.LATENCY_MS + ": " + measurement);
        }
        Architecture architecture;
        try {
            architecture = space.parse(text);
        } catch (IllegalArgumentException e) {
            throw error(source, location, "was learnt on another search space: " + e.getMessage());
        }
        Execution measured = new Execution(location, "", 0, Execution.NO_SLOT, List.of(), Instant.EPOCH,
                Instant.EPOCH, hardware);
        return new TrialResult.Completed(new Candidate(number, architecture, 0),
                Metrics.EMPTY.with(Metrics.LATENCY_MS, latency), measured);
    }

    /** Whether the executors are threads of this JVM or of this machine's local Spark. */
    private static boolean isLocal(SearchConfig config) {
        String master = config.spark().master() != null ? config.spark().master()
                : System.getProperty("spark.master", "local[*]");
        return config.executor() == SearchConfig.ExecutorKind.IN_PROCESS || master.startsWith("local");
    }

    private static ConfigException error(String source, String location, String problem) {
        return new ConfigException(source, KEY, "'" + location + "' " + problem);
    }
}
