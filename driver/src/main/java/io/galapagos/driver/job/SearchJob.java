package io.galapagos.driver.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.galapagos.config.Dl4jTrainerConfig;
import io.galapagos.config.SearchConfig;
import io.galapagos.config.SyntheticTrainerConfig;
import io.galapagos.config.TabularTrainerConfig;
import io.galapagos.config.TrainerConfig;
import io.galapagos.driver.execution.DirectTrialExecutor;
import io.galapagos.driver.execution.InProcessTrialExecutor;
import io.galapagos.driver.execution.SparkContexts;
import io.galapagos.driver.execution.SparkTrialExecutor;
import io.galapagos.driver.execution.TrialExecutor;
import io.galapagos.driver.results.Journal;
import io.galapagos.driver.results.Leaderboard;
import io.galapagos.driver.results.RunOutput;
import io.galapagos.driver.results.StudySummary;
import io.galapagos.driver.results.Timeline;
import io.galapagos.trial.Objective;
import io.galapagos.driver.strategy.SearchStrategy;
import io.galapagos.driver.strategy.Strategies;
import io.galapagos.driver.study.ProgressPrinter;
import io.galapagos.driver.study.Study;
import io.galapagos.driver.study.StudyOutcome;
import io.galapagos.trial.TrialResult;
import io.galapagos.trial.TrialResultJson;
import io.galapagos.trial.TrialRunnerFactory;
import io.galapagos.worker.synthetic.SyntheticRunnerFactory;
import io.galapagos.worker.tabular.TabularRunnerFactory;
import io.galapagos.worker.training.Dl4jRunnerFactory;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * One search, start to finish: output folder, Spark (or, with {@code executor: in_process}, threads of
 * this JVM), study, reports. The trainer decides the runner (DL4J or tabular look-up) and the objective
 * the study, progress lines and leaderboard rank by. The output folder is prepared before Spark starts, so
 * a bad output location fails fast.
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
        Objective objective = config.objective();
        SearchStrategy strategy = Strategies.create(config.strategy(), config.space(), config.objectives(),
                config.seed());
        TrialRunnerFactory factory = runnerFactory(config.trainer());
        boolean inProcess = config.executor() == SearchConfig.ExecutorKind.IN_PROCESS;
        JavaSparkContext sc = inProcess ? null : SparkContexts.create(config.spark(), "galapagos: " + config.name());
        try (Journal journal = output.openJournal();
             TrialExecutor executor = inProcess ? inProcessExecutor(factory) : new SparkTrialExecutor(sc, factory)) {
            String where = inProcess ? "this JVM (in process)" : sc.master();
            journal.append(studyRecord(where, objective));
            int parallelism = config.parallelism() > 0 ? config.parallelism() : executor.slots();
            out.printf(Locale.ROOT, "Galapagos %s: %d trials of %s architectures, %s, %d at a time on %s%n",
                    config.name(), config.trials(), config.space().size(),
                    config.strategy().kind().name().toLowerCase(Locale.ROOT), parallelism, where);
            out.printf("Writing to %s%n", output.folder());
            if (config.scheduling().isGenerational()) {
                out.println("Generational scheduling: each generation waits for its slowest trial, so slots idle "
                        + "(steady state, the default, keeps them busy)");
            }
            Study study = new Study(strategy, executor, config.trials(), config.parallelism(), config.seed(),
                    List.of(journal, new ProgressPrinter(out, objective)), () -> false, config.scheduling());
            StudyOutcome outcome = study.run();
            journal.append(StudySummary.record(outcome));
            output.write(RunOutput.TIMELINE, Timeline.toCsv(outcome.results(), outcome.started()));
            writeReports(output, leaderboard(outcome.results(), objective));
            out.printf(Locale.ROOT, "Finished %d trials in %s.%n", outcome.results().size(),
                    ProgressPrinter.clock(outcome.wallTime()));
            out.println(StudySummary.line(outcome));
            return outcome;
        } finally {
            if (sc != null) {
                sc.stop();
            }
        }
    }

    /** What turns a candidate into a result on the JVM that runs it. */
    static TrialRunnerFactory runnerFactory(TrainerConfig trainer) {
        if (trainer instanceof Dl4jTrainerConfig dl4j) {
            return new Dl4jRunnerFactory(dl4j.data(), dl4j.training());
        }
        if (trainer instanceof TabularTrainerConfig tabular) {
            return new TabularRunnerFactory(tabular);
        }
        if (trainer instanceof SyntheticTrainerConfig synthetic) {
            return new SyntheticRunnerFactory(synthetic);
        }
        throw new IllegalStateException("unknown trainer " + trainer);
    }

    /**
     * In process: parallelism 1 runs each trial on the study's own thread ({@link DirectTrialExecutor}, the
     * fastest for tabular benchmarks, and strictly ordered); otherwise a pool of {@code parallelism} threads,
     * or one per available processor when it is 0.
     */
    private TrialExecutor inProcessExecutor(TrialRunnerFactory factory) {
        if (config.parallelism() == 1) {
            return new DirectTrialExecutor(factory.create());
        }
        int threads = config.parallelism() > 0 ? config.parallelism() : Runtime.getRuntime().availableProcessors();
        return new InProcessTrialExecutor(factory, threads);
    }

    /** DL4J: the trainer's own columns; otherwise the signal, the reported columns, the other objectives. */
    private Leaderboard leaderboard(List<TrialResult> results, Objective objective) {
        if (config.trainer() instanceof Dl4jTrainerConfig) {
            return new Leaderboard(results, objective);
        }
        LinkedHashSet<String> columns = new LinkedHashSet<>();
        columns.add(objective.metric());
        columns.addAll(config.trainer().reported());
        config.objectives().forEach(o -> columns.add(o.metric()));
        return new Leaderboard(results, objective, List.copyOf(columns));
    }

    private ObjectNode studyRecord(String master, Objective objective) {
        ObjectNode record = JSON.createObjectNode();
        record.put("type", "study");
        record.put("name", config.name());
        record.put("seed", config.seed());
        record.put("trials", config.trials());
        record.put("strategy", config.strategy().kind().name().toLowerCase(Locale.ROOT));
        record.put("space_size", config.space().size().toString());
        record.put("trainer", trainerName(config.trainer()));
        record.put("objective", objective.metric());
        record.put("executor", config.executor().text());
        record.put("master", master);
        record.put("scheduling", config.scheduling().mode().text());
        record.put("started", Instant.now().toString());
        return record;
    }

    private static String trainerName(TrainerConfig trainer) {
        if (trainer instanceof TabularTrainerConfig) {
            return "tabular";
        }
        return trainer instanceof SyntheticTrainerConfig ? "synthetic" : "dl4j";
    }

    private void writeReports(RunOutput output, Leaderboard leaderboard) throws IOException {
        output.write(RunOutput.LEADERBOARD, leaderboard.toCsv());
        TrialResult best = leaderboard.ranked().get(0);
        output.write(RunOutput.BEST, TrialResultJson.toJson(best).toPrettyString() + "\n");
        out.println();
        List<String> reported = config.trainer().reported();
        out.printf(Locale.ROOT, "Top 5 by %s%s:%n", config.objective().metric(), reported.isEmpty() ? ""
                : " (" + String.join(", ", reported) + " reported, never used to choose)");
        out.print(leaderboard.table(5));
    }
}
