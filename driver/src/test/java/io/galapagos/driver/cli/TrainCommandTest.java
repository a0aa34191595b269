package io.galapagos.driver.cli;

import io.galapagos.worker.training.HardwareSignature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code galapagos train}: one architecture on a slice of the shipped Fashion-MNIST subset; bad input. */
class TrainCommandTest {

    private static final Path DATA = Path.of("..", "data", "fashion-mnist").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private Path config() throws IOException {
        return Files.writeString(dir.resolve("train.yaml"), """
                name: train
                seed: 3
                data:
                  train_images: %1$s/train-images-idx3-ubyte.gz
                  train_labels: %1$s/train-labels-idx1-ubyte.gz
                  test_images: %1$s/t10k-images-idx3-ubyte.gz
                  test_labels: %1$s/t10k-labels-idx1-ubyte.gz
                  train_limit: 600
                  validation_fraction: 0.2
                training: {epochs: 4, batch_size: 32, learning_rate: 0.005}
                """.formatted(DATA));
    }

    private int run(String... args) {
        return GalapagosCli.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(args);
    }

    @Test
    void trainsOneArchitectureAndPrintsItsMetricsAndThroughput() throws IOException {
        assertEquals(0, run("train", config().toString(), "--architecture", "conv3x3x4:relu/maxpool/dense16:relu"),
                err::toString);
        String said = out.toString();
        assertTrue(said.startsWith("Training conv3x3x4:relu/maxpool/dense16:relu on 480 examples (120 validation, "
                + "2,000 test): 4 epochs of batches of 32, 1 native thread in this JVM"), said);
        Matcher accuracy = Pattern.compile("val_accuracy (\\d\\.\\d{4})  test_accuracy (\\d\\.\\d{4})  params 12,770 ")
                .matcher(said);
        assertTrue(accuracy.find(), said);
        assertTrue(Double.parseDouble(accuracy.group(2)) > 0.4, "learned something (chance is 0.1): " + said);
        assertTrue(Pattern.compile("training: 4\\.00 epochs in \\d+\\.\\d\\d s: \\d+\\.\\d\\d s per epoch, [\\d,]+ examples/s")
                .matcher(said).find(), said);
    }

    @Test
    void repeatsTrainFromTheSeedsOfTrialsZeroOnAndSummariseTheSpread() throws IOException {
        String architecture = "conv3x3x4:relu/maxpool/dense16:relu";
        assertEquals(0, run("train", config().toString(), "--architecture", architecture, "--set", "training.epochs=1"),
                err::toString);
        String once = out.toString();
        out.getBuffer().setLength(0);
        assertEquals(0, run("train", config().toString(), "--architecture", architecture, "--set", "training.epochs=1",
                "--repeats", "3"), err::toString);
        String said = out.toString();
        // the kernels are named when OPENBLAS_CORETYPE chose them (as bin/galapagos does, and some machines' shells)
        String kernels = HardwareSignature.blasKernels().map(k -> ", " + k).orElse("");
        assertTrue(said.contains("1 native thread in this JVM" + kernels + "; 3 times, from the seeds of trials 0 to 2"),
                said);
        Matcher line = Pattern.compile("(trial-000\\d): val_accuracy (\\d\\.\\d{4})  test_accuracy (\\d\\.\\d{4}) ")
                .matcher(said);
        double[] val = new double[3];
        double[] test = new double[3];
        for (int i = 0; i < 3; i++) {
            assertTrue(line.find(), said);
            assertEquals("trial-000" + i, line.group(1));
            val[i] = Double.parseDouble(line.group(2));
            test[i] = Double.parseDouble(line.group(3));
        }
        assertTrue(once.contains("val_accuracy %.4f  test_accuracy %.4f ".formatted(val[0], test[0])),
                "the first repeat is the single training, trial 0: " + once);
        assertTrue(val[0] != val[1] || val[1] != val[2] || test[0] != test[1] || test[1] != test[2],
                "three seeds, three draws: " + said);
        Matcher summary = Pattern.compile("Over 3 of 3 trainings that completed:  val_accuracy mean (\\d\\.\\d{4}) sd "
                + "(\\d\\.\\d{4}) \\((\\d\\.\\d{4}) to (\\d\\.\\d{4})\\)  test_accuracy mean (\\d\\.\\d{4})")
                .matcher(said);
        assertTrue(summary.find(), said);
        double mean = (val[0] + val[1] + val[2]) / 3;
        assertEquals(mean, Double.parseDouble(summary.group(1)), 1e-4 + 1e-9);
        assertEquals(Math.min(val[0], Math.min(val[1], val[2])), Double.parseDouble(summary.group(3)), 1e-9);
        assertEquals(Math.max(val[0], Math.max(val[1], val[2])), Double.parseDouble(summary.group(4)), 1e-9);
        assertEquals((test[0] + test[1] + test[2]) / 3, Double.parseDouble(summary.group(5)), 1e-4 + 1e-9);

        out.getBuffer().setLength(0);
        assertEquals(0, run("train", config().toString(), "--architecture", architecture, "--set", "training.epochs=1",
                "--repeats", "2", "--master", "local[2]"), err::toString);
        String onSpark = out.toString();
        assertTrue(onSpark.contains("one Spark task each on local[2]; 2 times, from the seeds of trials 0 to 1"),
                onSpark);
        assertTrue(onSpark.indexOf("trial-0000: val_accuracy") < onSpark.indexOf("trial-0001: val_accuracy")
                && onSpark.indexOf("trial-0000: val_accuracy") >= 0, onSpark);
        assertTrue(onSpark.contains("Over 2 of 2 trainings that completed:  val_accuracy mean "), onSpark);

        // the configuration's spark.conf reaches the context: more cores a task than local[2] has cannot start
        err.getBuffer().setLength(0);
        assertEquals(1, run("train", config().toString(), "--architecture", architecture, "--set", "training.epochs=1",
                "--set", "spark.conf.spark.task.cpus=3", "--master", "local[2]"));
        assertTrue(err.toString().contains("the number of cpus per task = 3"), err::toString);

        err.getBuffer().setLength(0);
        assertEquals(2, run("train", config().toString(), "--architecture", architecture, "--repeats", "0"));
        assertEquals("galapagos: error: --repeats: 0 is not valid: expected 1 to 1000", err.toString().strip());
    }

