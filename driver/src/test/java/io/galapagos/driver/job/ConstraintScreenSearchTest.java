package io.galapagos.driver.job;

import io.galapagos.config.ConfigLoader;
import io.galapagos.driver.execution.ScreeningTrialExecutor;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code constraints} through {@link SearchJob}, in process, with real DL4J training on a slice of the shipped
 * Fashion-MNIST subset: candidates over an analytic bound are answered on the driver without a task, with the
 * message and figures an executor would give, and do not use up the trials; the rest train and keep the bound.
 */
@Timeout(300)
class ConstraintScreenSearchTest {

    private static final Path DATA = Path.of("..", "data", "fashion-mnist").toAbsolutePath().normalize();
    /** A dense layer of 64 on 784 pixels alone holds 50,240 parameters; one of 8, 6,280. */
    private static final int MAX_PARAMS = 20_000;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    private List<TrialResult> search(String output, String... overrides) throws Exception {
        String yaml = """
                name: screen
                seed: 5
                trials: 10
                executor: in_process
                parallelism: 1
                strategy: {kind: random}
                space: {min_blocks: 1, max_blocks: 2, layers: [dense], dense_units: [8, 64],
                        activations: [relu], batch_norm: [false], dropout: [0.0]}
                data:
                  train_images: %1$s/train-images-idx3-ubyte.gz
                  train_labels: %1$s/train-labels-idx1-ubyte.gz
                  test_images: %1$s/t10k-images-idx3-ubyte.gz
                  test_labels: %1$s/t10k-labels-idx1-ubyte.gz
                  train_limit: 200
                  validation_fraction: 0.2
                training: {epochs: 1, batch_size: 32, latency_repeats: 1}
                constraints: {max_params: %2$d}
                """.formatted(DATA, MAX_PARAMS);
        ConfigLoader.Loaded loaded = ConfigLoader.parse("screen.yaml", yaml, dir, List.of(overrides));
        return new SearchJob(loaded.config(), loaded.effectiveYaml(), new PrintStream(console, true,
                StandardCharsets.UTF_8)).run(dir.resolve(output).toString(), null).results();
    }

    @Test
    void candidatesOverAnAnalyticBoundAreAnsweredOnTheDriverAsAnExecutorWouldAnswerThem() throws Exception {
        List<TrialResult> screened = search("screened");
        long driverAnswers = ScreeningTrialExecutor.count(screened);
        assertTrue(driverAnswers >= 1, console::toString);
        assertEquals(10 + driverAnswers, screened.size(), "ten trials trained beside the refusals");
        for (TrialResult r : screened) {
            if (r instanceof TrialResult.Infeasible) {
                assertEquals(ScreeningTrialExecutor.SCREEN, r.execution().executor(), r.reason());
                assertTrue(r.reason().startsWith("params ") && r.reason().endsWith(" is over constraints.max_params "
                        + MAX_PARAMS), r.reason());
                assertTrue(r.metrics().require(Metrics.PARAMS) > MAX_PARAMS);
            } else {
                assertInstanceOf(TrialResult.Completed.class, r, r.reason());
                assertNotEquals(ScreeningTrialExecutor.SCREEN, r.execution().executor());
                assertTrue(r.metrics().require(Metrics.PARAMS) <= MAX_PARAMS);
            }
        }
        assertTrue(console.toString().contains(driverAnswers + " candidates were answered infeasible on the driver, "
                + "without a task"), console::toString);
        assertTrue(console.toString().contains("Finished 10 trials"), console::toString);
        String journal = Files.readString(dir.resolve("screened").resolve("journal.jsonl"));
        assertTrue(journal.contains("\"screened\":" + driverAnswers), journal);

        // the same proposals (random search does not look at results) with the screen off: the executor refuses
        // the same candidates, with the same reasons and figures, and they count as trials
        List<TrialResult> unscreened = search("unscreened", "constraints.screen=false");
        assertEquals(0, ScreeningTrialExecutor.count(unscreened));
        assertEquals(10, unscreened.size());
        for (int i = 0; i < unscreened.size(); i++) {
            TrialResult a = screened.get(i);
            TrialResult b = unscreened.get(i);
            assertEquals(a.candidate().architecture(), b.candidate().architecture());
            assertEquals(a.status(), b.status());
            if (a instanceof TrialResult.Infeasible) {
                assertEquals(a.reason(), b.reason());
                assertEquals(a.metrics(), b.metrics());
            }
        }
    }
}
