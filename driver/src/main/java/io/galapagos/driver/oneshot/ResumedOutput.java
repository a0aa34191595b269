package io.galapagos.driver.oneshot;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.galapagos.config.ConfigLoader;
import io.galapagos.config.OneShotConfig;
import io.galapagos.config.SearchConfig;
import io.galapagos.driver.checkpoint.TrainingKey;
import io.galapagos.driver.report.HtmlReport;
import io.galapagos.driver.results.OutputException;
import io.galapagos.driver.results.RunOutput;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/**
 * The output folder of a weight-sharing search (one-shot, few-shot or DARTS) that a session continues, and what its
 * earlier sessions recorded: the folder must hold a search of the same space and kind, or it is refused before
 * anything starts. Holds the folder's claim until closed (see {@link RunOutput#open}).
 */
record ResumedOutput(RunOutput output, EarlierResults earlier) implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Opens {@code location} for {@code config}'s search.
     *
     * @param sameKind whether the recorded configuration is of this job's kind
     * @param kind     the kind, for the message ("weight sharing", "DARTS")
     * @throws OutputException when the folder holds no search, or one of another space or kind
     */
    static ResumedOutput open(String location, Configuration hadoop, SearchConfig config,
                              Predicate<SearchConfig> sameKind, String kind) throws IOException {
        RunOutput output = RunOutput.open(location, hadoop);
        try {
            return new ResumedOutput(output, checked(output, location, config, sameKind, kind));
        } catch (IOException | RuntimeException e) {
            output.close();
            throw e;
        }
    }

    /** What {@code output}'s earlier sessions recorded, if they searched as {@code config} does. */
    private static EarlierResults checked(RunOutput output, String location, SearchConfig config,
                                          Predicate<SearchConfig> sameKind, String kind) throws IOException {
        SearchConfig recorded = ConfigLoader.parse(output.folder() + "/" + RunOutput.CONFIG,
                output.readText(RunOutput.CONFIG), null, List.of()).config();
        if (!recorded.space().equals(config.space()) || !sameKind.test(recorded)) {
            throw new OutputException(location, "holds another search than this configuration's (another space, "
                    + "or no " + kind + "); resume it with its own configuration");
        }
        // its recorded measurements answer again by architecture: made otherwise, they would not compare with new ones
        if (!TrainingKey.of(recorded).equals(TrainingKey.of(config))) {
            throw new OutputException(location, "was searched with other data or training settings than this "
                    + "configuration's; the cells it retrained would not compare with those trained now: resume it with "
                    + "its own data and training sections");
        }
        if (!recorded.oneshot().map(OneShotConfig::calibrationBatches)
                .equals(config.oneshot().map(OneShotConfig::calibrationBatches))) {
            throw new OutputException(location, "measured its cells on shared weights after recalibrating on "
                    + recorded.oneshot().map(OneShotConfig::calibrationBatches).orElse(0) + " batches, and its "
                    + "measurements would not compare with those made now: resume it with its own calibration_batches");
        }
        return EarlierResults.read(output);
    }

    /**
     * Whether an earlier session finished the search; if so, says so on {@code out} (its reports include {@code file}),
     * and writes its HTML report if the driver died before it did (right after the journal's summary).
     */
    boolean finished(PrintStream out, String file) throws IOException {
        if (earlier.finished()) {
            if (!output.exists(HtmlReport.FILE)) {
                HtmlReport.write(output, out);
            }
            out.printf("%s is finished (its reports and %s are written): nothing to run; start a new search to "
                    + "search again.%n", output.folder(), file);
        }
        return earlier.finished();
    }

    /** Gives back the folder's claim. */
    @Override
    public void close() throws IOException {
        output.close();
    }

    /** Records {@code effectiveYaml} as the search's configuration when the session changed it. */
    void recordConfig(String effectiveYaml) throws IOException {
        if (!effectiveYaml.equals(output.readText(RunOutput.CONFIG))) {
            output.write(RunOutput.CONFIG, effectiveYaml);
        }
    }

    /** The first journal record of a session of {@code config}'s search; each job adds its own fields. */
    static ObjectNode header(SearchConfig config, String recordType, String master, Instant started) {
        ObjectNode header = JSON.createObjectNode();
        header.put("type", recordType);
        header.put("name", config.name());
        header.put("seed", config.seed());
        header.put("strategy", config.strategy().kind().text());
        header.put("space_size", config.space().size().toString());
        header.put("trainer", "dl4j");
        header.put("objective", config.objective().metric());
        header.put("master", master);
        header.put("started", started.toString());
        return header;
    }
}
