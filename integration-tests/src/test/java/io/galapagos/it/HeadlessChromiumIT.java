package io.galapagos.it;

import io.galapagos.it.HeadlessChromium.PageCheck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link HeadlessChromium} on small pages written for each test: what it counts, collects and captures is known
 * exactly, so the browser tests of the real report can trust it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HeadlessChromiumIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private static HeadlessChromium chromium;

    @TempDir
    Path dir;

    @BeforeAll
    static void startChromium() throws Exception {
        chromium = HeadlessChromium.start();
    }

    @AfterAll
    static void stopChromium() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void countsTheColouredPixelsOfEachChartAndCapturesTheWholePage() throws Exception {
        // fillRect on integer coordinates draws without antialiasing, so chart a's red and blue areas are exact;
        // chart b has only black and grey, like axes and labels. The spacer makes the page taller than the window.
        // The inline image must not count as a network request.
        Path page = page("charts.html", """
                <img src="data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' width='8' height='8'/>">
                <div class="chart" id="a"><canvas></canvas><canvas></canvas></div>
                <div class="chart" id="b"><canvas></canvas></div>
                <div style="height: 1500px"></div>
                <script>
                  const [first, second, grey] = [...document.querySelectorAll('canvas')].map(c => c.getContext('2d'));
                  first.fillStyle = 'rgb(255, 0, 0)';
                  first.fillRect(10, 20, 30, 40);
                  second.fillStyle = 'rgb(0, 0, 255)';
                  second.fillRect(0, 0, 5, 5);
                  grey.strokeStyle = '#888';
                  grey.strokeRect(10.5, 10.5, 200, 100);
                  grey.fillStyle = '#000';
                  grey.fillRect(20, 20, 50, 50);
                  grey.font = '16px sans-serif';
                  grey.fillText('axis 0 10 20', 20, 100);
                  document.documentElement.dataset.rendered = '12.5';
                </script>
                """);

        PageCheck check = chromium.open(page, dir.resolve("charts.png"), TIMEOUT);

        assertEquals(Map.of("a", 30 * 40 + 5 * 5, "b", 0), check.colouredPixels());
        assertEquals(12.5, check.renderMillis());
        assertEquals(List.of(), check.errors());
        assertEquals(List.of(), check.externalRequests());
        byte[] png = Files.readAllBytes(check.screenshot());
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(png, PNG_SIGNATURE.length));
        // IHDR, the first chunk, starts with the width and the height
        assertEquals(HeadlessChromium.WIDTH, ByteBuffer.wrap(png, 16, 4).getInt());
        assertTrue(ByteBuffer.wrap(png, 20, 4).getInt() > 1500, "the screenshot holds the page below the window");
    }

    @Test
    void collectsConsoleErrorsUncaughtExceptionsAndWarningsOfThatPageOnly() throws Exception {
        Path noisy = page("noisy.html", """
                <script>
                  console.error('boom');
                  console.warn('careful');
                  setTimeout(() => { throw new Error('bang'); });
                  setTimeout(() => document.documentElement.dataset.rendered = 'error');
                </script>
                """);
        Path quiet = page("quiet.html", "<script>document.documentElement.dataset.rendered = '1';</script>");

        PageCheck check = chromium.open(noisy, dir.resolve("noisy.png"), TIMEOUT);
        PageCheck next = chromium.open(quiet, dir.resolve("quiet.png"), TIMEOUT);

        assertEquals(2, check.errors().size(), check.errors()::toString);
        assertTrue(check.errors().get(0).contains("boom"), check.errors()::toString);
        assertTrue(check.errors().get(1).contains("Error: bang"), check.errors()::toString);
        assertEquals(1, check.warnings().size(), check.warnings()::toString);
        assertTrue(check.warnings().get(0).contains("careful"), check.warnings()::toString);
        assertTrue(Double.isNaN(check.renderMillis()));
        assertEquals(List.of(), next.errors());
        assertEquals(List.of(), next.warnings());
    }

    @Test
    void reportsRequestsToTheNetwork() throws Exception {
        // Chromium blocks port 9 (discard) as unsafe without connecting, at once; the page asked for it all the same
        Path page = page("fetches.html", """
                <img src="http://127.0.0.1:9/x.png">
                <script>document.documentElement.dataset.rendered = '3';</script>
                """);

        PageCheck check = chromium.open(page, dir.resolve("fetches.png"), TIMEOUT);

        assertEquals(List.of("http://127.0.0.1:9/x.png"), check.externalRequests());
    }

    @Test
    void failsWithinTheTimeoutWhenThePageNeverSaysItHasDrawn() throws Exception {
        Path page = page("endless.html", "<p>still drawing</p>");
        Duration timeout = Duration.ofSeconds(2);
        long start = System.nanoTime();

        TimeoutException failure = assertThrows(TimeoutException.class,
                () -> chromium.open(page, dir.resolve("endless.png"), timeout));

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(failure.getMessage().contains("never finished"), failure::getMessage);
        // beside the timeout, a tab opened and closed and the page loaded, which a loaded machine can make slow; what
        // this guards against is the browser's own 30 s call timeout
        assertTrue(took.compareTo(timeout.plusSeconds(10)) < 0, "took " + took);
    }

    private Path page(String name, String body) throws Exception {
        return Files.writeString(dir.resolve(name), "<!doctype html>\n<html><body style=\"margin: 0\">\n" + body
                + "</body></html>\n");
    }
}
