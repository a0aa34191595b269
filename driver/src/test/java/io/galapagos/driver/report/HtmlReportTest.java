package io.galapagos.driver.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.galapagos.driver.results.RunOutput;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The page as a file: self-contained, its data intact and unable to break out of its script element. */
class HtmlReportTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DATA = Pattern.compile(
            "<script type=\"application/json\" id=\"report-data\">(.*?)</script>", Pattern.DOTALL);

    @TempDir
    Path dir;

    private static JsonNode data(String html) throws IOException {
        Matcher m = DATA.matcher(html);
        assertTrue(m.find(), "the page holds its data");
        return JSON.readTree(m.group(1));
    }

    @Test
    void aSearchReportInlinesEverythingAndKeepsItsDataInsideItsScript() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("out"));
        Files.writeString(folder.resolve(RunOutput.CONFIG), "name: a </script> b\n");
        Files.writeString(folder.resolve(RunOutput.JOURNAL), "{\"type\":\"study\",\"started\":\"2026-01-01T00:00:00Z\","
                + "\"name\":\"<b>x</b>\",\"seed\":1,\"objective\":\"val_accuracy\"}\n");

        String html = HtmlReport.ofSearch(RunOutput.read(folder.toString(), new Configuration()));

        assertTrue(html.contains("<title>Galapagos: &lt;b&gt;x&lt;/b&gt;</title>"), "the title is escaped");
        assertEquals("name: a </script> b\n", data(html).get("config").asText(),
                "a </script> in the data is written as \\u003c and read back intact");
        assertTrue(html.contains("Licensed to the Apache Software Foundation"), "ECharts is inlined with its licence");
        assertTrue(html.contains("echarts.init("), "the page's script is inlined");
        assertFalse(html.contains("{{"), "no placeholder is left");
        assertFalse(Pattern.compile("<script[^>]+src=|<link[^>]+href=").matcher(html).find(),
                "nothing is loaded from elsewhere");
    }

    @Test
    void aBenchReportCarriesTheComparisonAndItsSource() throws IOException {
        JsonNode bench = JSON.readTree("{\"table\":\"t.csv\",\"seeds\":3,\"strategies\":[{\"strategy\":\"random\","
                + "\"budgets\":[{\"budget\":10,\"mean\":90.0,\"sd\":1.0,\"mean_regret\":4.0}]}]}");

        JsonNode data = data(HtmlReport.ofBench(bench, "runs/b.json"));

        assertEquals("bench", data.get("kind").asText());
        assertEquals("runs/b.json", data.get("source").asText());
        assertEquals(bench, data.get("bench"));
    }
}
