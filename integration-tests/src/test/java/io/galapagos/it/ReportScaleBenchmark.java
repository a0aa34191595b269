package io.galapagos.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.galapagos.config.ConfigLoader;
import io.galapagos.config.SearchConfig;
import io.galapagos.driver.report.HtmlReport;
import io.galapagos.driver.results.Journal;
import io.galapagos.driver.results.RunOutput;
import io.galapagos.space.Architecture;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Execution;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialResult;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The report at scale: a journal of 10,000 results (architectures drawn from the quickstart's macro space, two
 * objectives, a fifth of them infeasible or failed, four slots) made into a report, its size measured, and the page
 * drawn in headless Chromium. Prints the figures; asserts only that the page drew every chart without an error, since
 * times on a shared machine are for reading, not for failing a build. Run it with
 * {@code mvn -q -DskipTests install && mvn verify -pl integration-tests -Dit.test=ReportScaleBenchmark}.
 */
class ReportScaleBenchmark {

    private static final int RESULTS = 10_000;

    @TempDir
    Path dir;

    @Test
    void reportOfTenThousandResults() throws Exception {
        SearchConfig config = ConfigLoader.load(GalapagosLauncher.repo().resolve("conf/quickstart.yaml"), List.of())
                .config();
        RunOutput output = RunOutput.create(dir.resolve("search").toString(), new Configuration());
        output.write(RunOutput.CONFIG, Files.readString(GalapagosLauncher.repo().resolve("conf/quickstart.yaml")));
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        SplittableRandom random = new SplittableRandom(1);
        try (Journal journal = output.openJournal(false)) {
            ObjectNode study = new ObjectMapper().createObjectNode().put("type", Journal.STUDY)
                    .put("started", start.toString()).put("name", "scale").put("seed", 1).put("trials", RESULTS)
                    .put("strategy", "evolution").put("objective", Metrics.VAL_ACCURACY);
            study.putArray("objectives").add(Metrics.VAL_ACCURACY).add(Metrics.LATENCY_MS);
            journal.append(study);
            double[] slotFree = new double[4];
            for (int n = 0; n < RESULTS; n++) {
                Architecture architecture = config.space().sample(random);
                int slot = n % slotFree.length;
                double seconds = 5 + 20 * random.nextDouble();
                Instant started = start.plusMillis((long) (1000 * (slotFree[slot] + 0.2)));
                slotFree[slot] += 0.2 + seconds;
                Execution ran = new Execution("e" + slot, "host", 1, slot, List.of(), started,
                        started.plusMillis((long) (1000 * seconds)), "cpu");
                double params = Math.exp(8 + 5 * random.nextDouble());
                Metrics metrics = Metrics.EMPTY.with(Metrics.VAL_ACCURACY, 0.5 + 0.4 * random.nextDouble())
                        .with(Metrics.TEST_ACCURACY, 0.5 + 0.4 * random.nextDouble()).with(Metrics.PARAMS, params)
                        .with(Metrics.FLOPS, 4 * params).with(Metrics.LATENCY_MS, params / 20_000)
                        .with(Metrics.PARAM_BYTES, 4 * params).with(Metrics.INFERENCE_PEAK_BYTES, 3 * params)
                        .with(Metrics.TRAIN_SECONDS, seconds);
                Candidate candidate = new Candidate(n, architecture, n);
                double draw = random.nextDouble();
                TrialResult result = draw < 0.15
                        ? new TrialResult.Infeasible(candidate, "latency_ms over constraints.max_latency_ms", metrics, ran)
                        : draw < 0.2 ? new TrialResult.Failed(candidate, "diverged", Metrics.EMPTY, ran)
                        : new TrialResult.Completed(candidate, metrics, ran);
                journal.finished(result, n + 1, RESULTS);
            }
        }

        long begin = System.nanoTime();
        String html = HtmlReport.ofSearch(output);
        double buildSeconds = (System.nanoTime() - begin) / 1e9;
        Path page = Files.writeString(dir.resolve(HtmlReport.FILE), html, StandardCharsets.UTF_8);
        long bytes = Files.size(page);

        Path screenshot = GalapagosLauncher.repo().resolve("integration-tests/target/report-10000.png");
        HeadlessChromium.PageCheck check;
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            check = browser.open(page, screenshot, Duration.ofSeconds(60));
        }
        System.out.printf(Locale.ROOT, "Report of %,d results: %.2f MB (%,d bytes), made in %.2f s; drawn in "
                        + "headless Chromium in %.0f ms (the page's own clock, from navigation to the last chart); "
                        + "screenshot %s%n", RESULTS, bytes / 1e6, bytes, buildSeconds, check.renderMillis(), screenshot);
        assertEquals(List.of(), check.errors());
        assertEquals(List.of(), check.externalRequests());
        check.colouredPixels().forEach((chart, pixels) -> assertTrue(pixels > 0, chart + " drew no marks"));
    }
}
