package io.galapagos.driver.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.galapagos.config.ConfigException;
import io.galapagos.config.ConfigLoader;
import io.galapagos.config.Dl4jTrainerConfig;
import io.galapagos.config.Dl4jTraining;
import io.galapagos.config.Overrides;
import io.galapagos.config.RecoveryConfig;
import io.galapagos.config.SearchConfig;
import io.galapagos.config.StrategyConfig;
import io.galapagos.config.SyntheticTrainerConfig;
import io.galapagos.config.TabularTrainerConfig;
import io.galapagos.config.TextTrainerConfig;
import io.galapagos.text.Vocabulary;
import io.galapagos.worker.training.TextTrainingData;
import io.galapagos.config.TrainerConfig;
import io.galapagos.driver.checkpoint.CachingTrialExecutor;
import io.galapagos.driver.checkpoint.Checkpointer;
import io.galapagos.driver.checkpoint.Recovery;
import io.galapagos.driver.checkpoint.SnapshotStore;
import io.galapagos.driver.checkpoint.TrainingKey;
import io.galapagos.driver.checkpoint.WarmStart;
import io.galapagos.driver.execution.DirectTrialExecutor;
import io.galapagos.driver.execution.InProcessTrialExecutor;
import io.galapagos.driver.execution.SparkContexts;
import io.galapagos.driver.execution.ScreeningTrialExecutor;
import io.galapagos.driver.execution.SparkTrialExecutor;
import io.galapagos.driver.execution.TrialExecutor;
import io.galapagos.driver.report.HtmlReport;
import io.galapagos.driver.results.Journal;
import io.galapagos.driver.results.JournalHistory;
import io.galapagos.driver.results.Leaderboard;
import io.galapagos.driver.results.OutputException;
import io.galapagos.driver.results.ParetoFront;
import io.galapagos.driver.results.RunOutput;
import io.galapagos.driver.results.StudySummary;
import io.galapagos.driver.results.Timeline;
import io.galapagos.driver.strategy.SearchStrategy;
import io.galapagos.driver.strategy.Strategies;
import io.galapagos.driver.study.FailureGuard;
import io.galapagos.driver.study.ProgressPrinter;
import io.galapagos.driver.study.Study;
import io.galapagos.driver.study.StudyOutcome;
import io.galapagos.driver.study.StudyStart;
import io.galapagos.driver.study.TimeBudget;
import io.galapagos.driver.study.TrialBudget;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.Objective;
import io.galapagos.trial.TrialResult;
import io.galapagos.trial.TrialResultJson;
import io.galapagos.trial.TrialRunnerFactory;
import io.galapagos.worker.synthetic.SyntheticRunnerFactory;
import io.galapagos.worker.tabular.TabularRunnerFactory;
import io.galapagos.worker.training.Dl4jRunnerFactory;
import io.galapagos.worker.HadoopFileSystems;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * One search session, start to finish: output folder, Spark (or, with {@code executor: in_process}, threads
 * of this JVM), study, reports. A new search ({@link #run}) may be warm-started from an earlier one; an
 * interrupted one is continued with {@link #resume}. The trainer decides the runner (DL4J, tabular look-up or
 * synthetic) and the objective the study, progress lines and leaderboard rank by. The output folder is
 * prepared, and every earlier state read, before Spark starts, so bad input fails fast.
 */
public final class SearchJob {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Sets the latency profile's random stream apart from the strategy's, which the study's seed also seeds. */
    private static final long PROFILE_SEED_SALT = 0x9E3779B97F4A7C15L;

    private final SearchConfig config;
    private final String effectiveYaml;
    private final PrintStream out;
    private final Configuration hadoop;

    public SearchJob(SearchConfig config, String effectiveYaml, PrintStream out) {
        this.config = config;
        this.effectiveYaml = effectiveYaml;
        this.out = out;
        this.hadoop = HadoopFileSystems.configuration(config.spark().conf());
    }

    /**
     * The search recorded in {@code outputLocation}, with its own configuration and {@code overrides}, which must give
     * again every secret the recorded configuration holds redacted.
     */
    public static SearchJob of(String outputLocation, List<String> overrides, PrintStream out) throws IOException {
        // the output's own file system may need the overrides' settings (its s3a keys) before config.yaml is read
        RunOutput output = RunOutput.read(outputLocation,
                HadoopFileSystems.configuration(Overrides.of("--set", overrides).sparkConf()));
        ConfigLoader.Loaded loaded = ConfigLoader.parse(output.folder() + "/" + RunOutput.CONFIG,
                output.readText(RunOutput.CONFIG), null, overrides).withSecrets();
        return new SearchJob(loaded.config(), loaded.effectiveYaml(), out);
    }

    public SearchConfig config() {
        return config;
    }

    /** The configuration as YAML, defaults and overrides applied: what the output's config.yaml records. */
    public String effectiveYaml() {
        return effectiveYaml;
    }

    /** A new search in a new (or empty) output folder, warm-started from {@code warmStartLocation} unless null. */
    public StudyOutcome run(String outputLocation, String warmStartLocation) throws IOException, InterruptedException {
        return runWarmStarted(outputLocation, warmStartLocation == null ? Optional.empty()
                : Optional.of(WarmStart.load(warmStartLocation, config, hadoop)));
    }

    /** A new search in a new (or empty) output folder, warm-started from {@code warm} when present. */
    public StudyOutcome runWarmStarted(String outputLocation, Optional<WarmStart> warm) throws IOException, InterruptedException {
        return RunOutput.firstSession(outputLocation, hadoop, effectiveYaml, output -> start(output, warm));
    }

    /** The first session of a new search in {@code output}. */
    private StudyOutcome start(RunOutput output, Optional<WarmStart> warm) throws IOException, InterruptedException {
        SearchStrategy strategy = Strategies.create(config.strategy(), config.space(), config.objectives(), config.seed());
        ObjectNode header = record(Journal.STUDY);
        header.put("name", config.name());
        header.put("seed", config.seed());
        header.put("trials", config.trials());
        header.put("strategy", config.strategy().kind().name().toLowerCase(Locale.ROOT));
        header.put("space_size", config.space().size().toString());
        header.put("trainer", trainerName(config.trainer()));
        header.put("training_key", TrainingKey.of(config));
        header.put("objective", config.objective().metric());
        if (config.objectives().size() > 1) {
            config.objectives().forEach(o -> header.withArray("objectives").add(o.metric()));
        }
        warm.ifPresent(w -> {
            int told = w.seed(strategy, config.objective());
            header.put("warm_start", w.source());
            out.printf(Locale.ROOT, "Warm start from %s: told the strategy its %d results%s; %s%n", w.source(), told,
                    told < w.results().size() ? " of its top fidelity (" + (w.results().size() - told) + " cheaper ones "
                            + "left out: this strategy compares one fidelity)" : "",
                    w.sameTraining() ? w.cache().size() + " of its results can answer for their architectures"
                            : "its training differs, so nothing is answered from its results");
        });
        return execute(output, strategy, StudyStart.FRESH, 0, header, warm.map(WarmStart::cache).orElse(List.of()), null);
    }

    /**
     * Continues the search in {@code outputLocation}: the strategy from its newest readable snapshot plus
     * the journal after it (or the whole journal), the recorded results kept, the trials that were running
     * run again under their ids, and new ones until the configured number of trials is reached. A search
     * with nothing left to run is reported in one line and left as it is (its reports are written only if
     * one is missing, as after a crash right at the end); nothing starts.
     *
     * @return this session's outcome, or empty when the search had nothing left to run
     * @throws OutputException when the folder holds no search, a search over another space, or a snapshot
     *                         of an unknown format version
     */
    public Optional<StudyOutcome> resume(String outputLocation) throws IOException, InterruptedException {
        try (RunOutput output = RunOutput.open(outputLocation, hadoop)) {
            return resume(output, outputLocation);
        }
    }

    private Optional<StudyOutcome> resume(RunOutput output, String outputLocation)
            throws IOException, InterruptedException {
        SearchConfig recorded = ConfigLoader.parse(output.folder() + "/" + RunOutput.CONFIG,
                output.readText(RunOutput.CONFIG), null, List.of()).config();
        if (!recorded.space().equals(config.space())) {
            throw new OutputException(outputLocation, "holds a search over another space than this configuration's; "
                    + "resume it with its own space section (or start a new search, with --warm-start to reuse it)");
        }
        if (!recorded.strategy().equals(config.strategy())) {
            // the strategy comes back from its snapshot (or its seed and the journal): another one's settings would
            // be recorded in config.yaml but not run
            throw new OutputException(outputLocation, "was searched with another strategy than this configuration's ("
                    + recorded.strategy().kind().name().toLowerCase(Locale.ROOT) + " with its settings); a resumed "
                    + "search keeps its strategy: resume it with its own strategy section, or start a new search with "
                    + "--warm-start to change it");
        }
        if (recorded.seed() != config.seed() || !recorded.objectives().equals(config.objectives())) {
            // a snapshot's strategy keeps the seed and objectives it was made with, the trials would take the new
            // seed, and a strategy rebuilt with it would propose other architectures than the journal replays
            throw new OutputException(outputLocation, "was searched with another seed or other objectives than this "
                    + "configuration's (seed " + recorded.seed() + ", maximising or minimising " + recorded.objectives()
                    .stream().map(Objective::metric).toList() + "); resume it with its own, or start a new search with "
                    + "--warm-start to change them");
        }
        JournalHistory history = JournalHistory.read(output);
        checkJournalMatches(history.study(), recorded, outputLocation);
        TrainingKey.checkLimitPolicy(history.study(), config, outputLocation);
        // both read by this version: a key recorded by an older one may hash fields that have changed since
        if (!TrainingKey.of(recorded).equals(TrainingKey.of(config))) {
            out.println("Resume: this configuration trains otherwise than the one that started the search (data, "
                    + "training or trainer settings differ): the trials it runs now will not compare evenly with the "
                    + "earlier ones");
        }
        history.problems().forEach(p -> out.println("Journal: " + p));
        Optional<SnapshotStore.Restored> snapshot = new SnapshotStore(output).newest(history.events().size(),
                p -> out.println("Snapshot: " + p));
        Optional<WarmStart> warm = recordedWarmStart(history);
        SearchStrategy fresh;
        if (snapshot.isPresent()) {
            fresh = snapshot.get().strategy();
        } else {
            // as the first session did, before it proposed anything: the replay then gives its proposals again
            fresh = Strategies.create(config.strategy(), config.space(), config.objectives(), config.seed());
            warm.ifPresent(w -> w.seed(fresh, config.objective()));
        }
        Recovery recovery = Recovery.replay(fresh, snapshot.map(SnapshotStore.Restored::events).orElse(0L), history);
        StudyStart start = recovery.start();
        if (start.inFlight().isEmpty() && trialBudget().counted(start.results()) >= config.trials()) {
            reportFinished(output, start.results(), history);
            return Optional.empty();
        }
        out.printf(Locale.ROOT, "Resuming %s: %d results recorded, %d trials were running and run again; strategy from %s "
                        + "and %d journal events replayed%s%n", output.folder(), start.results().size(), start.inFlight().size(),
                snapshot.map(SnapshotStore.Restored::file).orElse("the configuration (no snapshot)"), recovery.replayed(),
                recovery.diverged() > 0 ? "; " + recovery.diverged() + " replayed proposals differ from the journal's" : "");
        if (!effectiveYaml.equals(output.readText(RunOutput.CONFIG))) {
            output.write(RunOutput.CONFIG, effectiveYaml);
        }
        ObjectNode header = record(Journal.RESUME);
        header.put("trials", config.trials());
        header.put("results", start.results().size());
        header.put("rerun", start.inFlight().size());
        header.put("snapshot", snapshot.map(SnapshotStore.Restored::file).orElse(""));
        header.put("replayed", recovery.replayed());
        header.put("skipped_lines", history.problems().size());
        header.put("duplicates", recovery.duplicates());
        return Optional.of(execute(output, recovery.strategy(), start, history.events().size(), header,
                warm.map(WarmStart::cache).orElse(List.of()), studyStart(history, output)));
    }

    /**
     * The warm start the study's first session took, read again from its source: a strategy rebuilt from the
     * configuration must be told its results again, and its cache must answer again what it answered before. A
     * source that can no longer be read costs those answers, not the resume: its trials are trained instead.
     */
    private Optional<WarmStart> recordedWarmStart(JournalHistory history) {
        String source = history.study().path("warm_start").asText("");
        if (source.isEmpty()) {
            return Optional.empty();
        }
        try {
            WarmStart warm = WarmStart.load(source, config, hadoop);
            out.printf(Locale.ROOT, "Warm start from %s, read again: %d results, %s%n", source, warm.results().size(),
                    warm.sameTraining() ? warm.cache().size() + " of them can answer for their architectures"
                            : "its training differs, so nothing is answered from them");
            return Optional.of(warm);
        } catch (IOException | OutputException | ConfigException e) {
            // ConfigException: its config.yaml no longer loads (a key this version retired, say)
            out.printf("Warm start: %s cannot be read (%s); the search goes on without it, training what it would "
                    + "have answered%n", source, e.getMessage());
            return Optional.empty();
        }
    }

    /** The configuration's trials, which candidates refused on the driver do not use up. */
    private TrialBudget trialBudget() {
        return new TrialBudget(config.trials(), ScreeningTrialExecutor::refused,
                ScreeningTrialExecutor.MAX_REFUSALS_PER_TRIAL * config.trials());
    }

    /** {@code budget} in minutes as the configuration writes it: 30, 0.5. */
    private static String minutes(Duration budget) {
        return String.format(Locale.ROOT, "%.3f", budget.toMillis() / 60_000.0).replaceAll("\\.?0+$", "");
    }

    /** When the first session's study began: every session's timeline counts seconds from it. */
    private static Instant studyStart(JournalHistory history, RunOutput output) {
        String started = history.study().path("started").asText();
        try {
            return Instant.parse(started);
        } catch (DateTimeParseException e) {
            throw new OutputException(output.folder().toString(), "its journal's study record has no readable start "
                    + "time ('" + started + "')");
        }
    }

    /**
     * One line on a search with nothing left to run; its reports are written again only where one is missing or does
     * not say what the journal does.
     */
    private void reportFinished(RunOutput output, List<TrialResult> results, JournalHistory history) throws IOException {
        Objective objective = config.objective();
        Leaderboard leaderboard = leaderboard(results);
        TrialResult best = leaderboard.ranked().get(0);
        Map<String, Long> statuses = new TreeMap<>();
        results.forEach(r -> statuses.merge(r.status(), 1L, Long::sum));
        StringBuilder counts = new StringBuilder();
        statuses.forEach((status, n) -> counts.append(counts.isEmpty() ? "" : ", ").append(n).append(' ').append(status));
        String bestText = objective.score(best).isPresent()
                ? String.format(Locale.ROOT, "best %s %.4f (%s%s)", objective.metric(), objective.score(best).getAsDouble(),
                best.candidate().trialId(), best.candidate().fullFidelity() ? "" : " at level " + best.candidate().fidelity())
                : "no trial completed";
        int counted = trialBudget().counted(results);
        out.printf(Locale.ROOT, "%s is finished: %,d of %,d trials recorded (%s); %s. Nothing to run; "
                        + "--set trials=N with N above %d extends it.%n", output.folder(), counted, config.trials(),
                counts, bestText, counted);
        if (!history.ended()) {
            closeLastSession(output, results.size());
        }
        Map<String, String> reports = new LinkedHashMap<>();
        reports.put(RunOutput.TIMELINE, Timeline.toCsv(results, studyStart(history, output)));
        reports.put(RunOutput.LEADERBOARD, leaderboard.toCsv());
        bestJson(leaderboard).ifPresent(json -> reports.put(RunOutput.BEST, json));
        front(results).ifPresent(f -> reports.put(RunOutput.PARETO, leaderboard(f.members()).toCsv()));
        boolean rewritten = false;
        for (Map.Entry<String, String> report : reports.entrySet()) {
            // a report missing, or one of an earlier session when the last was killed between its last result and
            // the end of its reports: best.json would name another trial, and export would take it
            if (!output.exists(report.getKey()) || !output.readText(report.getKey()).equals(report.getValue())) {
                output.write(report.getKey(), report.getValue());
                rewritten = true;
            }
        }
        if (!reports.containsKey(RunOutput.BEST) && output.exists(RunOutput.BEST)) {
            output.delete(RunOutput.BEST);
            rewritten = true;
        }
        if (rewritten) {
            out.println("Its reports differed from the journal (a session stopped before it had written them all, or "
                    + "another version wrote them): written again from the journal.");
        }
        if (rewritten || !output.exists(HtmlReport.FILE)) {
            HtmlReport.write(output, out);
        }
    }

    /**
     * Ends a search whose driver died after its last result but before its {@code summary} record (during the final
     * snapshot, say): a session that ran nothing, so that a nightly series takes the search as ended, not cut short.
     */
    private void closeLastSession(RunOutput output, int studyResults) throws IOException {
        try (Journal journal = output.openJournal(config.recovery().syncJournal())) {
            ObjectNode header = record(Journal.RESUME);
            header.put("results", studyResults);
            header.put("rerun", 0);
            journal.append(header);
            journal.append(StudySummary.nothingRan(studyResults));
        }
        out.println("Its last session had not ended (the driver stopped after its last result): the journal now says "
                + "it ended.");
    }

    /**
     * @param studyStart when the study's first session began, or null when this session is the first
     */
    private StudyOutcome execute(RunOutput output, SearchStrategy strategy, StudyStart start, long eventsBefore,
                                 ObjectNode header, List<TrialResult> cache, Instant studyStart)
            throws IOException, InterruptedException {
        TimeBudget budget = new TimeBudget(config.maxTime());
        Objective objective = config.objective();
        RecoveryConfig recovery = config.recovery();
        TrialRunnerFactory factory = runnerFactory(config.trainer(), output, hadoop, out);
        boolean inProcess = config.executor() == SearchConfig.ExecutorKind.IN_PROCESS;
        if (inProcess && factory instanceof Dl4jRunnerFactory dl4j) {
            // trials in this JVM find the data loaded with the configuration's Hadoop settings, which no Spark holds
            dl4j.data().load(hadoop);
        }
        JavaSparkContext sc = inProcess ? null : SparkContexts.create(config.spark(), "galapagos: " + config.name());
        try (Journal journal = output.openJournal(recovery.syncJournal());
             TrialExecutor trials = inProcess ? inProcessExecutor(factory) : new SparkTrialExecutor(sc, factory)) {
            List<TrialResult> earlier = new ArrayList<>(start.results());
            earlier.addAll(cache);
            List<TrialResult> measured = LatencyModelFile.read(RunOutput.CONFIG, config, hadoop);
            if (!measured.isEmpty()) {
                out.printf(Locale.ROOT, "Latency model: learns the %d networks measured in %s first%n",
                        measured.size(), ((Dl4jTraining) config.trainer()).latencyModel().file());
            }
            earlier.addAll(measured);
            TrialExecutor unscreened = cache.isEmpty() ? trials : new CachingTrialExecutor(trials, cache);
            Optional<ScreeningTrialExecutor> screen = screen(unscreened, factory, earlier);
            if (screen.isPresent()) {
                LatencyModelFile.checkInput(RunOutput.CONFIG, config, hadoop, screen.get().input());
            }
            TrialExecutor executor = screen.<TrialExecutor>map(s -> s).orElse(unscreened);
            String where = inProcess ? "this JVM (in process)" : sc.master();
            header.put("executor", config.executor().text());
            header.put("master", where);
            header.put("scheduling", config.scheduling().mode().text());
            // the study's clock starts now, with Spark up: timelines count from the first session's start
            Instant now = Instant.now();
            header.put("started", now.toString());
            Instant origin = studyStart != null ? studyStart : now;
            journal.append(header);
            int parallelism = config.parallelism() > 0 ? config.parallelism() : executor.slots();
            out.printf(Locale.ROOT, "Galapagos %s: %,d trials of %,d architectures, %s, %d at a time on %s%n",
                    config.name(), config.trials(), config.space().size(),
                    config.strategy().kind().name().toLowerCase(Locale.ROOT), parallelism, where);
            out.printf("Writing to %s%n", output.folder());
            if (config.strategy().kind() != StrategyConfig.Kind.HYPERBAND
                    && config.space().size().compareTo(BigInteger.valueOf(config.trials())) < 0) {
                // a strategy proposes each architecture once while any is left; then only repeats remain
                out.printf(Locale.ROOT, "The space holds %,d architectures, fewer than the %,d trials: at least %,d "
                        + "trials will repeat an architecture%n", config.space().size(), config.trials(),
                        BigInteger.valueOf(config.trials()).subtract(config.space().size()));
            }
            if (config.scheduling().isGenerational()) {
                out.println("Generational scheduling: each generation waits for its slowest trial, so slots idle "
                        + "(steady state, the default, keeps them busy)");
            }
            if (screen.isPresent()) {
                profileLatency(screen.get(), (Dl4jRunnerFactory) factory, sc, parallelism);
            }
            FailureGuard guard = new FailureGuard(recovery.maxFailureRate(), recovery.failureRateAfter());
            Checkpointer checkpointer = new Checkpointer(new SnapshotStore(output), journal, eventsBefore,
                    recovery.snapshotEvery(), out::println);
            Study study = new Study(strategy, executor, trialBudget(), config.parallelism(), config.seed(),
                    List.of(journal, new ProgressPrinter(out, config.objectives(), start.results()), guard, checkpointer),
                    () -> guard.getAsBoolean() || budget.getAsBoolean(), config.scheduling(), start);
            StudyOutcome outcome = study.run();
            long cached = CachingTrialExecutor.count(outcome.sessionResults());
            long screened = ScreeningTrialExecutor.count(outcome.sessionResults());
            ObjectNode summary = StudySummary.record(outcome).put("cached", cached).put("screened", screened)
                    .put("time_budget_reached", budget.reached());
            Optional<ParetoFront> front = front(outcome.results());
            front.ifPresent(f -> f.addTo(summary));
            journal.append(summary);
            output.write(RunOutput.TIMELINE, Timeline.toCsv(outcome.results(), origin));
            writeReports(output, leaderboard(outcome.results()));
            if (front.isPresent()) {
                output.write(RunOutput.PARETO, leaderboard(front.get().members()).toCsv());
                out.println(front.get().line());
            }
            Optional<ObjectNode> latencyModel = screen.flatMap(ScreeningTrialExecutor::latencyModel);
            if (latencyModel.isPresent()) {
                output.write(RunOutput.LATENCY_MODEL, latencyModel.get().toPrettyString() + "\n");
            }
            HtmlReport.write(output, out);
            out.printf(Locale.ROOT, "Finished %,d trials in %s%s.%n", trialBudget().counted(outcome.sessionResults()),
                    ProgressPrinter.clock(outcome.wallTime()), outcome.earlierResults() == 0 ? ""
                            : String.format(Locale.ROOT, " this session; the study holds %,d results",
                            outcome.results().size()));
            out.println(StudySummary.line(outcome));
            if (budget.reached()) {
                out.printf(Locale.ROOT, "The time budget (max_minutes %s) ran out: no trial started after it, %d of "
                                + "%d trials ran; galapagos resume continues the search with a new budget.%n",
                        minutes(config.maxTime()), trialBudget().counted(outcome.results()), config.trials());
            }
            if (screened > 0) {
                out.printf(Locale.ROOT, "%d candidates were answered infeasible on the driver, without a task (executor "
                        + "screen in the journal): over a constraint their architecture decides, or predicted over "
                        + "max_latency_ms. They do not count towards trials (up to %d a trial).%n", screened,
                        ScreeningTrialExecutor.MAX_REFUSALS_PER_TRIAL);
            }
            if (cached > 0) {
                out.printf(Locale.ROOT, "%d trials were answered from the warm start's results instead of trained.%n", cached);
            }
            long capped = outcome.sessionResults().stream()
                    .filter(r -> r.metrics().get(Metrics.TIME_CAPPED).isPresent()).count();
            if (capped > 0) {
                out.printf(Locale.ROOT, "%d trials were cut by training.max_seconds before their epochs were done "
                        + "(time_capped in the journal): their results depend on this machine's speed.%n", capped);
            }
            if (guard.verdict().isPresent()) {
                throw new StudyStoppedException(guard.verdict().get());
            }
            return outcome;
        } finally {
            if (sc != null) {
                sc.stop();
            }
        }
    }

    /**
     * {@code constraints.latency_profile}: the screen's latency model first learns that many networks of the space,
     * timed untrained by the search's own executors ({@code sc}'s, or this JVM's), {@code atOnce} at a time as the
     * trials will run. Its own random stream, so that a profile leaves the strategy's proposals as they were.
     */
    private void profileLatency(ScreeningTrialExecutor screen, Dl4jRunnerFactory factory, JavaSparkContext sc,
                                int atOnce) throws InterruptedException {
        int count = ((Dl4jTraining) config.trainer()).latencyModel().profile();
        if (count == 0) {
            return;
        }
        long started = System.nanoTime();
        TrialRunnerFactory timing = factory.latencyOnly();
        int timed;
        try (TrialExecutor profiler = sc == null ? inProcessExecutor(timing) : new SparkTrialExecutor(sc, timing)) {
            timed = screen.profile(config.space(), new SplittableRandom(config.seed() ^ PROFILE_SEED_SALT), count,
                    profiler, atOnce);
        }
        out.printf(Locale.ROOT, "Latency profile: %d networks sampled from the space timed untrained in %.1f s, "
                + "learnt by the latency model before the first trial%n", timed, (System.nanoTime() - started) / 1e9);
    }

    /**
     * DL4J searches whose constraints the driver can check check them first ({@link ScreeningTrialExecutor}); its
     * latency model learns from {@code earlier} results before the first candidate (a resumed or warm-started study's,
     * and those of {@code constraints.latency_model}).
     */
    private Optional<ScreeningTrialExecutor> screen(TrialExecutor executor, TrialRunnerFactory factory,
                                                    List<TrialResult> earlier) throws IOException {
        return factory instanceof Dl4jRunnerFactory dl4j && dl4j.training().constraints().screensBeforeDispatch()
                ? Optional.of(new ScreeningTrialExecutor(executor, dl4j.data(), hadoop, dl4j.training(), earlier,
                        out::println))
                : Optional.empty();
    }

    /**
     * What turns a candidate into a result on the JVM that runs it. DL4J trainings at the lower fidelity levels
     * are saved under the output's {@value RunOutput#CHECKPOINTS} folder, which executors must be able to reach
     * for promotions to continue them (an output on a local disk of the driver's machine is not shared by a
     * cluster's executors: promotions there train from scratch). Text searches carry their vocabulary
     * ({@link VocabularyFile}) to the executors inside the factory.
     */
    static TrialRunnerFactory runnerFactory(TrainerConfig trainer, RunOutput output, Configuration hadoop,
                                            PrintStream console) throws IOException {
        String checkpoints = new Path(output.folder(), RunOutput.CHECKPOINTS).toString();
        if (trainer instanceof Dl4jTrainerConfig dl4j) {
            return new Dl4jRunnerFactory(dl4j.data(), dl4j.training(), checkpoints);
        }
        if (trainer instanceof TextTrainerConfig text) {
            Vocabulary vocabulary = VocabularyFile.loadOrBuild(text.data(), output, hadoop, console);
            return new Dl4jRunnerFactory(new TextTrainingData(text.data(), vocabulary), text.training(), checkpoints);
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
     * In process: parallelism 1 with no trial deadline runs each trial on the study's own thread
     * ({@link DirectTrialExecutor}, the fastest for tabular benchmarks, and strictly ordered); otherwise a pool of
     * {@code parallelism} threads, or one per available processor when it is 0. A trial on the study's thread has
     * finished before the study could see it overrun, so a deadline ({@code trial_timeout_seconds}, DL4J's by
     * default) needs the pool's thread, which a cancelled trial is interrupted on.
     */
    private TrialExecutor inProcessExecutor(TrialRunnerFactory factory) {
        if (config.parallelism() == 1 && !config.scheduling().hasTrialTimeout()) {
            return new DirectTrialExecutor(factory.create());
        }
        int threads = config.parallelism() > 0 ? config.parallelism() : Runtime.getRuntime().availableProcessors();
        return new InProcessTrialExecutor(factory, threads);
    }

    /** With several objectives, the study's Pareto front over {@code results}; with one, none. */
    private Optional<ParetoFront> front(List<TrialResult> results) {
        return config.objectives().size() < 2 ? Optional.empty()
                : Optional.of(ParetoFront.of(results, config.objectives(), config.trainer()::hypervolumeReference));
    }

    /** DL4J: the trainer's own columns; otherwise the signal, the reported columns, the other objectives. */
    private Leaderboard leaderboard(List<TrialResult> results) {
        if (config.trainer() instanceof Dl4jTraining) {
            return new Leaderboard(results, config.objectives());
        }
        LinkedHashSet<String> columns = new LinkedHashSet<>();
        columns.add(config.objective().metric());
        columns.addAll(config.trainer().reported());
        config.objectives().forEach(o -> columns.add(o.metric()));
        return new Leaderboard(results, config.objectives(), List.copyOf(columns));
    }

    /**
     * The journal's study record says what {@code config.yaml} does (seed, strategy, space, objective: what no resume
     * may change, unlike the trainer), so that a journal copied from another search is refused before anything, its
     * snapshots included, is touched. Fields an older version did not record are not compared.
     */
    private static void checkJournalMatches(JsonNode study, SearchConfig recorded, String location) {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("seed", String.valueOf(recorded.seed()));
        expected.put("strategy", recorded.strategy().kind().name().toLowerCase(Locale.ROOT));
        expected.put("space_size", recorded.space().size().toString());
        expected.put("objective", recorded.objective().metric());
        List<String> differ = new ArrayList<>();
        expected.forEach((field, value) -> {
            if (study.hasNonNull(field) && !study.get(field).asText().equals(value)) {
                differ.add(field + " " + study.get(field).asText() + " against " + value);
            }
        });
        if (!differ.isEmpty()) {
            throw new OutputException(location, "holds a journal of another search than its " + RunOutput.CONFIG
                    + " (the journal's study record against " + RunOutput.CONFIG + ": " + String.join("; ", differ)
                    + "): a resume needs the journal and configuration of one search; nothing was changed");
        }
    }

    /** The answer's record: the leaderboard's first, when it has a score (results without one rank last). */
    private Optional<String> bestJson(Leaderboard leaderboard) {
        return leaderboard.ranked().stream().findFirst().filter(r -> config.objective().score(r).isPresent())
                .map(r -> TrialResultJson.toJson(r).toPrettyString() + "\n");
    }

    private static ObjectNode record(String type) {
        ObjectNode record = JSON.createObjectNode();
        record.put("type", type);
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
        if (leaderboard.ranked().isEmpty()) {
            out.printf("%nNo trial ran, so there is no %s.%n", RunOutput.BEST);
            return;
        }
        Optional<String> best = bestJson(leaderboard);
        if (best.isEmpty()) {
            out.printf("%nNo trial completed (%s), so there is no %s.%n", leaderboard.ranked().size() == 1
                    ? "the one that ran did not" : "none of the " + leaderboard.ranked().size() + " that ran did",
                    RunOutput.BEST);
            // a resumed search's earlier copy would name a trial that is no longer the answer
            output.delete(RunOutput.BEST);
        } else {
            output.write(RunOutput.BEST, best.get());
            Candidate answer = leaderboard.ranked().get(0).candidate();
            int top = config.trainer().fidelityLevels().count() - 1;
            if (!answer.fullFidelity() && answer.fidelity() < top) {
                out.printf("%nNo trial completed at the top fidelity level (%d): %s, the best at the highest level reached, "
                        + "was measured at level %d, a cheaper training; a resume with --set trials=N, more trials, trains further.%n",
                        top, answer.trialId(), answer.fidelity());
            }
        }
        out.println();
        List<String> reported = config.trainer().reported();
        out.printf(Locale.ROOT, "Top 5 by %s%s:%n", config.objective().metric(), reported.isEmpty() ? ""
                : " (" + String.join(", ", reported) + " reported, never used to choose)");
        out.print(leaderboard.table(5));
    }
}
