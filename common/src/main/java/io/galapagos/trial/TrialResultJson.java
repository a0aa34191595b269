package io.galapagos.trial;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.galapagos.space.Architecture;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The one JSON form of a {@link TrialResult}: a journal {@code result} record, also what crosses the
 * wire between executors and driver. A candidate's fidelity level is written as {@code fidelity} only when it
 * names one; a record without it (every journal written before levels existed) reads as full fidelity.
 * Thread-safe.
 */
public final class TrialResultJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TrialResultJson() {
    }

    public static ObjectNode toJson(TrialResult result) {
        Execution e = result.execution();
        ObjectNode node = candidateJson("result", result.candidate());
        node.put("status", result.status());
        node.put("reason", result.reason());
        ObjectNode metrics = node.putObject("metrics");
        result.metrics().values().forEach(metrics::put);
        node.put("executor", e.executor());
        node.put("host", e.host());
        node.put("pid", e.pid());
        if (e.slot() != Execution.NO_SLOT) {
            node.put("slot", e.slot());
        }
        if (!e.gpus().isEmpty()) {
            e.gpus().forEach(node.putArray("gpus")::add);
        }
        node.put("started", e.started().toString());
        node.put("finished", e.finished().toString());
        if (!e.hardware().isEmpty()) {
            node.put("hardware", e.hardware());
        }
        return node;
    }

    /** One line of JSON, no trailing newline. */
    public static String toLine(TrialResult result) {
        try {
            return MAPPER.writeValueAsString(toJson(result));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static TrialResult fromLine(String line, Function<String, Architecture> parser) {
        try {
            return fromJson(MAPPER.readTree(line), parser);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON result record: " + e.getOriginalMessage());
        }
    }

    /**
     * A record of type {@code type} holding a candidate: {@code trial}, {@code number}, {@code seed},
     * {@code architecture} and, below full fidelity, {@code fidelity}. The journal's {@code proposal} records
     * are exactly this; {@code result} records add the outcome.
     */
    public static ObjectNode candidateJson(String type, Candidate c) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("type", type);
        node.put("trial", c.trialId());
        node.put("number", c.number());
        node.put("seed", c.seed());
        node.put("architecture", c.architecture().text());
        if (!c.fullFidelity()) {
            node.put("fidelity", c.fidelity());
        }
        return node;
    }

    /** The candidate of a record written by {@link #candidateJson} or {@link #toJson}. */
    public static Candidate candidateFromJson(JsonNode node, Function<String, Architecture> parser) {
        return new Candidate(required(node, "number").asInt(),
                parser.apply(required(node, "architecture").asText()), required(node, "seed").asLong(),
                node.path("fidelity").asInt(Candidate.FULL_FIDELITY));
    }

    public static TrialResult fromJson(JsonNode node, Function<String, Architecture> parser) {
        Candidate candidate = candidateFromJson(node, parser);
        Map<String, Double> values = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = required(node, "metrics").fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            values.put(f.getKey(), f.getValue().asDouble());
        }
        Metrics metrics = new Metrics(values);
        List<String> gpus = new ArrayList<>();
        node.path("gpus").forEach(address -> gpus.add(address.asText()));
        Execution execution = new Execution(required(node, "executor").asText(), required(node, "host").asText(),
                node.path("pid").asLong(-1), node.path("slot").asInt(Execution.NO_SLOT), gpus, instant(node, "started"),
                instant(node, "finished"), node.path("hardware").asText(""));
        String status = required(node, "status").asText();
        String reason = node.path("reason").asText("");
        return switch (status) {
            case "completed" -> new TrialResult.Completed(candidate, metrics, execution);
            case "failed" -> new TrialResult.Failed(candidate, reason, metrics, execution);
            case "infeasible" -> new TrialResult.Infeasible(candidate, reason, metrics, execution);
            default -> throw new IllegalArgumentException("unknown trial status '" + status + "'");
        };
    }

    /** A time, as an IllegalArgumentException when damaged, which readers of journals catch per line. */
    private static Instant instant(JsonNode node, String field) {
        String text = required(node, field).asText();
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("result record's '" + field + "' is not a time: '" + text + "'");
        }
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("result record lacks '" + field + "'");
        }
        return value;
    }
}
