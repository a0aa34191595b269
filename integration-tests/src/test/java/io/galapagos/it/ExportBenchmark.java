package io.galapagos.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The export's two targets, measured on a finished search ({@code -Dbench.output}, default {@code runs/quickstart}):
 * its answer retrained on all of the search's training data for {@code -Dbench.epochs} epochs (default: the
 * export's choice on validation, whose curve it prints; {@code -Dbench.set=KEY=VALUE} changes one setting, e.g. {@code training.lr_schedule=constant}), once in
 * one JVM ({@code --master local[1]}) and once data-parallel on a standalone cluster of two
 * one-core executor JVMs; prints both test accuracies beside the one the search reported. Run it after the
 * quickstart with {@code mvn -q -DskipTests install && mvn verify -pl integration-tests -Dit.test=ExportBenchmark
 * -Dgalapagos.it.timeout=3000}.
 */
class ExportBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void exportInOneJvmAndDataParallel() throws Exception {
        Path output = GalapagosLauncher.repo().resolve(System.getProperty("bench.output", "runs/quickstart"));
        String epochs = System.getProperty("bench.epochs", "");
        JsonNode best = JSON.readTree(Files.readString(output.resolve("best.json")));

        JsonNode parallel;
        try (StandaloneCluster cluster = StandaloneCluster.builder().name("ExportBenchmark").start()) {
            parallel = export(cluster.environment(), output, epochs, cluster.masterUrl(), "cluster");
        }
        JsonNode single = export(Map.of(), output, epochs, "local[1]", "single");

        System.out.printf(Locale.ROOT, "Export of %s (%s) from %s:%n  the search: test accuracy %.4f after %s epochs "
                        + "on its training split%n", best.get("trial").asText(), best.get("architecture").asText(), output,
                best.get("metrics").get("test_accuracy").asDouble(), best.get("metrics").get("epochs").asText());
        for (JsonNode p : new JsonNode[]{single, parallel}) {
            JsonNode e = p.get("export");
            System.out.printf(Locale.ROOT, "  %s on %s: test accuracy %.4f after %d epochs on %,d examples, %.1f s "
                            + "(training %.1f s)%n", e.get("mode").asText(), e.get("master").asText(),
                    e.get("test_accuracy").asDouble(), e.get("epochs").asInt(),
                    p.get("data").get("train_examples").asInt(), e.get("total_seconds").asDouble(),
                    e.get("seconds").asDouble());
            if (e.has("epochs_chosen")) {
                System.out.printf(Locale.ROOT, "    epochs chosen on validation (%.1f s of the time): %s%n",
                        e.get("epochs_chosen").get("seconds").asDouble(),
                        e.get("epochs_chosen").get("validation_accuracy"));
            }
        }
        System.out.printf(Locale.ROOT, "  data-parallel minus single-process: %+.2f points%n",
                100 * (parallel.get("export").get("test_accuracy").asDouble()
                        - single.get("export").get("test_accuracy").asDouble()));
    }

    private JsonNode export(Map<String, String> environment, Path output, String epochs, String master, String name)
            throws Exception {
        Path model = dir.resolve(name);
        List<String> args = new ArrayList<>(List.of("export", output.toString(), "--master", master, "--output",
                model.toString()));
        if (!epochs.isEmpty()) {
            args.addAll(List.of("--epochs", epochs));
        }
        String set = System.getProperty("bench.set", "");
        if (!set.isEmpty()) {
            args.addAll(List.of("--set", set));
        }
        GalapagosLauncher.Finished run = GalapagosLauncher.run(environment, dir.resolve(name + ".log"), 2400,
                args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.log());
        return JSON.readTree(Files.readString(model.resolve("provenance.json")));
    }
}