    /**
     * Data on a file system that only the configuration's spark.conf configures (as an s3a key given there): training
     * in this JVM reads it with those settings, as the check before it does and as Spark's executors would.
     */
    @Test
    void dataIsReadWithTheConfigurationsHadoopSettings() throws IOException {
        String config = Files.readString(config()).replace(DATA.toString(), TestdataFileSystem.SCHEME + "://" + DATA)
                + "spark: {conf: {" + String.join(", ", TestdataFileSystem.SETTINGS) + "}}\n";
        Path file = Files.writeString(dir.resolve("testdata.yaml"), config);
        assertEquals(0, run("train", file.toString(), "--architecture", "conv3x3x4:relu/maxpool/dense16:relu",
                "--set", "training.epochs=1"), err::toString);
        assertTrue(out.toString().contains("on 480 examples (120 validation, 2,000 test)"), out::toString);
    }

    @Test
    void aMalformedArchitectureIsOneLineQuotingIt() throws IOException {
        Path file = config();
        for (String[] bad : new String[][]{
                {"conv3x3x16:relu/maxpol", "unknown layer 'maxpol'"},
                {"", "empty architecture text"},
                {"conv3x3x16:relu:d1.5", "1.5"},
                {"|nor_conv_3x3~0|+|none~0|skip_connect~1|+|none~0|none~1|none~2|", "is a cell, and the "
                        + "configuration's space is the macro space"}}) {
            out.getBuffer().setLength(0);
            err.getBuffer().setLength(0);
            assertEquals(2, run("train", file.toString(), "--architecture", bad[0]), err::toString);
            String error = err.toString().strip();
            assertEquals(1, error.lines().count(), error);
            assertTrue(error.startsWith("galapagos: error: --architecture '" + bad[0] + "': ") && error.contains(bad[1]),
                    error);
            assertEquals("", out.toString(), "nothing trained");
        }
    }

    @Test
    void trainsACellOfTheCellSpaceOnTheConfiguredSkeleton() throws IOException {
        Path file = Files.writeString(dir.resolve("cells.yaml"), Files.readString(config())
                .replace("training: {", "space: {kind: nb201}\ntraining: {cell_channels: 4, cells_per_stage: 1, ")
                .replace("epochs: 4", "epochs: 1"));
        String cell = "|nor_conv_3x3~0|+|skip_connect~0|nor_conv_1x1~1|+|skip_connect~0|none~1|avg_pool_3x3~2|";
        assertEquals(0, run("train", file.toString(), "--architecture", cell), err::toString);
        assertTrue(out.toString().startsWith("Training " + cell + " on 480 examples"), out.toString());
        // stem 36, cells (9 + 1) x C^2 for C = 4, 8, 16, reductions (9 C 2C + 9 (2C)^2 + 2C C) for C = 4, 8,
        // batch normalisation 4 per channel (stem 4, cells 2 x 28, reductions 2 x 24, head 16), classifier 16 x 10 + 10
        long params = 36 + 10 * (16 + 64 + 256) + (288 + 576 + 32) + (1152 + 2304 + 128) + 4 * (4 + 56 + 48 + 16) + 170;
        assertTrue(out.toString().contains("params " + String.format(java.util.Locale.ROOT, "%,d", params) + " "),
                out.toString());

        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        String bad = cell.replace("nor_conv_1x1", "nor_conv_5x5");
        assertEquals(2, run("train", file.toString(), "--architecture", bad), err::toString);
        assertEquals("galapagos: error: --architecture '" + bad + "': unknown cell operation 'nor_conv_5x5' (expected "
                + "none, skip_connect, nor_conv_1x1, nor_conv_3x3 or avg_pool_3x3)", err.toString().strip());
    }

    @Test
    void aConfigurationWithoutTrainingIsRefused() throws IOException {
        Path file = Files.writeString(dir.resolve("synthetic.yaml"), "name: s\nsynthetic: {median_seconds: 0}\n");
        assertEquals(2, run("train", file.toString(), "--architecture", "dense16:relu"), err::toString);
        assertTrue(err.toString().contains("train needs data and training sections"), err.toString());
    }
}
