package io.galapagos.driver.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.galapagos.driver.checkpoint.CachingTrialExecutor;
import io.galapagos.driver.results.Journal;
import io.galapagos.driver.results.JournalRecords;
import io.galapagos.driver.results.OutputException;
import io.galapagos.driver.results.ParetoFront;
import io.galapagos.driver.results.RunOutput;
import io.galapagos.driver.study.Utilisation;
import io.galapagos.space.Architecture;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.Objective;
import io.galapagos.trial.TrialResult;
import io.galapagos.trial.TrialResultJson;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a search's report shows, read from its output folder alone (journal and configuration, so that a report can be
 * made of any search, finished or running, wherever the folder can be read): the JSON the page draws from.
 *
 * <p>Results are columns, one entry per journaled result in the order they finished, with each architecture text
 * and reason written once: a journal of 10,000 results must make a report of a few megabytes. Numbers keep 6
 * significant digits, whole numbers (parameters, FLOPs, bytes) all of theirs. A result <em>counts</em> towards the best-so-far, the leaderboard's ranking and which decisions
 * matter when it completed at full fidelity (or, in a multi-fidelity search, at the highest level reached): a
 * cheaper fidelity's accuracy, or one measured on shared weights, is not comparable with it.
 */
final class SearchReportData {

    /** How many decisions the page charts the best-so-far of, value by value. */
    static final int DECISIONS_BY_VALUE = 3;
    /** The metrics charted against the objective, when the results have them. */
    static final List<String> COSTS = List.of(Metrics.PARAMS, Metrics.FLOPS, Metrics.LATENCY_MS, Metrics.PARAM_BYTES,
            Metrics.INFERENCE_PEAK_BYTES, Metrics.TRAIN_PEAK_BYTES, Metrics.MEASURED_TRAIN_BYTES);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUPERNET = "supernet";
    private static final MathContext DIGITS = new MathContext(6);

    private SearchReportData() {
    }

    /** One journaled result with what the trial's JSON holds beyond the {@link TrialResult}. */
    /** @param session which session of the study recorded it, from 0: the busy fraction is each session's */
    private record Row(TrialResult result, String fidelity, String phase, int session) {
    }

    /**
     * @throws OutputException when the journal has no study record
     */
    static ObjectNode read(RunOutput output) throws IOException {
        JournalRecords journal = JournalRecords.read(output);
        JsonNode study = null;
        List<Row> rows = new ArrayList<>();
        Set<String> recorded = new HashSet<>();
        ArrayNode sessions = JSON.createArrayNode();
        List<String> problems = new ArrayList<>(journal.problems());
        int session = 0;
        JsonNode trials = null;
        for (JournalRecords.Line line : journal.records()) {
            switch (line.type()) {
                case Journal.STUDY -> study = study == null ? line.record() : study;
                case Journal.RESUME -> {
                    session++;
                    // a resume may ask for more trials than the first session did
                    trials = line.record().hasNonNull("trials") ? line.record().get("trials") : trials;
                }
                case Journal.SUMMARY -> sessions.add(line.record());
                case Journal.RESULT -> {
                    try {
                        Row row = row(line.record(), session);
                        String key = row.phase() + "|" + row.fidelity() + "|"
                                + row.result().candidate().architecture().text();
                        // a resumed weight-sharing session (its results have phases) answers again from the cache
                        // what this journal holds
                        if (recorded.add(key) || row.phase().isEmpty()
                                || !row.result().execution().executor().equals(CachingTrialExecutor.CACHE)) {
                            rows.add(row);
                        }
                    } catch (IllegalArgumentException e) {
                        problems.add(line.where() + " is not a valid result record (" + e.getMessage() + "); skipped");
                    }
                }
                default -> {
                    // proposals, resumes and the weight-sharing phases' own records draw nothing
                }
            }
        }
        if (study == null) {
            throw new OutputException(output.folder().toString(), "has no readable study record in its journal");
        }
        List<Objective> objectives = objectives(study);
        ObjectNode data = JSON.createObjectNode();
        data.put("kind", "search");
        data.put("generated", Instant.now().toString());
        data.put("output", output.folder().toString());
        ObjectNode studyNow = study.deepCopy();
        if (trials != null) {
            studyNow.set("trials", trials);
        }
        data.set("study", studyNow);
        data.put("config", output.exists(RunOutput.CONFIG) ? output.readText(RunOutput.CONFIG) : "");
        ArrayNode goals = data.putArray("objectives");
        objectives.forEach(o -> goals.addObject().put("metric", o.metric())
                .put("goal", o.goal() == Objective.Goal.MAXIMIZE ? "max" : "min"));
        data.set("sessions", sessions);
        problems.forEach(data.putArray("problems")::add);
        boolean[] counted = counted(rows, objectives.get(0));
        data.set("results", results(rows, counted, objectives, start(study)));
        data.set("decisions", decisions(rows, counted, objectives.get(0), study.path("seed").asLong(0)));
        return data;
    }

