package io.galapagos.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium for browser tests of pages that must work offline: {@link #open} loads a local HTML
 * file in a fresh tab, waits until the page says it has drawn, and reports the errors it logged, what it tried to
 * fetch from the network, how many coloured pixels each chart drew and a full-page screenshot. Driven with the
 * Chrome DevTools Protocol over the JDK's WebSocket, one browser for many pages.
 *
 * <p>The page says it has drawn by setting {@code data-rendered} on {@code <html>} to the milliseconds drawing
 * took, or to {@code error}. The browser is {@code /usr/bin/chromium}, or what the environment variable
 * {@value #EXECUTABLE_VARIABLE} names.
 */
final class HeadlessChromium implements AutoCloseable {

    /**
     * What a page did until it said it had drawn. {@code colouredPixels} maps the id of each {@code .chart[id]}
     * element to the pixels of its canvases that are neither grey nor transparent: chart marks are coloured,
     * axes, grid lines and labels are not. {@code renderMillis} is NaN when the page said {@code error}.
     */
    record PageCheck(List<String> errors, List<String> warnings, List<String> externalRequests,
                     Map<String, Integer> colouredPixels, double renderMillis, Path screenshot) {
    }

    static final int WIDTH = 1400;
    static final int HEIGHT = 900;

    private static final String EXECUTABLE_VARIABLE = "CHROMIUM";
    private static final Path DEFAULT_EXECUTABLE = Path.of("/usr/bin/chromium");
    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static final Duration CALL = Duration.ofSeconds(30);
    private static final Duration STOP = Duration.ofSeconds(10);
    private static final long POLL_MILLIS = 50;
    private static final Set<String> LOCAL_SCHEMES = Set.of("file", "data", "blob", "about");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String STATE = "[document.readyState, document.documentElement?.dataset.rendered ?? null]";
    private static final String COLOURED_PIXELS = """
            (() => {
              const counts = {};
              for (const chart of document.querySelectorAll('.chart[id]')) {
                counts[chart.id] = 0;
                for (const canvas of chart.querySelectorAll('canvas')) {
                  if (canvas.width === 0 || canvas.height === 0) continue;
                  const rgba = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
                  for (let i = 0; i < rgba.length; i += 4) {
                    const r = rgba[i], g = rgba[i + 1], b = rgba[i + 2];
                    if (rgba[i + 3] > 0 && Math.max(r, g, b) - Math.min(r, g, b) > 60) counts[chart.id]++;
                  }
                }
              }
              return counts;
            })()""";

    private final Process browser;
    private final Path profile;
    private final DevTools devTools;
    // Chromium outlives a test JVM that exits without close(), a fork killed for its timeout for one
    private final Thread shutdownHook;

    private HeadlessChromium(Process browser, Path profile, DevTools devTools) {
        this.browser = browser;
        this.profile = profile;
        this.devTools = devTools;
        this.shutdownHook = new Thread(() -> stop(browser));
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts the browser with a fresh profile and connects to it; stops it again if that fails. */
    static HeadlessChromium start() throws IOException, InterruptedException {
        Path executable = executable();
        Path profile = Files.createTempDirectory("headless-chromium-");
        Path log = profile.resolve("chromium.log");
        Process browser = new ProcessBuilder(command(executable, profile))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            return new HeadlessChromium(browser, profile, DevTools.connect(devToolsUri(browser, profile, log)));
        } catch (IOException | RuntimeException | InterruptedException e) {
            stop(browser);
            deleteRecursively(profile);
            throw e;
        }
    }

    private static Path executable() {
        String named = System.getenv(EXECUTABLE_VARIABLE);
        Path executable = named == null || named.isBlank() ? DEFAULT_EXECUTABLE : Path.of(named);
        if (!Files.isExecutable(executable)) {
            throw new IllegalStateException("no Chromium at " + executable + ": .ci/run installs Debian's chromium "
                    + "package; the environment variable " + EXECUTABLE_VARIABLE + " names another");
        }
        return executable;
    }

    private static List<String> command(Path executable, Path profile) {
        // without the background-networking flags Chromium reaches out to Google at start, which a closed network
        // refuses; port 0 lets Chromium pick a free port, which it writes to DevToolsActivePort
        return List.of(executable.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--remote-debugging-port=0", "--window-size=" + WIDTH + "," + HEIGHT,
                "--force-device-scale-factor=1", "about:blank");
    }

    private static URI devToolsUri(Process browser, Path profile, Path log) throws IOException, InterruptedException {
        Path activePort = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!browser.isAlive()) {
                throw new IOException("Chromium exited with " + browser.exitValue() + " before it listened for "
                        + "DevTools:\n" + Files.readString(log));
            }
            // the port and the browser's WebSocket path, one a line: a file caught half-written has one line
            List<String> lines = Files.exists(activePort) ? Files.readAllLines(activePort) : List.of();
            if (lines.size() >= 2) {
                return URI.create("ws://127.0.0.1:" + lines.get(0) + lines.get(1));
            }
            Thread.sleep(POLL_MILLIS);
        }
        throw new IOException("Chromium did not listen for DevTools within " + STARTUP + ":\n" + Files.readString(log));
    }

    /**
     * Opens {@code html} in a new tab and waits, at most {@code timeout}, until the page has set
     * {@code data-rendered} and has finished loading (so that everything it asked the network for has been
     * asked); then counts the charts' coloured pixels and writes a full-page PNG screenshot. Each page gets its
     * own tab, closed afterwards, so that nothing one page logs is counted for the next.
     *
     * @throws TimeoutException when the page did not finish in time, with what it had logged and fetched so far
     */
    PageCheck open(Path html, Path screenshot, Duration timeout)
            throws IOException, InterruptedException, TimeoutException {
        String target = devTools.call(null, "Target.createTarget", Map.of("url", "about:blank"), CALL)
                .path("targetId").asText();
        try {
            PageEvents events = new PageEvents();
            String session = devTools.attach(target, events);
            try {
                return check(session, html, screenshot, timeout, events);
            } finally {
                devTools.detach(session);
            }
        } finally {
            devTools.call(null, "Target.closeTarget", Map.of("targetId", target), CALL);
        }
    }

    /** Enables the event domains before navigating, so that nothing the page does early is missed. */
    private PageCheck check(String session, Path html, Path screenshot, Duration timeout, PageEvents events)
            throws IOException, InterruptedException, TimeoutException {
        for (String domain : List.of("Runtime", "Log", "Network")) {
            devTools.call(session, domain + ".enable", Map.of(), CALL);
        }
        // the page lays out in the same viewport whatever size headless Chromium gives a new tab
        devTools.call(session, "Emulation.setDeviceMetricsOverride", viewport(HEIGHT), CALL);
        JsonNode navigation = devTools.call(session, "Page.navigate", Map.of("url", html.toUri().toString()), CALL);
        if (navigation.has("errorText")) {
            throw new IOException("Chromium could not open " + html + ": " + navigation.get("errorText").asText());
        }
        double renderMillis = awaitRendered(session, html, timeout, events);
        Map<String, Integer> colouredPixels = colouredPixels(session);
        capture(session, screenshot);
        return events.check(colouredPixels, renderMillis, screenshot);
    }

    /** Done once the page has set data-rendered and has loaded, so that all it asked the network for was asked. */
    private double awaitRendered(String session, Path html, Duration timeout, PageEvents events)
            throws IOException, InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode state = null;
        while (System.nanoTime() < deadline) {
            try {
                state = evaluate(session, STATE, Duration.ofNanos(deadline - System.nanoTime()));
            } catch (TimeoutException busy) {
                break;
            }
            if (state.get(0).asText().equals("complete") && state.get(1).isTextual()) {
                return renderMillis(html, state.get(1).asText());
            }
            Thread.sleep(POLL_MILLIS);
        }
        // a page too busy to answer keeps the state it last answered
        String last = state == null ? "it never answered" : "[readyState, data-rendered] was " + state;
        throw new TimeoutException(html + " never finished within " + timeout
                + " (data-rendered set, document loaded): " + last + "; " + events);
    }

    private static double renderMillis(Path html, String rendered) throws IOException {
        if (rendered.equals("error")) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(rendered);
        } catch (NumberFormatException e) {
            throw new IOException(html + " set data-rendered to '" + rendered + "', neither milliseconds nor 'error'");
        }
    }

    private Map<String, Integer> colouredPixels(String session)
            throws IOException, InterruptedException, TimeoutException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        evaluate(session, COLOURED_PIXELS, CALL).fields()
                .forEachRemaining(chart -> counts.put(chart.getKey(), chart.getValue().asInt()));
        return Collections.unmodifiableMap(counts);
    }

    /** Makes the viewport as tall as the page first, so that nothing below the fold is missing or cut. */
    private void capture(String session, Path screenshot) throws IOException, InterruptedException, TimeoutException {
        JsonNode content = devTools.call(session, "Page.getLayoutMetrics", Map.of(), CALL).path("cssContentSize");
        int height = (int) Math.ceil(content.path("height").asDouble());
        if (height > HEIGHT) {
            devTools.call(session, "Emulation.setDeviceMetricsOverride", viewport(height), CALL);
        }
        JsonNode png = devTools.call(session, "Page.captureScreenshot",
                Map.of("format", "png", "captureBeyondViewport", true), CALL);
        Files.write(screenshot, Base64.getDecoder().decode(png.path("data").asText()));
    }

    private static Map<String, Object> viewport(int height) {
        return Map.of("width", WIDTH, "height", height, "deviceScaleFactor", 1, "mobile", false);
    }

    private JsonNode evaluate(String session, String expression, Duration timeout)
            throws IOException, InterruptedException, TimeoutException {
        JsonNode result = devTools.call(session, "Runtime.evaluate",
                Map.of("expression", expression, "returnByValue", true), timeout);
        if (result.has("exceptionDetails")) {
            throw new IOException("the page could not evaluate " + expression + ": "
                    + result.path("exceptionDetails").path("exception").path("description").asText());
        }
        return result.path("result").path("value");
    }

    /** Kills the browser and the processes it started, and deletes the profile. */
    @Override
    public void close() throws IOException {
        devTools.abort();
        stop(browser);
        deleteRecursively(profile);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs by itself, and finds the browser gone
        }
    }

    /** SIGTERM lets Chromium end its renderer and utility processes itself; SIGKILL what is left after that. */
    private static void stop(Process browser) {
        List<ProcessHandle> tree = Stream.concat(browser.descendants(), Stream.of(browser.toHandle()))
                .collect(Collectors.toList());
        browser.destroy();
        try {
            browser.onExit().get(STOP.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException stuck) {
            // killed below
        }
        tree.forEach(ProcessHandle::destroyForcibly);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.delete(path);
            }
        }
    }

    /** What one tab reported, from the WebSocket's thread, until the check is read. */
    private static final class PageEvents implements Consumer<JsonNode> {
        private final List<String> errors = new ArrayList<>();
        private final List<String> warnings = new ArrayList<>();
        private final List<String> externalRequests = new ArrayList<>();

        @Override
        public synchronized void accept(JsonNode event) {
            JsonNode params = event.path("params");
            switch (event.path("method").asText()) {
                case "Runtime.consoleAPICalled" -> console(params);
                case "Runtime.exceptionThrown" -> errors.add(exception(params.path("exceptionDetails")));
                case "Log.entryAdded" -> log(params.path("entry"));
                case "Network.requestWillBeSent" -> request(params.path("request").path("url").asText());
                default -> {
                }
            }
        }

        private void console(JsonNode call) {
            String text = "console." + call.path("type").asText() + ": " + arguments(call.path("args"));
            switch (call.path("type").asText()) {
                case "error" -> errors.add(text);
                case "warning" -> warnings.add(text);
                default -> {
                }
            }
        }

        private static String arguments(JsonNode args) {
            List<String> texts = new ArrayList<>();
            // primitives come with their value, objects with a description such as "Error: ..." or "Array(3)"
            args.forEach(arg -> texts.add(arg.has("value") ? arg.get("value").asText()
                    : arg.path("description").asText()));
            return String.join(" ", texts);
        }

        private static String exception(JsonNode details) {
            JsonNode thrown = details.path("exception");
            // "Uncaught" and what was thrown: an Error's description is its stack, a thrown primitive has a value
            return details.path("text").asText() + " "
                    + thrown.path("description").asText(thrown.path("value").asText());
        }

        private void log(JsonNode entry) {
            String text = entry.path("source").asText() + ": " + entry.path("text").asText()
                    + (entry.hasNonNull("url") ? " (" + entry.get("url").asText() + ")" : "");
            switch (entry.path("level").asText()) {
                case "error" -> errors.add(text);
                case "warning" -> warnings.add(text);
                default -> {
                }
            }
        }

        private void request(String url) {
            // not URI.create: a data: URL's text need not be a valid URI
            if (!LOCAL_SCHEMES.contains(url.substring(0, Math.max(0, url.indexOf(':'))).toLowerCase(Locale.ROOT))) {
                externalRequests.add(url);
            }
        }

        synchronized PageCheck check(Map<String, Integer> colouredPixels, double renderMillis, Path screenshot) {
            return new PageCheck(List.copyOf(errors), List.copyOf(warnings), List.copyOf(externalRequests),
                    colouredPixels, renderMillis, screenshot);
        }

        @Override
        public synchronized String toString() {
            return "errors " + errors + ", warnings " + warnings + ", external requests " + externalRequests;
        }
    }

    /**
     * The browser's DevTools WebSocket. Tabs are flat sessions on it: their events carry the session id and go to
     * that tab's consumer; a command waits for the reply with its id.
     */
    private static final class DevTools implements WebSocket.Listener {
        private final AtomicInteger ids = new AtomicInteger();
        private final Map<Integer, CompletableFuture<JsonNode>> replies = new ConcurrentHashMap<>();
        private final Map<String, Consumer<JsonNode>> sessions = new ConcurrentHashMap<>();
        private final StringBuilder message = new StringBuilder();
        private volatile WebSocket socket;
        private volatile Throwable lost;

        static DevTools connect(URI uri) throws IOException {
            DevTools devTools = new DevTools();
            try {
                devTools.socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, devTools)
                        .get(CALL.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException | ExecutionException | TimeoutException e) {
                throw new IOException("could not connect to Chromium's DevTools at " + uri, e);
            }
            return devTools;
        }

        /** Attaches to a tab; its events go to {@code events} until {@link #detach}. */
        String attach(String target, Consumer<JsonNode> events)
                throws IOException, InterruptedException, TimeoutException {
            String session = call(null, "Target.attachToTarget", Map.of("targetId", target, "flatten", true), CALL)
                    .path("sessionId").asText();
            sessions.put(session, events);
            return session;
        }

        void detach(String session) {
            sessions.remove(session);
        }

        /** Sends a command (to the browser when {@code session} is null) and returns its result. */
        JsonNode call(String session, String method, Map<String, ?> params, Duration timeout)
                throws IOException, InterruptedException, TimeoutException {
            int id = ids.incrementAndGet();
            ObjectNode command = JSON.createObjectNode().put("id", id).put("method", method);
            command.set("params", JSON.valueToTree(params));
            if (session != null) {
                command.put("sessionId", session);
            }
            CompletableFuture<JsonNode> reply = new CompletableFuture<>();
            replies.put(id, reply);
            try {
                send(command.toString());
                JsonNode answer = reply.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
                if (answer.has("error")) {
                    throw new IOException(method + " failed: " + answer.get("error"));
                }
                return answer.path("result");
            } catch (ExecutionException e) {
                throw new IOException(method + ": lost the connection to Chromium", e.getCause());
            } catch (TimeoutException e) {
                throw new TimeoutException(method + " got no answer within " + timeout);
            } finally {
                replies.remove(id);
            }
        }

        /** The WebSocket takes one message at a time: a second send before the first is done fails. */
        private synchronized void send(String text) throws IOException {
            if (lost != null) {
                throw new IOException("lost the connection to Chromium", lost);
            }
            socket.sendText(text, true).join();
        }

        void abort() {
            socket.abort();
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            message.append(data);
            if (last) {
                dispatch(message.toString());
                message.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        /** A message it cannot handle fails the waiting commands and all later ones, with the cause. */
        private void dispatch(String text) {
            try {
                JsonNode json = JSON.readTree(text);
                if (json.has("id")) {
                    CompletableFuture<JsonNode> reply = replies.get(json.get("id").asInt());
                    if (reply != null) {
                        reply.complete(json);
                    }
                } else {
                    sessions.getOrDefault(json.path("sessionId").asText(), event -> { }).accept(json);
                }
            } catch (IOException | RuntimeException e) {
                fail(e);
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            fail(new IOException("Chromium closed DevTools: " + statusCode + " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            fail(error);
        }

        /** Fails the commands waiting for replies, which would otherwise wait for their timeouts. */
        private void fail(Throwable error) {
            lost = error;
            replies.values().forEach(reply -> reply.completeExceptionally(error));
        }
    }
}
