package io.galapagos.driver.oneshot;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.galapagos.config.Dl4jTrainerConfig;
import io.galapagos.config.OneShotConfig;
import io.galapagos.config.SearchConfig;
import io.galapagos.driver.execution.SparkContexts;
import io.galapagos.driver.job.StudyStoppedException;
import io.galapagos.driver.report.HtmlReport;
import io.galapagos.driver.results.Journal;
import io.galapagos.driver.results.Leaderboard;
import io.galapagos.driver.results.OutputException;
import io.galapagos.driver.results.RunOutput;
import io.galapagos.driver.results.Timeline;
import io.galapagos.driver.strategy.SearchStrategy;
import io.galapagos.driver.strategy.Strategies;
import io.galapagos.space.CellArchitecture;
import io.galapagos.space.CellOperation;
import io.galapagos.space.CellSearchSpace;
import io.galapagos.trial.TrialResult;
import io.galapagos.trial.TrialResultJson;
import io.galapagos.trial.TrialRunnerFactory;
import io.galapagos.worker.supernet.SupernetCheckpoint;
import io.galapagos.worker.supernet.SupernetPartOutcome;
import io.galapagos.worker.supernet.SupernetRunnerFactory;
import io.galapagos.worker.supernet.SupernetSpec;
import io.galapagos.worker.training.Dl4jRunnerFactory;
import io.galapagos.worker.HadoopFileSystems;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A weight-sharing search (a configuration with a {@code oneshot} section), start to finish, on one Spark
 * application, in three phases, each announced on the console and recorded in the journal:
 * <ol>
 *     <li><b>Supernet training</b> ({@link SupernetTraining}): one Spark task per supernet, checkpointed under the
 *     output's {@value #SUPERNETS} folder after every epoch;</li>
 *     <li><b>search on shared weights</b>: the configured strategy's candidates measured on their supernet, then
 *     the seeded correlation sample, recorded with {@code "fidelity": "supernet"};</li>
 *     <li><b>stand-alone retraining</b> of the best {@code retrain_top} cells on shared weights (one per
 *     function) and of the correlation sample, through the ordinary trainer.</li>
 * </ol>
 * The answer ({@code best.json}) is the best retrained cell by the objective; {@code ranking.json} says how well
 * the shared weights ranked the sample like stand-alone training. A resumed search ({@link #resume}) continues its
 * supernets from their checkpoints and answers every measurement and training its journal holds from there, so
 * nothing is trained twice.
 */
public final class OneShotJob implements WeightSharingJob {

    /** The output's folder of supernet files. */
    public static final String SUPERNETS = "supernets";
    /** The ranking of every cell the search measured on shared weights, apart from stand-alone results. */
    public static final String SUPERNET_LEADERBOARD = "supernet-leaderboard.csv";
    /** The journal record of a trained supernet. */
    static final String SUPERNET_RECORD = "supernet";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Mixed into the study seed for the correlation sample, so that it differs from the strategy's first draws. */
    private static final long SAMPLE_SEED = 0x5A3B1E5EEDL;

    private final SearchConfig config;
    private final OneShotConfig oneshot;
    private final Dl4jTrainerConfig trainer;
    private final String effectiveYaml;
    private final PrintStream out;
    private final Configuration hadoop;

    /** @throws IllegalArgumentException when the configuration has no {@code oneshot} section */
    public OneShotJob(SearchConfig config, String effectiveYaml, PrintStream out) {
        this.config = config;
        this.hadoop = HadoopFileSystems.configuration(config.spark().conf());
        this.oneshot = config.oneshot().orElseThrow(() -> new IllegalArgumentException("not a weight-sharing search"));
        this.trainer = (Dl4jTrainerConfig) config.trainer(); // ConfigLoader allows nothing else with oneshot
        this.effectiveYaml = effectiveYaml;
        this.out = out;
    }

    @Override
    public void run(String outputLocation) throws IOException, InterruptedException {
        RunOutput.firstSession(outputLocation, hadoop, effectiveYaml, output -> {
            execute(output, EarlierResults.NONE, Journal.STUDY);
            return null;
        });
    }

    /**
     * Continues the search in {@code outputLocation}: its supernet files are checked on the driver first (a damaged
     * or foreign one stops it here, naming the file), supernets continue from their checkpoints, and every result
     * its journal holds answers the same cell again instead of a new measurement or training. A finished search is
     * reported in one line and left as it is.
     *
     * @throws OutputException when the folder holds no search, a search over another space, or a supernet file that
     *                         is damaged or of another supernet
     */
    @Override
    public void resume(String outputLocation) throws IOException, InterruptedException {
        try (ResumedOutput resumed = ResumedOutput.open(outputLocation, hadoop, config, c -> c.oneshot().isPresent(),
                    "weight sharing")) {
            if (resumed.finished(out, Ranking.FILE)) {
                return;
            }
            RunOutput output = resumed.output();
            EarlierResults earlier = resumed.earlier();
            try {
                List<Path> files = SupernetCheckpoint.verifyWritten(spec(output), hadoop);
                out.printf(Locale.ROOT, "Resuming %s: %d supernet checkpoint(s) continue; %d recorded results answer "
                        + "their cells again instead of being measured or trained%n", output.folder(), files.size(),
                        earlier.size());
            } catch (IOException e) {
                throw new OutputException(outputLocation, e.getMessage());
            }
            resumed.recordConfig(effectiveYaml);
            execute(output, earlier, Journal.RESUME);
        }
    }

    private SupernetSpec spec(RunOutput output) {
        List<CellOperation> operations = ((CellSearchSpace) config.space()).operations();
        return new SupernetSpec(trainer.data(), operations,
                trainer.training().cellNetwork(), oneshot.splitEdge(), oneshot.epochs(), oneshot.warmupEpochs(),
                oneshot.learningRate(), oneshot.splitLearningRate(), oneshot.optimiser(), oneshot.momentum(), oneshot.weightDecay(),
                oneshot.batchSize(), oneshot.sampling() == OneShotConfig.Sampling.FAIR, oneshot.weightsOf(operations),
                config.seed(),
                new Path(output.folder(), SUPERNETS).toString());
    }

    private void execute(RunOutput output, EarlierResults earlier, String recordType)
            throws IOException, InterruptedException {
        SupernetSpec spec = spec(output);
        JavaSparkContext sc = SparkContexts.create(config.spark(), "galapagos: " + config.name());
        try (Journal journal = output.openJournal(config.recovery().syncJournal())) {
            Instant started = Instant.now();
            ObjectNode header = ResumedOutput.header(config, recordType, sc.master(), started);
            header.put("trials", config.trials());
            header.put("weight_sharing", oneshot.fewShot() ? "few-shot" : "one-shot");
            header.put("split", OneShotConfig.splitText(oneshot.splitEdge()));
            journal.append(header);
            out.printf(Locale.ROOT, "Galapagos %s: %s NAS over %s cells; %d candidates measured on shared weights by %s, "
                            + "the best %d retrained, on %s%n", config.name(), oneshot.fewShot() ? "few-shot" : "one-shot",
                    config.space().size(), config.trials(), config.strategy().kind().text(), oneshot.retrainTop(),
                    sc.master());
            out.printf("Writing to %s%n", output.folder());

            SupernetTraining.Trained supernets = trainSupernets(sc, spec, journal);
            Instant searchStart = Instant.now();
            TrialRunnerFactory onSupernet = new SupernetRunnerFactory(spec, oneshot.calibrationBatches());
            out.printf(Locale.ROOT, "%nPhase 2 of 3, search on shared weights: %d candidates proposed by %s%n",
                    config.trials(), config.strategy().kind().text());
            SearchStrategy strategy = Strategies.create(config.strategy(), config.space(), config.objectives(),
                    config.seed());
            List<TrialResult> searched = study(sc, onSupernet, strategy, config.trials(), 0, Phase.SEARCH, earlier,
                    journal);
            List<CellArchitecture> sample = correlationSample();
            List<TrialResult> sampled = List.of();
            if (!sample.isEmpty()) {
                out.printf(Locale.ROOT, "Correlation sample: %d cells drawn with the study's seed, measured on shared "
                        + "weights%n", sample.size());
                sampled = study(sc, onSupernet, new ListedCandidates(sample), sample.size(), config.trials(),
                        Phase.SAMPLE, earlier, journal);
            }
            Instant retrainStart = Instant.now();

            List<CellArchitecture> top = top(searched);
            LinkedHashSet<CellArchitecture> retrain = new LinkedHashSet<>(top);
            retrain.addAll(sample);
            out.printf(Locale.ROOT, "%nPhase 3 of 3, stand-alone retraining: the best %d on shared weights%s, %d epochs "
                            + "each%n", top.size(), sample.isEmpty() ? "" : " and the correlation sample (" + retrain.size()
                            + " cells in all)", trainer.training().epochs());
            TrialRunnerFactory standAlone = new Dl4jRunnerFactory(trainer.data(), trainer.training(),
                    new Path(output.folder(), RunOutput.CHECKPOINTS).toString());
            List<TrialResult> trained = study(sc, standAlone, new ListedCandidates(List.copyOf(retrain)),
                    retrain.size(), config.trials() + sample.size(), Phase.RETRAIN, earlier, journal);
            Instant end = Instant.now();

            Map<String, TrialResult> trainedByCell = new LinkedHashMap<>();
            trained.forEach(r -> trainedByCell.put(r.candidate().architecture().text(), r));
            Optional<Ranking> ranking = Ranking.of(sampled, trainedByCell);
            List<PhaseCost> costs = List.of(
                    new PhaseCost("supernet training", Duration.between(started, searchStart),
                            supernets.slotSeconds()),
                    PhaseCost.of("search on shared weights", Duration.between(searchStart, retrainStart),
                            concat(searched, sampled)),
                    PhaseCost.of("stand-alone retraining", Duration.between(retrainStart, end), trained));
            report(output, journal, started, searched, sampled, top, trainedByCell, ranking, costs);
        } finally {
            sc.stop();
        }
    }

    /** Phase 1: every supernet to its epochs, the warm-up's and each part's outcome journaled and printed. */
    private SupernetTraining.Trained trainSupernets(JavaSparkContext sc, SupernetSpec spec, Journal journal)
            throws IOException {
        out.printf(Locale.ROOT, "%nPhase 1 of 3, supernet training: %s, %d single-path epochs each by %s from a rate "
                        + "of %s%s%n",
                spec.parts() == 1 ? "one supernet" : spec.parts() + " sub-supernets (edge " + spec.splitEdge()
                        + " split by its operation), one Spark task each", spec.epochs(),
                spec.optimiser().name().toLowerCase(Locale.ROOT), spec.splitLearningRate(),
                spec.warmupEpochs() == 0 ? "" : ", after a shared one-shot warm-up of " + spec.warmupEpochs()
                        + " epochs from " + spec.learningRate());
        SupernetTraining.Trained trained = SupernetTraining.run(sc, spec);
        if (trained.warmUp().isPresent()) {
            SupernetSpec warmUp = spec.warmUp();
            record(journal, warmUp.fileName(0), null, trained.warmUp().get());
        }
        for (SupernetPartOutcome part : trained.parts()) {
            record(journal, spec.fileName(part.part()), part.part(), part);
        }
        return trained;
    }

    /** @param part the part's number, or null for the warm-up */
    private void record(Journal journal, String file, Integer part, SupernetPartOutcome outcome) throws IOException {
        ObjectNode record = JSON.createObjectNode();
        record.put("type", SUPERNET_RECORD);
        if (part == null) {
            record.put("part", "warm-up");
        } else {
            record.put("part", part);
        }
        record.put("file", file);
        record.put("from_epoch", outcome.resumedEpochs());
        record.put("epochs", outcome.epochs());
        record.put("seconds", outcome.seconds());
        if (Double.isFinite(outcome.loss())) {
            record.put("loss", outcome.loss());
        }
        record.put("executor", outcome.executor());
        journal.append(record);
        out.printf(Locale.ROOT, "  %s%s: %s%n", file, part == null ? " (warm-up)" : "",
                outcome.resumedEpochs() >= outcome.epochs()
                        ? "trained before (its checkpoint holds all " + outcome.epochs() + " epochs)"
                        : String.format(Locale.ROOT, "epochs %d to %d in %.0f s on %s, last epoch's loss %.3f",
                        outcome.resumedEpochs() + 1, outcome.epochs(), outcome.seconds(), outcome.executor(),
                        outcome.loss()));
    }

    /** Runs one phase's trials as a study over Spark ({@link PhaseStudy}). */
    private List<TrialResult> study(JavaSparkContext sc, TrialRunnerFactory factory, SearchStrategy strategy,
                                    int trials, int firstNumber, Phase phase, EarlierResults earlier, Journal journal)
            throws InterruptedException {
        return PhaseStudy.run(sc, config, factory, strategy, trials, firstNumber, phase, earlier, journal, out);
    }

    /** The correlation sample: distinct cells drawn from the space with a seed of the study's own. */
    private List<CellArchitecture> correlationSample() {
        CellSearchSpace space = (CellSearchSpace) config.space();
        int size = (int) Math.min(oneshot.correlationSample(), space.size().longValueExact());
        SplittableRandom random = new SplittableRandom(config.seed() ^ SAMPLE_SEED);
        LinkedHashSet<CellArchitecture> cells = new LinkedHashSet<>();
        while (cells.size() < size) {
            cells.add(space.sample(random));
        }
        return List.copyOf(cells);
    }

    /**
     * The best {@code retrain_top} cells that completed on shared weights, by the objective, one per function:
     * cells with the same {@linkplain CellArchitecture#effective() effective cell} score alike on shared weights
     * and would train the same network, so only the best-ranked of them is retrained.
     */
    private List<CellArchitecture> top(List<TrialResult> searched) {
        Map<CellArchitecture, CellArchitecture> best = new LinkedHashMap<>();
        for (TrialResult result : new Leaderboard(searched, config.objective()).ranked()) {
            if (best.size() < oneshot.retrainTop() && result instanceof TrialResult.Completed) {
                CellArchitecture cell = (CellArchitecture) result.candidate().architecture();
                best.putIfAbsent(cell.effective(), cell);
            }
        }
        if (best.isEmpty()) {
            throw new StudyStoppedException("no candidate completed on shared weights: nothing to retrain");
        }
        return List.copyOf(best.values());
    }

    private void report(RunOutput output, Journal journal, Instant started, List<TrialResult> searched,
                        List<TrialResult> sampled, List<CellArchitecture> top, Map<String, TrialResult> trained,
                        Optional<Ranking> ranking, List<PhaseCost> costs) throws IOException {
        List<TrialResult> retrainedTop = top.stream().map(cell -> trained.get(cell.text())).toList();
        Leaderboard answer = new Leaderboard(retrainedTop, config.objective());
        // a retraining that failed (out of memory, diverged) is never the answer
        TrialResult best = answer.ranked().stream().filter(r -> r instanceof TrialResult.Completed).findFirst()
                .orElseThrow(() -> new StudyStoppedException("no cell of the best " + top.size()
                        + " on shared weights completed its stand-alone training: no answer"));
        output.write(RunOutput.BEST, TrialResultJson.toJson(best).toPrettyString() + "\n");
        output.write(RunOutput.LEADERBOARD, new Leaderboard(List.copyOf(trained.values()), config.objective()).toCsv());
        output.write(SUPERNET_LEADERBOARD, new Leaderboard(searched, config.objective()).toCsv());
        List<TrialResult> all = concat(concat(searched, sampled), List.copyOf(trained.values()));
        output.write(RunOutput.TIMELINE, Timeline.toCsv(all, started));
        if (ranking.isPresent()) {
            output.write(Ranking.FILE, ranking.get().toJson());
        }

        ObjectNode summary = JSON.createObjectNode();
        summary.put("type", Journal.SUMMARY);
        summary.put("best", best.candidate().trialId());
        summary.put("best_architecture", best.candidate().architecture().text());
        PhaseCost.record(summary, costs);
        ranking.ifPresent(r -> summary.put("kendall_tau", r.correlation().kendallTau())
                .put("spearman_rho", r.correlation().spearmanRho()));
        journal.append(summary);
        HtmlReport.write(output, out);

        out.printf(Locale.ROOT, "%nThe best %d on shared weights, retrained stand-alone, by %s:%n", top.size(),
                config.objective().metric());
        out.print(answer.table(top.size()));
        PhaseCost.print(out, costs);
        ranking.ifPresentOrElse(r -> out.println(r.line()), () -> {
            if (!sampled.isEmpty()) {
                out.println("Ranking: fewer than 2 sampled cells completed both ways; no " + Ranking.FILE);
            }
        });
        out.printf("Answer: %s (%s, retrained stand-alone); reports in %s%n",
                best.candidate().architecture().text(), best.candidate().trialId(), output.folder());
    }

    private static List<TrialResult> concat(List<TrialResult> a, List<TrialResult> b) {
        List<TrialResult> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