    private static Row row(JsonNode record, int session) {
        TrialResult result = TrialResultJson.fromJson(record, Architecture::parse);
        JsonNode fidelity = record.path("fidelity");
        String label = fidelity.isMissingNode() ? "full"
                : fidelity.isNumber() ? "level " + fidelity.asInt() : fidelity.asText();
        return new Row(result, label, record.path("phase").asText(""), session);
    }

    /** The study's objectives: the first maximised, any others (a multi-objective search's costs) minimised. */
    private static List<Objective> objectives(JsonNode study) {
        List<Objective> objectives = new ArrayList<>();
        objectives.add(Objective.maximize(study.path("objective").asText(Metrics.VAL_ACCURACY)));
        JsonNode more = study.path("objectives");
        for (int i = 1; i < more.size(); i++) {
            objectives.add(Objective.minimize(more.get(i).asText()));
        }
        return objectives;
    }

    private static Instant start(JsonNode study) {
        try {
            return Instant.parse(study.path("started").asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Which rows count towards rankings (see the class comment). */
    private static boolean[] counted(List<Row> rows, Objective objective) {
        int highest = rows.stream().filter(r -> isCompleted(r) && !r.fidelity().equals(SUPERNET))
                .mapToInt(r -> r.result().candidate().fidelity()).max().orElse(0);
        boolean[] counted = new boolean[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            counted[i] = isCompleted(r) && !r.fidelity().equals(SUPERNET)
                    && (r.result().candidate().fullFidelity() || r.result().candidate().fidelity() == highest)
                    && isFinite(objective.score(r.result()));
        }
        return counted;
    }

    /** A score of NaN or infinity (a benchmark table's gap, a diverged metric) ranks nothing. */
    private static boolean isFinite(OptionalDouble score) {
        return score.isPresent() && Double.isFinite(score.getAsDouble());
    }

    private static boolean isCompleted(Row r) {
        return r.result() instanceof TrialResult.Completed;
    }

    private static ObjectNode results(List<Row> rows, boolean[] counted, List<Objective> objectives,
                                      Instant studyStart) {
        ObjectNode columns = JSON.createObjectNode();
        Indexed architectures = new Indexed();
        Indexed reasons = new Indexed();
        Indexed statuses = new Indexed();
        Indexed fidelities = new Indexed();
        Indexed phases = new Indexed();
        Indexed hosts = new Indexed();
        ArrayNode trial = columns.putArray("trial");
        ArrayNode arch = columns.putArray("arch");
        ArrayNode status = columns.putArray("status");
        ArrayNode reason = columns.putArray("reason");
        ArrayNode fidelity = columns.putArray("fidelity");
        ArrayNode phase = columns.putArray("phase");
        ArrayNode counts = columns.putArray("counts");
        ArrayNode pareto = columns.putArray("pareto");
        ArrayNode rank = columns.putArray("rank");
        int[] ranks = ranks(rows, counted, objectives);
        ArrayNode slot = columns.putArray("slot");
        ArrayNode host = columns.putArray("host");
        ArrayNode start = columns.putArray("start");
        ArrayNode end = columns.putArray("end");
        Set<Integer> front = front(rows, counted, objectives);
        Instant origin = studyStart != null ? studyStart : rows.stream().map(r -> r.result().execution().started())
                .min(Comparator.naturalOrder()).orElse(Instant.EPOCH);
        Set<String> metricNames = new TreeSet<>();
        rows.forEach(r -> metricNames.addAll(r.result().metrics().values().keySet()));
        Map<String, ArrayNode> metrics = new LinkedHashMap<>();
        ObjectNode metricColumns = columns.putObject("metrics");
        metricNames.forEach(name -> metrics.put(name, metricColumns.putArray(name)));
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            TrialResult result = r.result();
            trial.add(result.candidate().number());
            arch.add(architectures.of(result.candidate().architecture().text()));
            status.add(statuses.of(result.status()));
            reason.add(result.reason().isEmpty() ? -1 : reasons.of(result.reason()));
            fidelity.add(fidelities.of(r.fidelity()));
            phase.add(phases.of(r.phase()));
            counts.add(counted[i] ? 1 : 0);
            pareto.add(front.contains(i) ? 1 : 0);
            rank.add(ranks[i]);
            slot.add(result.execution().slot());
            host.add(hosts.of(result.execution().host()));
            start.add(round(seconds(origin, result.execution().started())));
            end.add(round(seconds(origin, result.execution().finished())));
            Map<String, Double> values = result.metrics().values();
            metrics.forEach((name, column) -> {
                Double v = values.get(name);
                if (v == null || !Double.isFinite(v)) {
                    column.addNull();
                } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                    // counts (parameters, FLOPs, bytes) exactly: rounded, 12,345,678 FLOPs would show as 12,345,700
                    column.add((long) v.doubleValue());
                } else {
                    column.add(round(v));
                }
            });
        }
        columns.set("architectures", architectures.texts());
        columns.set("reasons", reasons.texts());
        columns.set("statuses", statuses.texts());
        columns.set("fidelities", fidelities.texts());
        columns.set("phases", phases.texts());
        columns.set("hosts", hosts.texts());
        // a multi-objective search's own objectives first: a tabular benchmark's costs are none of the trainer's
        Set<String> costNames = new LinkedHashSet<>();
        objectives.subList(1, objectives.size()).forEach(o -> costNames.add(o.metric()));
        costNames.addAll(COSTS);
        ArrayNode costs = columns.putArray("costs");
        costNames.stream().filter(metricNames::contains).forEach(costs::add);
        Set<String> hardware = new LinkedHashSet<>();
        rows.forEach(r -> hardware.add(r.result().execution().hardware()));
        hardware.remove("");
        hardware.forEach(columns.putArray("hardware")::add);
        columns.put("busy_fraction", round(busyFraction(rows)));
        return columns;
    }

    /**
     * Each counted row's rank, from 1, as {@code leaderboard.csv} ranks them on the exact values (the report's are
     * rounded, and would tie where the CSV does not); 0 for the others.
     */
    private static int[] ranks(List<Row> rows, boolean[] counted, List<Objective> objectives) {
        Comparator<TrialResult> ranking = Objective.ranking(objectives);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (counted[i]) {
                order.add(i);
            }
        }
        order.sort((a, b) -> ranking.compare(rows.get(a).result(), rows.get(b).result()));
        int[] ranks = new int[rows.size()];
        for (int k = 0; k < order.size(); k++) {
            ranks[order.get(k)] = k + 1;
        }
        return ranks;
    }

