package io.galapagos.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTML report in a real browser: {@code bin/galapagos run} trains a small two-objective search with DL4J in
 * Spark {@code local[2]} and writes {@code report.html} at its end; {@code bin/galapagos report} makes it again; and
 * a {@code bin/galapagos bench} comparison gets its own. Each page is drawn in headless Chromium, offline: no
 * console error, no request for anything outside the file, and every chart the page holds drew coloured marks (the
 * search's: best so far against results and against time, accuracy against each cost, the executor timeline, the
 * importance of decisions and the best so far by value). Screenshots are kept under {@code target/} to look at.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ReportBrowserIT {

    private static HeadlessChromium browser;

    @BeforeAll
    static void startBrowser() throws Exception {
        browser = HeadlessChromium.start();
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (browser != null) {
            browser.close();
        }
    }

    private static Path screenshot(String name) {
        return GalapagosLauncher.repo().resolve("integration-tests/target/" + name);
    }

    private static void assertDrawn(HeadlessChromium.PageCheck check, Set<String> expectedCharts) {
        assertEquals(List.of(), check.errors(), "console errors");
        assertEquals(List.of(), check.externalRequests(), "the report must open offline");
        assertTrue(check.renderMillis() > 0, "the page said it had finished drawing");
        assertTrue(check.colouredPixels().keySet().containsAll(expectedCharts),
                "charts " + check.colouredPixels().keySet() + " lack some of " + expectedCharts);
        check.colouredPixels().forEach((chart, pixels) -> assertTrue(pixels > 0, chart + " drew no marks"));
    }

    @Test
    void theReportOfARealSearchDrawsEveryChart(@TempDir Path dir) throws Exception {
        Path data = GalapagosLauncher.repo().resolve("data/fashion-mnist");
        Path config = Files.writeString(dir.resolve("small.yaml"), """
                name: report-check
                seed: 5
                trials: 10
                parallelism: 2
                strategy: {kind: nsga2, population: 4}
                objectives: {minimize: [latency_ms]}
                space:
                  min_blocks: 1
                  max_blocks: 3
                  layers: [conv, maxpool, dense]
                  kernel_sizes: [3]
                  filters: [4, 8]
                  dense_units: [16, 32]
                  activations: [relu, tanh]
                  batch_norm: [false, true]
                  dropout: [0.0]
                  skip_modes: [add]
                data:
                  train_images: %s/train-images-idx3-ubyte.gz
                  train_labels: %s/train-labels-idx1-ubyte.gz
                  test_images: %s/t10k-images-idx3-ubyte.gz
                  test_labels: %s/t10k-labels-idx1-ubyte.gz
                  train_limit: 800
                training: {epochs: 1, max_seconds: 20, batch_size: 50, learning_rate: 0.005, latency_repeats: 5}
                """.formatted(data, data, data, data));
        Path output = dir.resolve("out");
        GalapagosLauncher.Finished run = GalapagosLauncher.run(Map.of(), dir.resolve("run.log"), 240, "run",
                config.toString(), "--master", "local[2]", "--output", output.toString());
        assertEquals(0, run.exitCode(), run.log());
        assertTrue(run.log().contains("Report: "), run.log());

        Set<String> charts = new TreeSet<>(List.of("progress-trials", "progress-time", "cost-params", "cost-flops",
                "cost-latency_ms", "cost-param_bytes", "cost-inference_peak_bytes", "cost-train_peak_bytes",
                "timeline", "importance", "by-value-0"));
        assertDrawn(browser.open(output.resolve("report.html"), screenshot("report-search.png"), Duration.ofSeconds(30)),
                charts);

        Path again = dir.resolve("elsewhere/again.html");
        GalapagosLauncher.Finished report = GalapagosLauncher.run(Map.of(), dir.resolve("report.log"), 60, "report",
                output.toString(), "--out", again.toString());
        assertEquals(0, report.exitCode(), report.log());
        assertDrawn(browser.open(again, screenshot("report-search-again.png"), Duration.ofSeconds(30)), charts);
    }

    @Test
    void theReportOfABenchComparisonDrawsItsCurves(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("bench.json");
        GalapagosLauncher.Finished bench = GalapagosLauncher.run(Map.of(), dir.resolve("bench.log"), 120, "bench",
                "--table", GalapagosLauncher.repo().resolve("benchmarks/nb201/cifar10.csv").toString(),
                "--signal", "val_acc_12ep", "--report", "test_acc_200ep", "--minimize", "latency_ms_pixel3",
                "--budgets", "20,50,100", "--seeds", "20", "--strategies", "random,evolution,nsga2", "--json",
                json.toString());
        assertEquals(0, bench.exitCode(), bench.log());
        GalapagosLauncher.Finished report = GalapagosLauncher.run(Map.of(), dir.resolve("report.log"), 60, "report",
                json.toString());
        assertEquals(0, report.exitCode(), report.log());

        assertDrawn(browser.open(dir.resolve("bench.html"), screenshot("report-bench.png"), Duration.ofSeconds(30)),
                Set.of("bench-curves", "bench-hypervolume"));
    }
}
