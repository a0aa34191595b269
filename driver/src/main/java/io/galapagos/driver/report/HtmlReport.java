package io.galapagos.driver.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.galapagos.driver.results.RunOutput;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The report as one self-contained HTML file that opens offline: the page's data as JSON, Apache ECharts (inlined
 * from its WebJar at build time) and the page's own script, which draws the charts in the browser. Stateless.
 */
public final class HtmlReport {

    /** The report's name inside a search's output folder. */
    public static final String FILE = "report.html";
    /** The ECharts build the driver's pom unpacks from the WebJar; the version is the pom's. */
    static final String ECHARTS = "META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Z_]+)}}");

    private HtmlReport() {
    }

    /** The report of the search in {@code output}, from its journal and configuration. */
    public static String ofSearch(RunOutput output) throws IOException {
        ObjectNode data = SearchReportData.read(output);
        return page("Galapagos: " + data.path("study").path("name").asText("search"), data);
    }

    /**
     * Writes the report of the search in {@code output} into its folder, at the end of a search. The results are
     * already safe in the journal and the CSV files, so a report that cannot be made is said in one line, not a failed
     * search; {@code galapagos report} makes it again.
     */
    public static void write(RunOutput output, PrintStream out) {
        try {
            output.write(FILE, ofSearch(output));
            out.printf("Report: %s/%s%n", output.folder(), FILE);
        } catch (IOException | RuntimeException e) {
            out.printf("Report: %s was not written (%s); galapagos report %s makes it again%n", FILE, e, output.folder());
        }
    }

    /**
     * The report of a {@code galapagos bench} comparison: each strategy's curve over budgets, with its spread.
     *
     * @param source where the JSON was read, for the page's header
     */
    public static String ofBench(JsonNode bench, String source) {
        ObjectNode data = JSON.createObjectNode();
        data.put("kind", "bench");
        data.put("source", source);
        data.put("generated", Instant.now().toString());
        data.set("bench", bench);
        return page("Galapagos benchmark: " + bench.path("table").asText("strategies"), data);
    }

    private static String page(String title, ObjectNode data) {
        Map<String, String> parts = Map.of("TITLE", escape(title), "DATA", scriptSafe(data),
                "ECHARTS", resource(ECHARTS), "REPORT_JS", resource("io/galapagos/driver/report/report.js"));
        // One pass over the template, so that nothing inserted is read again as a placeholder.
        Matcher m = PLACEHOLDER.matcher(resource("io/galapagos/driver/report/report.html"));
        StringBuilder html = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(html, Matcher.quoteReplacement(parts.get(m.group(1))));
        }
        return m.appendTail(html).toString();
    }

    /** JSON inside a script element: a {@code <} in a string (an architecture, a reason) must not close it. */
    private static String scriptSafe(JsonNode data) {
        try {
            return JSON.writeValueAsString(data).replace("<", "\\u003c");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("report data could not be written as JSON", e);
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String resource(String name) {
        try (InputStream in = HtmlReport.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the driver's classes (built by its pom)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
