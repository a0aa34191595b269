package io.galapagos.driver.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.galapagos.config.SearchConfig;
import io.galapagos.driver.execution.SparkContexts;
import io.galapagos.driver.execution.SparkTrialExecutor;
import io.galapagos.driver.execution.TrialExecutor;
import io.galapagos.driver.results.Journal;
import io.galapagos.driver.results.Leaderboard;
import io.galapagos.driver.results.RunOutput;
import io.galapagos.trial.Objective;
import io.galapagos.driver.strategy.SearchStrategy;
import io.galapagos.driver.strategy.Strategies;
import io.galapagos.driver.study.ProgressPrinter;
import io.galapagos.driver.study.Study;
import io.galapagos.driver.study.StudyOutcome;
import io.galapagos.trial.TrialResult;
import io.galapagos.trial.TrialResultJson;
import io.galapagos.worker.training.Dl4jRunnerFactory;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * One search, start to finish: output folder, Spark, study, reports. The output folder is prepared
 * before Spark starts, so a bad output location fails fast.
 */
public final class SearchJob {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SearchConfig config;
    private final String effectiveYaml;
    private final PrintStream out;

    public SearchJob(SearchConfig config, String effectiveYaml, PrintStream out) {
        this.config = config;
        this.effectiveYaml = effectiveYaml;
        this.out = out;
    }

    public StudyOutcome run(String outputLocation) throws IOException, InterruptedException {
        RunOutput output = RunOutput.create(outputLocation, new Configuration());
        output.write(RunOutput.CONFIG, effectiveYaml);
        Objective objective = Objective.VALIDATION_ACCURACY;
        SearchStrategy strategy = Strategies.create(config.strategy(), config.space(), objective, config.seed());
        JavaSparkContext sc = SparkContexts.create(config.spark(), "galapagos: " + config.name());
        try (Journal journal = output.openJournal();
             TrialExecutor executor = new SparkTrialExecutor(sc,
                     new Dl4jRunnerFactory(config.data(), config.training()))) {
            journal.append(studyRecord(sc.master()));
            int parallelism = config.parallelism() > 0 ? config.parallelism() : executor.slots();
            out.printf(Locale.ROOT, "Galapagos %s: %d trials of %s architectures, %s, %d at a time on %s%n",
                    config.name(), config.trials(), config.space().size(),
                    config.strategy().kind().name().toLowerCase(Locale.ROOT), parallelism, sc.master());
            out.printf("Writing to %s%n", output.folder());
            Study study = new Study(strategy, executor, config.trials(), parallelism, config.seed(),
                    List.of(journal, new ProgressPrinter(out, objective)));
            StudyOutcome outcome = study.run();
            writeReports(output, new Leaderboard(outcome.results(), objective));
            out.printf(Locale.ROOT, "Finished %d trials in %s.%n", outcome.results().size(),
                    ProgressPrinter.clock(outcome.wallTime()));
            return outcome;
        } finally {
            sc.stop();
        }
    }

    private ObjectNode studyRecord(String master) {
        ObjectNode record = JSON.createObjectNode();
        record.put("type", "study");
        record.put("name", config.name());
        record.put("seed", config.seed());
        record.put("trials", config.trials());
        record.put("strategy", config.strategy().kind().name().toLowerCase(Locale.ROOT));
        record.put("space_size", config.space().size().toString());
        record.put("master", master);
        record.put("started", Instant.now().toString());
        return record;
    }

    private void writeReports(RunOutput output, Leaderboard leaderboard) throws IOException {
        output.write(RunOutput.LEADERBOARD, leaderboard.toCsv());
        TrialResult best = leaderboard.ranked().get(0);
        output.write(RunOutput.BEST, TrialResultJson.toJson(best).toPrettyString() + "\n");
        out.println();
        out.println("Top 5 by validation accuracy (test accuracy is reported, never used to choose):");
        out.print(leaderboard.table(5));
    }
}