    /** Row numbers of the Pareto front among the counted rows, with several objectives; none with one. */
    private static Set<Integer> front(List<Row> rows, boolean[] counted, List<Objective> objectives) {
        Set<Integer> members = new HashSet<>();
        if (objectives.size() < 2) {
            return members;
        }
        List<TrialResult> weighed = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (counted[i]) {
                weighed.add(rows.get(i).result());
            }
        }
        Set<TrialResult> front = new HashSet<>(ParetoFront.of(weighed, objectives, m -> OptionalDouble.empty()).members());
        for (int i = 0; i < rows.size(); i++) {
            if (counted[i] && front.contains(rows.get(i).result())) {
                members.add(i);
            }
        }
        return members;
    }

    /**
     * The slots' busy fraction over each session's time from its first trial's start to its last one's end (the page's
     * timeline): the time between sessions, when no driver ran, is no slot's idle time.
     */
    private static double busyFraction(List<Row> rows) {
        Map<Integer, List<TrialResult>> bySession = new TreeMap<>();
        rows.stream().filter(r -> r.result().execution().slot() >= 0)
                .forEach(r -> bySession.computeIfAbsent(r.session(), s -> new ArrayList<>()).add(r.result()));
        double busy = 0;
        double capacity = 0;
        for (List<TrialResult> slotted : bySession.values()) {
            Instant first = slotted.stream().map(r -> r.execution().started()).min(Comparator.naturalOrder()).orElseThrow();
            Instant last = slotted.stream().map(r -> r.execution().finished()).max(Comparator.naturalOrder()).orElseThrow();
            int slots = (int) slotted.stream().mapToInt(r -> r.execution().slot()).distinct().count();
            Utilisation session = Utilisation.of(slotted, List.of(new Utilisation.SlotCount(first, slots)), first, last);
            busy += session.busySeconds();
            capacity += session.slotSeconds();
        }
        return capacity > 0 ? busy / capacity : 0;
    }

    /**
     * Which decisions matter for the objective over the counted results, and, for the most important ones, every
     * result's value of them (the page draws the best-so-far per value).
     */
    private static ObjectNode decisions(List<Row> rows, boolean[] counted, Objective objective, long seed) {
        Decisions.Table table = Decisions.table(rows.stream().map(r -> r.result().candidate().architecture()).toList());
        List<String[]> values = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (counted[i]) {
                values.add(table.values().get(i));
                scores.add(objective.score(rows.get(i).result()).getAsDouble());
            }
        }
        List<DecisionImportance> importances = DecisionImportances.of(table.names(), values,
                scores.stream().mapToDouble(Double::doubleValue).toArray(), seed);
        ObjectNode node = JSON.createObjectNode();
        node.put("counted", values.size());
        ArrayNode ranked = node.putArray("importance");
        importances.stream().filter(d -> d.importance() > 0).forEach(d -> ranked.addObject()
                .put("decision", d.decision()).put("importance", round(d.importance()))
                .put("main_effect", round(d.mainEffect())));
        ArrayNode byValue = node.putArray("by_value");
        importances.stream().filter(d -> d.importance() > 0).limit(DECISIONS_BY_VALUE).forEach(d -> {
            int j = table.names().indexOf(d.decision());
            Indexed levels = new Indexed();
            ObjectNode decision = byValue.addObject().put("decision", d.decision());
            ArrayNode codes = decision.putArray("codes");
            table.values().forEach(row -> codes.add(levels.of(row[j])));
            decision.set("values", levels.texts());
        });
        return node;
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }

    private static double round(double value) {
        return Double.isFinite(value) ? new BigDecimal(value).round(DIGITS).doubleValue() : value;
    }

    /** Texts numbered in first-seen order, so that each is written once. */
    private static final class Indexed {
        private final Map<String, Integer> numbers = new LinkedHashMap<>();

        int of(String text) {
            return numbers.computeIfAbsent(text, t -> numbers.size());
        }

        ArrayNode texts() {
            ArrayNode texts = JSON.createArrayNode();
            numbers.keySet().forEach(texts::add);
            return texts;
        }
    }
}
