package io.galapagos.driver.oneshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.galapagos.driver.results.Journal;
import io.galapagos.driver.results.RunOutput;
import io.galapagos.space.Architecture;
import io.galapagos.trial.TrialResult;
import io.galapagos.trial.TrialResultJson;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What earlier sessions of a weight-sharing search recorded, for a resumed session to answer from instead of
 * measuring or training again: the completed and infeasible results of each phase by architecture (failed ones run
 * again), and whether a session finished. A torn or unreadable line (a session killed while writing it) is skipped.
 *
 * @param finished    whether a session wrote the search's summary (it ended)
 * @param dartsEpochs the DARTS epoch records ({@link DartsJob#EPOCH_RECORD}), in journal order
 */
record EarlierResults(Map<Phase, Map<String, TrialResult>> byPhase, boolean finished, List<JsonNode> dartsEpochs) {

    static final EarlierResults NONE = new EarlierResults(Map.of(), false, List.of());

    private static final ObjectMapper JSON = new ObjectMapper();

    EarlierResults {
        Map<Phase, Map<String, TrialResult>> copy = new EnumMap<>(Phase.class);
        byPhase.forEach((phase, results) -> copy.put(phase, Map.copyOf(results)));
        byPhase = copy;
        dartsEpochs = List.copyOf(dartsEpochs);
    }

    /** The repeatable results of {@code phase} by architecture text. */
    Map<String, TrialResult> of(Phase phase) {
        return byPhase.getOrDefault(phase, Map.of());
    }

    /** How many results all phases hold. */
    int size() {
        return byPhase.values().stream().mapToInt(Map::size).sum();
    }

    static EarlierResults read(RunOutput output) throws IOException {
        Map<Phase, Map<String, TrialResult>> byPhase = new EnumMap<>(Phase.class);
        boolean finished = false;
        List<JsonNode> dartsEpochs = new ArrayList<>();
        for (Path segment : output.journalSegments()) {
            String text;
            try (FSDataInputStream in = output.fileSystem().open(segment)) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            int end = text.lastIndexOf('\n'); // what follows the last end of line is torn
            for (String line : text.substring(0, end + 1).split("\n")) {
                JsonNode record;
                try {
                    record = JSON.readTree(line);
                } catch (IOException e) {
                    continue;
                }
                String type = record.path("type").asText();
                finished |= type.equals(Journal.SUMMARY);
                if (type.equals(DartsJob.EPOCH_RECORD)) {
                    dartsEpochs.add(record);
                }
                Phase phase = Phase.of(record.path("phase").asText());
                if (!type.equals(Journal.RESULT) || phase == null) {
                    continue;
                }
                try {
                    TrialResult result = TrialResultJson.fromJson(record, Architecture::parse);
                    if (!(result instanceof TrialResult.Failed)) {
                        byPhase.computeIfAbsent(phase, p -> new HashMap<>())
                                .put(result.candidate().architecture().text(), result);
                    }
                } catch (IllegalArgumentException e) {
                    // a damaged record: that trial runs again
                }
            }
        }
        return new EarlierResults(byPhase, finished, dartsEpochs);
    }
}
