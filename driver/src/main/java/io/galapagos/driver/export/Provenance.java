package io.galapagos.driver.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.galapagos.config.Secrets;
import io.galapagos.driver.results.RunOutput;
import io.galapagos.trial.TrialResult;
import io.galapagos.trial.TrialResultJson;
import io.galapagos.worker.HadoopFileSystems;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

/**
 * {@value ExportJob#PROVENANCE}: what an exported model is and what it was made from, so that it can be judged and
 * made again: the architecture, the search's configuration and its SHA-256, the seeds, the data files with their
 * SHA-256, the versions of Galapagos, DeepLearning4J, ND4J, Spark and the JVM, the trial as the search measured it
 * (with the host it ran on), how the export trained it and what it measured, and the input the model expects.
 *
 * @param search     the search's output folder
 * @param config     the search's recorded configuration, as written
 * @param overrides  the export's changes to it ({@code key=value})
 * @param trial      the trial exported, as the search measured it
 * @param seed       the seed the export trained from (the trial's unless the request named another)
 * @param data       what the export trained and tested on, with the search's DL4J settings (the export's changes
 *                   applied)
 * @param epochs     epochs the export trained, and how they were chosen
 * @param training   how it trained
 * @param seconds    how long the training of the exported network took
 * @param totalSeconds from Spark's start to the end of that training, the epoch choice included
 * @param testAccuracy the exported model's accuracy on the test examples
 * @param version    Galapagos's version
 */
record Provenance(RunOutput search, String config, List<String> overrides, TrialResult trial, long seed,
                  ExportData data, EpochChoice epochs, Training training, double seconds,
                  double totalSeconds, double testAccuracy, String version) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param mode               {@code in-process} or data-parallel
     * @param master             the Spark master it ran on
     * @param executorHosts      the hosts of the Spark executors, data-parallel
     * @param averagingFrequency mini-batches between two averagings, data-parallel (0 in process)
     * @param workerBatch        examples each slot fits a step, data-parallel (0 in process)
     */
    record Training(String mode, String master, List<String> executorHosts, int averagingFrequency,
                    int workerBatch) {
    }

    ObjectNode toJson(Configuration hadoop) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("architecture", trial.candidate().architecture().text());
        root.put("search", search.folder().toString());
        root.put("trial", trial.candidate().trialId());
        ObjectNode seeds = root.putObject("seeds");
        seeds.put("trial", trial.candidate().seed());
        seeds.put("export", seed);
        root.put("config_sha256", sha256(config.getBytes(StandardCharsets.UTF_8)));
        root.put("config", config);
        overrides.forEach(o -> root.withArray("config_overrides").add(Secrets.redactOverride(o)));
        data.describe(root, hadoop);
        ObjectNode versions = root.putObject("versions");
        versions.put("galapagos", version);
        versions.put("deeplearning4j", mavenVersion("org.deeplearning4j", "deeplearning4j-nn"));
        versions.put("nd4j", mavenVersion("org.nd4j", "nd4j-api"));
        versions.put("spark", mavenVersion("org.apache.spark", "spark-core_2.12"));
        versions.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        root.set("searched", TrialResultJson.toJson(trial));
        ObjectNode export = root.putObject("export");
        export.put("epochs", epochs.epochs());
        if (epochs.validated()) {
            ObjectNode choice = export.putObject("epochs_chosen");
            choice.put("how", "the first epoch with the best validation accuracy of a training of the trial's "
                    + "training split for up to " + epochs.most() + " epochs, trained as the export then trained on "
                    + "all the data");
            choice.put("train_examples", data.trials().train().size())
                    .put("validation_examples", data.trials().validation().size());
            choice.put("most", epochs.most());
            epochs.curve().forEach(choice.withArray("validation_accuracy")::add);
            choice.put("seconds", epochs.seconds());
        }
        export.put("batch_size", data.trainer().training().batchSize());
        export.put("learning_rate", data.trainer().training().learningRate());
        export.put("lr_schedule", data.trainer().training().schedule().text());
        export.put("mode", training.mode());
        export.put("master", training.master());
        training.executorHosts().forEach(export.withArray("executor_hosts")::add);
        if (training.averagingFrequency() > 0) {
            export.put("averaging_frequency", training.averagingFrequency());
            export.put("batch_size_per_slot", training.workerBatch());
        }
        export.put("seconds", seconds);
        export.put("total_seconds", totalSeconds);
        export.put("test_accuracy", testAccuracy);
        export.put("test_accuracy_standard_error", standardError(testAccuracy, data.test().size()));
        return root;
    }

    /**
     * The binomial standard error of an accuracy measured on {@code examples} examples: how much the accuracy on
     * another draw of as many test examples would differ by chance (about 0.7 points for 0.89 on 2,000 images), the
     * scale on which an export's test accuracy and its trial's compare.
     */
    static double standardError(double accuracy, int examples) {
        return Math.sqrt(accuracy * (1 - accuracy) / examples);
    }

    /** The SHA-256 of a data file, read through the Hadoop FileSystem API. */
    static String fileSha256(String location, Configuration hadoop) throws IOException {
        Path path = new Path(location);
        MessageDigest digest = digest();
        try (FSDataInputStream in = HadoopFileSystems.of(path, hadoop).open(path)) {
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The version in a jar's Maven metadata on the classpath; "unknown" where it has none. */
    private static String mavenVersion(String group, String artifact) throws IOException {
        String name = "META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = Provenance.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        }
    }
}
