package io.galapagos.driver.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.galapagos.driver.results.OutputException;
import io.galapagos.driver.results.RunOutput;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the report reads from golden journals: every kind of result, fidelities, a torn line, an empty search. */
class SearchReportDataTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static String study(String objectives) {
        return "{\"type\":\"study\",\"started\":\"2026-01-01T00:00:00Z\",\"name\":\"golden\",\"seed\":5,\"trials\":9,"
                + "\"strategy\":\"evolution\",\"objective\":\"val_accuracy\"" + objectives + "}";
    }

    /** A result record as the journal writes it; {@code fidelity} is raw JSON (a level, or "supernet") or null. */
    private static String result(int n, String architecture, String status, String reason, String fidelity,
                                 int slot, int startSecond, int endSecond, String metrics) {
        return "{\"type\":\"result\",\"trial\":\"trial-" + n + "\",\"number\":" + n + ",\"seed\":" + n
                + ",\"architecture\":\"" + architecture + "\"" + (fidelity == null ? "" : ",\"fidelity\":" + fidelity)
                + ",\"status\":\"" + status + "\"" + (reason == null ? "" : ",\"reason\":\"" + reason + "\"")
                + ",\"metrics\":{" + metrics + "},\"executor\":\"1\",\"host\":\"h\",\"pid\":7,\"slot\":" + slot
                + ",\"started\":\"2026-01-01T00:00:" + String.format("%02d", startSecond) + "Z\",\"finished\":"
                + "\"2026-01-01T00:00:" + String.format("%02d", endSecond) + "Z\",\"hardware\":\"cpu\"}";
    }

    private RunOutput output(String name, List<String> lines, String tail) throws IOException {
        Path folder = Files.createDirectories(dir.resolve(name));
        Files.writeString(folder.resolve(RunOutput.CONFIG), "name: golden\n");
        Files.writeString(folder.resolve(RunOutput.JOURNAL), String.join("\n", lines) + "\n" + tail);
        return RunOutput.read(folder.toString(), new Configuration());
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asInt()));
        return values;
    }

    @Test
    void everyKindOfResultIsAColumnEntryAndOnlyFullFidelityCompletedOnesCount() throws IOException {
        RunOutput output = output("mixed", List.of(study(",\"objectives\":[\"val_accuracy\",\"latency_ms\"]"),
                "{\"type\":\"proposal\",\"trial\":\"trial-0\",\"number\":0,\"seed\":0,\"architecture\":\"dense8:relu\"}",
                result(0, "dense8:relu", "completed", null, null, 0, 1, 3, "\"val_accuracy\":0.8,\"latency_ms\":2.0,\"params\":100"),
                result(1, "dense16:relu", "completed", null, null, 1, 1, 4, "\"val_accuracy\":0.85,\"latency_ms\":3.0,\"params\":200"),
                result(2, "dense4:tanh", "completed", null, null, 0, 3, 5, "\"val_accuracy\":0.7,\"latency_ms\":1.0,\"params\":50"),
                result(3, "dense8:tanh", "completed", null, null, 1, 4, 6, "\"val_accuracy\":0.75,\"latency_ms\":2.5,\"params\":100"),
                result(4, "dense32:relu", "failed", "diverged: loss is NaN", null, 0, 5, 7, ""),
                result(5, "dense64:relu", "infeasible", "latency_ms 9 is over constraints.max_latency_ms 5 <here>",
                        null, -1, 7, 7, "\"val_accuracy\":0.9,\"latency_ms\":9.0"),
                result(6, "dense8:relu", "completed", null, "\"supernet\"", 1, 6, 8, "\"val_accuracy\":0.99"),
                "{\"type\":\"summary\",\"trials\":7,\"wall_seconds\":8.0}"),
                result(7, "dense8:relu", "completed", null, null, 0, 8, 9, "\"val_accuracy\":0.5"));

        ObjectNode data = SearchReportData.read(output);

        JsonNode r = data.get("results");
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6), ints(r.get("trial")), "journal order, the torn last line left out");
        assertEquals(List.of("completed", "failed", "infeasible"), JSON.convertValue(r.get("statuses"), List.class));
        assertEquals(List.of(0, 0, 0, 0, 1, 2, 0), ints(r.get("status")));
        assertEquals(List.of(1, 1, 1, 1, 0, 0, 0), ints(r.get("counts")), "failed, infeasible and supernet do not count");
        assertEquals("supernet", r.get("fidelities").get(r.get("fidelity").get(6).asInt()).asText());
        // (0.85, 3.0), (0.8, 2.0) and (0.7, 1.0) trade accuracy for latency; (0.75, 2.5) is beaten by (0.8, 2.0)
        assertEquals(List.of(1, 1, 1, 0, 0, 0, 0), ints(r.get("pareto")));
        assertEquals(0, ints(r.get("arch")).get(6), "an architecture seen before is written once");
        assertEquals(6, r.get("architectures").size());
        assertEquals(List.of(-1, -1, -1, -1, 0, 1, -1), ints(r.get("reason")));
        assertEquals(List.of(0, 1, 0, 1, 0, -1, 1), ints(r.get("slot")));
        assertEquals(1.0, r.get("start").get(0).asDouble(), "seconds from the study's start");
        assertEquals(4.0, r.get("end").get(1).asDouble());
        assertTrue(r.get("metrics").get("params").get(4).isNull(), "a metric a result lacks is null");
        assertEquals(List.of("latency_ms", "params"), JSON.convertValue(r.get("costs"), List.class),
                "the search's own objective first");
        assertEquals(2, data.get("objectives").size());
        assertEquals("min", data.get("objectives").get(1).get("goal").asText());
        assertEquals(1, data.get("sessions").size());
        assertEquals(1, data.get("problems").size());
        assertTrue(data.get("problems").get(0).asText().contains("torn"), data.get("problems").toString());
        assertEquals("name: golden\n", data.get("config").asText());
        // slots 0 and 1 from second 1 to 8: 6 + 7 busy seconds of 2 x 7 slot-seconds (the driver's answer has no slot)
        assertEquals(13.0 / 14, r.get("busy_fraction").asDouble(), 1e-5);
    }

    /** A resumed study: the time between its sessions, when no driver ran, is no slot's idle time. */
    @Test
    void theBusyFractionIsEachSessionsNotTheTimeBetweenThem() throws IOException {
        RunOutput output = output("resumed", List.of(study(""),
                result(0, "dense8:relu", "completed", null, null, 0, 0, 10, "\"val_accuracy\":0.8"),
                "{\"type\":\"summary\",\"trials\":1,\"wall_seconds\":10.0}",
                "{\"type\":\"resume\",\"results\":1,\"rerun\":0}",
                result(1, "dense16:relu", "completed", null, null, 0, 50, 59, "\"val_accuracy\":0.7"),
                result(2, "dense4:relu", "completed", null, null, 1, 50, 55, "\"val_accuracy\":0.6")), "");
        JsonNode r = SearchReportData.read(output).get("results");
        // session 1: one slot busy 10 of 10 seconds; session 2: two slots busy 9 + 5 of 2 x 9 seconds
        assertEquals((10.0 + 14) / (10 + 18), r.get("busy_fraction").asDouble(), 1e-5);
    }

    /**
     * Counted results carry their leaderboard rank, computed on the exact values: two that round alike in the report
     * keep the CSV's order; a result that does not count has rank 0.
     */
    @Test
    void ranksAreTheLeaderboardsOnExactValues() throws IOException {
        RunOutput output = output("ranks", List.of(study(""),
                result(0, "dense8:relu", "completed", null, null, 0, 0, 1, "\"val_accuracy\":0.8"),
                result(1, "dense16:relu", "completed", null, null, 0, 1, 2, "\"val_accuracy\":0.91234559"),
                result(2, "dense4:relu", "completed", null, null, 0, 2, 3, "\"val_accuracy\":0.91234561"),
                result(3, "dense2:relu", "failed", "diverged", null, 0, 3, 4, "")), "");
        JsonNode r = SearchReportData.read(output).get("results");
        assertEquals(List.of(3, 2, 1, 0), ints(r.get("rank")));
        assertEquals(r.get("metrics").get("val_accuracy").get(1), r.get("metrics").get("val_accuracy").get(2),
                "the two round alike in the report");
    }

    /** The trials a resume asked for (its record's {@code trials}) are the study's, not the first session's. */
    @Test
    void theTrialsAreTheLastResumesWhenItGaveThem() throws IOException {
        String first = result(0, "dense8:relu", "completed", null, null, 0, 0, 10, "\"val_accuracy\":0.8");
        assertEquals(9, SearchReportData.read(output("first", List.of(study(""), first), ""))
                .get("study").get("trials").asInt());
        RunOutput resumed = output("extended", List.of(study(""), first,
                "{\"type\":\"resume\",\"trials\":20,\"results\":1,\"rerun\":0}",
                "{\"type\":\"resume\",\"results\":1,\"rerun\":0}"), "");
        assertEquals(20, SearchReportData.read(resumed).get("study").get("trials").asInt());
    }

    @Test
    void inAMultiFidelitySearchOnlyTheHighestLevelCounts() throws IOException {
        RunOutput output = output("levels", List.of(study(""),
                result(0, "dense8:relu", "completed", null, "0", 0, 1, 2, "\"val_accuracy\":0.9"),
                result(1, "dense16:relu", "completed", null, "1", 0, 2, 3, "\"val_accuracy\":0.6"),
                result(2, "dense16:relu", "completed", null, "2", 0, 3, 5, "\"val_accuracy\":0.7")), "");

        JsonNode r = SearchReportData.read(output).get("results");

        assertEquals(List.of(0, 0, 1), ints(r.get("counts")));
        assertEquals(List.of("level 0", "level 1", "level 2"), JSON.convertValue(r.get("fidelities"), List.class));
        assertEquals(List.of(0, 0, 0), ints(r.get("pareto")), "one objective: no front");
    }

    /** A tabular search minimising a table's column: no trainer metric, its front still charted; NaN ranks nothing. */
    @Test
    void aBenchmarkTablesObjectiveIsACostAndANonFiniteScoreDoesNotCount() throws IOException {
        RunOutput output = output("table", List.of(study(",\"objectives\":[\"val_accuracy\",\"latency_ms_pixel3\"]"),
                result(0, "dense8:relu", "completed", null, null, 0, 1, 2, "\"val_accuracy\":0.8,\"latency_ms_pixel3\":2.0"),
                result(1, "dense16:relu", "completed", null, null, 0, 2, 3, "\"val_accuracy\":\"NaN\",\"latency_ms_pixel3\":1.0"),
                result(2, "dense4:tanh", "completed", null, null, 0, 3, 4, "\"val_accuracy\":0.9,\"latency_ms_pixel3\":3.0,\"flops\":12345678")),
                "");

        ObjectNode data = SearchReportData.read(output);

        JsonNode r = data.get("results");
        assertEquals(List.of("latency_ms_pixel3", "flops"), JSON.convertValue(r.get("costs"), List.class));
        assertEquals(12345678L, r.get("metrics").get("flops").get(2).asLong(), "a count is not rounded");
        assertEquals(0.9, r.get("metrics").get("val_accuracy").get(2).asDouble());
        assertEquals(List.of(1, 0, 1), ints(r.get("counts")), "a NaN accuracy is not a score");
        assertEquals(List.of(1, 0, 1), ints(r.get("pareto")));
        assertEquals(2, data.get("decisions").get("counted").asInt());
    }

    /**
     * A resumed weight-sharing session journals again, answered from the cache, what earlier sessions measured (its
     * results have a phase): drawn once. A cache answer outside a phase (a warm start's, even of an architecture the
     * journal holds) is a counted trial of this search, drawn.
     */
    @Test
    void aWeightSharingSessionsCacheAnswerOfAResultTheJournalHoldsIsDrawnOnce() throws IOException {
        String measured = phased(result(0, "dense8:relu", "completed", null, "\"supernet\"", 0, 1, 2,
                "\"val_accuracy\":0.9"));
        RunOutput output = output("resumed", List.of(study(""), measured,
                result(1, "dense16:relu", "completed", null, null, 0, 2, 4, "\"val_accuracy\":0.8"),
                "{\"type\":\"summary\",\"trials\":2}",
                cached(phased(result(2, "dense8:relu", "completed", null, "\"supernet\"", 0, 5, 5,
                        "\"val_accuracy\":0.9"))),
                cached(result(3, "dense16:relu", "completed", null, null, 0, 5, 5, "\"val_accuracy\":0.8"))), "");

        JsonNode r = SearchReportData.read(output).get("results");

        assertEquals(List.of(0, 1, 3), ints(r.get("trial")));
    }

    private static String phased(String result) {
        return result.replace("{\"type\":\"result\",", "{\"type\":\"result\",\"phase\":\"search\",");
    }

    private static String cached(String result) {
        return result.replace("\"executor\":\"1\"", "\"executor\":\"cache\"");
    }

    @Test
    void anEmptySearchHasEmptyColumnsAndNoDecisions() throws IOException {
        ObjectNode data = SearchReportData.read(output("empty", List.of(study("")), ""));

        assertEquals(0, data.get("results").get("trial").size());
        assertEquals(0, data.get("results").get("costs").size());
        assertEquals(0, data.get("decisions").get("importance").size());
        assertEquals(0, data.get("decisions").get("counted").asInt());
    }

    @Test
    void aJournalWithoutAStudyRecordIsNotASearch() throws IOException {
        RunOutput output = output("headless", List.of(result(0, "dense8:relu", "completed", null, null, 0, 1, 2,
                "\"val_accuracy\":0.9")), "");

        OutputException e = assertThrows(OutputException.class, () -> SearchReportData.read(output));
        assertTrue(e.getMessage().contains("no readable study record"), e.getMessage());
    }

    @Test
    void theDecisionThatDecidesTheObjectiveRanksFirstAndItsValuesAreListed() throws IOException {
        // 60 cells whose accuracy is set by the operation on edge node3<-0 alone
        String[] ops = {"none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"};
        Random random = new Random(3);
        List<String> lines = new ArrayList<>(List.of(study("")));
        for (int n = 0; n < 60; n++) {
            int[] edges = random.ints(6, 0, ops.length).toArray();
            StringBuilder cell = new StringBuilder("|");
            int edge = 0;
            for (int node = 1; node <= 3; node++) {
                for (int from = 0; from < node; from++) {
                    cell.append(ops[edges[edge++]]).append('~').append(from).append('|');
                }
                cell.append(node < 3 ? "+|" : "");
            }
            double accuracy = 0.5 + 0.1 * edges[3] + 0.001 * random.nextDouble();
            lines.add(result(n, cell.toString(), "completed", null, null, 0, 1, 2, "\"val_accuracy\":" + accuracy));
        }

        JsonNode decisions = SearchReportData.read(output("cells", lines, "")).get("decisions");

        assertEquals(60, decisions.get("counted").asInt());
        assertEquals("node3<-0", decisions.get("importance").get(0).get("decision").asText(), decisions.toString());
        assertTrue(decisions.get("importance").get(0).get("importance").asDouble() > 0.8, decisions.toString());
        JsonNode byValue = decisions.get("by_value").get(0);
        assertEquals("node3<-0", byValue.get("decision").asText());
        assertEquals(60, byValue.get("codes").size());
        assertEquals(5, byValue.get("values").size());
    }
}
