package io.galapagos.driver.oneshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.galapagos.config.DartsConfig;
import io.galapagos.config.Dl4jTrainerConfig;
import io.galapagos.config.SearchConfig;
import io.galapagos.driver.execution.SparkContexts;
import io.galapagos.driver.job.StudyStoppedException;
import io.galapagos.driver.report.HtmlReport;
import io.galapagos.driver.results.Journal;
import io.galapagos.driver.results.Leaderboard;
import io.galapagos.driver.results.OutputException;
import io.galapagos.driver.results.RunOutput;
import io.galapagos.driver.results.Timeline;
import io.galapagos.space.CellArchitecture;
import io.galapagos.space.CellSearchSpace;
import io.galapagos.trial.TrialResult;
import io.galapagos.trial.TrialResultJson;
import io.galapagos.worker.darts.DartsCheckpoint;
import io.galapagos.worker.darts.DartsEpochOutcome;
import io.galapagos.worker.darts.DartsSearch;
import io.galapagos.worker.darts.DartsSpec;
import io.galapagos.worker.spark.TrainDartsEpochFunction;
import io.galapagos.worker.training.Dl4jRunnerFactory;
import io.galapagos.worker.HadoopFileSystems;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * A gradient-based search ({@code strategy.kind: darts}) as one Spark application, in two phases, each announced on
 * the console and recorded in the journal:
 * <ol>
 *     <li><b>DARTS search</b>: {@code darts.seeds} independent first-order DARTS searches of the cell space, epoch by
 *     epoch: one Spark job an epoch, one task per seed, so the seeds run in parallel; each task continues its seed's
 *     checkpoint under the output's {@value #FOLDER} folder. Every epoch of every seed is journaled
 *     ({@value #EPOCH_RECORD}: losses, accuracies, {@code softmax(alpha)} per edge, the cell derived so far) and
 *     printed as one line. With {@code remedy: early_stop} a seed stops once its derived cell turns more than half
 *     parameter-free ({@link EarlyStop});</li>
 *     <li><b>stand-alone retraining</b> of each seed's answer (its last derived cell, or under early stopping the
 *     last before it stopped; one per function) through the ordinary trainer.</li>
 * </ol>
 * The answer ({@code best.json}) is the best retrained cell by the objective (validation accuracy: the standard
 * protocol); {@value #TRAJECTORY} holds every seed's trajectory, its derived cell and how many of its edges are
 * parameter-free. A resumed search ({@link #resume}) trains only the epochs its journal does not hold and answers
 * every retraining the journal holds again, so nothing is trained twice.
 */
public final class DartsJob implements WeightSharingJob {

    /** The output's folder of search checkpoints. */
    public static final String FOLDER = "darts";
    /** The trajectories and derived cells of every seed. */
    public static final String TRAJECTORY = "darts.json";
    /** The journal record of one epoch of one seed. */
    static final String EPOCH_RECORD = "darts-epoch";
    /** The field of an epoch record for the loss on the data {@code alpha} learns from (in no earlier version). */
    static final String HELD_OUT_LOSS = "held_out_loss";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SearchConfig config;
    private final DartsConfig darts;
    private final Dl4jTrainerConfig trainer;
    private final String effectiveYaml;
    private final PrintStream out;
    private final Configuration hadoop;

    /** @throws IllegalArgumentException when the configuration is not a DARTS search */
    public DartsJob(SearchConfig config, String effectiveYaml, PrintStream out) {
        this.config = config;
        this.hadoop = HadoopFileSystems.configuration(config.spark().conf());
        this.darts = config.darts().orElseThrow(() -> new IllegalArgumentException("not a DARTS search"));
        this.trainer = (Dl4jTrainerConfig) config.trainer(); // ConfigLoader allows nothing else with darts
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
     * Continues the search in {@code outputLocation}: each seed continues from its checkpoint, and every epoch and
     * retraining its journal holds is taken from there instead of being run again. A finished search is reported in
     * one line and left as it is.
     *
     * @throws OutputException when the folder holds no search, another search than a DARTS one of this space, one of
     *                         an earlier version whose {@code alpha} learnt from the validation split, or a
     *                         checkpoint that is damaged or of another search
     */
    @Override
    public void resume(String outputLocation) throws IOException, InterruptedException {
        try (ResumedOutput resumed = ResumedOutput.open(outputLocation, hadoop, config, c -> c.darts().isPresent(),
                    "DARTS")) {
            if (resumed.finished(out, TRAJECTORY)) {
                return;
            }
            RunOutput output = resumed.output();
            EarlierResults earlier = resumed.earlier();
            if (earlier.dartsEpochs().stream().anyMatch(e -> !e.has(HELD_OUT_LOSS))) {
                throw new OutputException(outputLocation, "a DARTS search of an earlier version of Galapagos, whose alpha "
                        + "learnt from the validation split; this version learns it from half of the training split and "
                        + "cannot continue it: run the search again in another output");
            }
            try {
                List<Path> files = DartsCheckpoint.verifyWritten(spec(output), hadoop);
                out.printf(Locale.ROOT, "Resuming %s: %d seed checkpoint(s) continue; %d epoch(s) and %d retraining(s) "
                                + "are recorded and are not run again%n", output.folder(), files.size(),
                        earlier.dartsEpochs().size(), earlier.of(Phase.RETRAIN).size());
            } catch (IOException e) {
                throw new OutputException(outputLocation, e.getMessage());
            }
            resumed.recordConfig(effectiveYaml);
            execute(output, earlier, Journal.RESUME);
        }
    }

    private DartsSpec spec(RunOutput output) {
        return new DartsSpec(trainer.data(), ((CellSearchSpace) config.space()).operations(),
                trainer.training().cellNetwork(), new DartsSearch.Settings(darts.epochs(), darts.warmupEpochs(),
                darts.batchSize(), darts.learningRate(), darts.momentum(), darts.weightDecay(),
                darts.alphaLearningRate(), darts.alphaWeightDecay(),
                darts.remedy() == DartsConfig.Remedy.AUXILIARY_SKIP),
                darts.seeds(), config.seed(), new Path(output.folder(), FOLDER).toString());
    }

    private void execute(RunOutput output, EarlierResults earlier, String recordType)
            throws IOException, InterruptedException {
        DartsSpec spec = spec(output);
        JavaSparkContext sc = SparkContexts.create(config.spark(), "galapagos: " + config.name());
        try (Journal journal = output.openJournal(config.recovery().syncJournal())) {
            Instant started = Instant.now();
            ObjectNode header = ResumedOutput.header(config, recordType, sc.master(), started);
            header.put("seeds", darts.seeds());
            header.put("epochs", darts.epochs());
            header.put("warmup_epochs", darts.warmupEpochs());
            header.put("remedy", remedyText());
            journal.append(header);
            out.printf(Locale.ROOT, "Galapagos %s: first-order DARTS (%s) over %s cells; %d seed(s) of %d epochs "
                            + "(%d of warm-up), their cells retrained, on %s%n", config.name(), remedyText(),
                    config.space().size(), darts.seeds(), darts.epochs(), darts.warmupEpochs(), sc.master());
            out.printf("Writing to %s%n", output.folder());

            Map<Integer, TreeMap<Integer, JsonNode>> epochs = recordedEpochs(earlier);
            double searchSeconds = search(sc, spec, epochs, journal);
            Instant retrainStart = Instant.now();

            List<CellArchitecture> derived = derived(epochs);
            out.printf(Locale.ROOT, "%nPhase 2 of 2, stand-alone retraining: the answers of %d seed(s), %d "
                    + "distinct, %d epochs each%n", darts.seeds(), derived.size(), trainer.training().epochs());
            Dl4jRunnerFactory standAlone = new Dl4jRunnerFactory(trainer.data(), trainer.training(),
                    new Path(output.folder(), RunOutput.CHECKPOINTS).toString());
            List<TrialResult> trained = PhaseStudy.run(sc, config, standAlone, new ListedCandidates(derived),
                    derived.size(), 0, Phase.RETRAIN, earlier, journal, out);
            Instant end = Instant.now();
            List<PhaseCost> costs = List.of(
                    new PhaseCost("DARTS search", Duration.between(started, retrainStart), searchSeconds),
                    PhaseCost.of("stand-alone retraining", Duration.between(retrainStart, end), trained));
            report(output, journal, started, epochs, trained, costs);
        } finally {
            sc.stop();
        }
    }

    private String remedyText() {
        return switch (darts.remedy()) {
            case NONE -> "no remedy";
            case AUXILIARY_SKIP -> "DARTS- auxiliary skip";
            case EARLY_STOP -> "early stopping when parameter-free operations dominate";
        };
    }

    /** A seed's derived cells, one per recorded epoch, in epoch order. */
    private static List<CellArchitecture> cells(TreeMap<Integer, JsonNode> seed) {
        return seed.values().stream().map(r -> CellArchitecture.parse(r.path("derived").asText())).toList();
    }

    /** Whether early stopping (the remedy, when it is on) has stopped a seed with these recorded epochs. */
    private boolean stopped(TreeMap<Integer, JsonNode> seed) {
        return darts.remedy() == DartsConfig.Remedy.EARLY_STOP
                && EarlyStop.stopAfter(cells(seed), darts.warmupEpochs()).isPresent();
    }

    /** The epoch (from 0) whose derived cell is a seed's answer. */
    private int answerEpoch(TreeMap<Integer, JsonNode> seed) {
        return darts.remedy() == DartsConfig.Remedy.EARLY_STOP
                ? EarlyStop.answerEpoch(cells(seed), darts.warmupEpochs()) : seed.lastKey();
    }

    /** The epoch records an earlier session journaled, by seed and epoch (a later record of the same wins). */
    private Map<Integer, TreeMap<Integer, JsonNode>> recordedEpochs(EarlierResults earlier) {
        Map<Integer, TreeMap<Integer, JsonNode>> epochs = new TreeMap<>();
        for (int seed = 0; seed < darts.seeds(); seed++) {
            epochs.put(seed, new TreeMap<>());
        }
        for (JsonNode record : earlier.dartsEpochs()) {
            int seed = record.path("search").asInt(-1);
            int epoch = record.path("epoch").asInt(0) - 1;
            if (epochs.containsKey(seed) && epoch >= 0 && epoch < darts.epochs()) {
                epochs.get(seed).put(epoch, record);
            }
        }
        return epochs;
    }

    /**
     * Phase 1: every seed to its last epoch, one Spark job an epoch with a task per seed that has not journaled that
     * epoch yet; each outcome journaled and printed as it is collected.
     *
     * @return the slot-seconds the tasks spent training
     */
    private double search(JavaSparkContext sc, DartsSpec spec, Map<Integer, TreeMap<Integer, JsonNode>> epochs,
                          Journal journal) throws IOException {
        out.printf(Locale.ROOT, "%nPhase 1 of 2, DARTS search: %d seed(s) in parallel, one Spark task per seed and "
                + "epoch%n", darts.seeds());
        double seconds = 0;
        for (int epoch = 0; epoch < darts.epochs(); epoch++) {
            int e = epoch;
            List<Integer> due = IntStream.range(0, darts.seeds())
                    .filter(s -> !epochs.get(s).containsKey(e) && !stopped(epochs.get(s))).boxed().toList();
            if (due.isEmpty()) {
                continue;
            }
            sc.setJobGroup("darts", "DARTS epoch " + (epoch + 1) + " of " + due.size() + " seed(s)", true);
            List<DartsEpochOutcome> outcomes;
            try {
                outcomes = sc.parallelize(due, due.size()).map(new TrainDartsEpochFunction(spec, epoch)).collect()
                        .stream().sorted(Comparator.comparingInt(DartsEpochOutcome::search)).toList();
            } finally {
                sc.clearJobGroup();
            }
            for (DartsEpochOutcome outcome : outcomes) {
                JsonNode record = record(outcome, spec);
                journal.append((ObjectNode) record);
                epochs.get(outcome.search()).put(epoch, record);
                seconds += outcome.seconds();
                print(outcome);
                TreeMap<Integer, JsonNode> seed = epochs.get(outcome.search());
                if (stopped(seed) && epoch + 1 < darts.epochs()) {
                    out.printf(Locale.ROOT, "  seed %d stops: more than half of its cell's edges are parameter-free; "
                            + "its answer is epoch %d's cell%n", outcome.search(), answerEpoch(seed) + 1);
                }
            }
        }
        return seconds;
    }

    private ObjectNode record(DartsEpochOutcome outcome, DartsSpec spec) {
        DartsSearch.Epoch epoch = outcome.epoch();
        ObjectNode record = JSON.createObjectNode();
        record.put("type", EPOCH_RECORD);
        record.put("search", outcome.search());
        record.put("search_seed", spec.searchSeed(outcome.search()));
        record.put("epoch", epoch.epoch() + 1);
        record.put("warm_up", epoch.epoch() < darts.warmupEpochs());
        record.put("aux_skip", epoch.auxiliarySkip());
        record.put("train_loss", epoch.trainLoss());
        record.put("train_accuracy", epoch.trainAccuracy());
        record.put(HELD_OUT_LOSS, epoch.heldOutLoss());
        record.put("held_out_accuracy", epoch.heldOutAccuracy());
        ObjectNode alpha = record.putObject("alpha");
        for (int edge = 0; edge < CellArchitecture.EDGES; edge++) {
            ObjectNode shares = alpha.putObject("edge" + edge);
            for (int op = 0; op < spec.operations().size(); op++) {
                shares.put(spec.operations().get(op).text(), epoch.mixingWeights()[edge][op]);
            }
        }
        record.put("derived", epoch.derived().text());
        record.put("parameter_free_edges", EarlyStop.parameterFree(epoch.derived()));
        record.put("seconds", outcome.seconds());
        record.put("trained", outcome.trained());
        record.put("executor", outcome.executor());
        return record;
    }

    private void print(DartsEpochOutcome outcome) {
        DartsSearch.Epoch e = outcome.epoch();
        out.printf(Locale.ROOT, "  seed %d epoch %d/%d%s: train loss %.3f acc %.4f, held-out loss %.3f acc %.4f; %s "
                        + "(%d of %d edges parameter-free); %s%n", outcome.search(), e.epoch() + 1, darts.epochs(),
                e.epoch() < darts.warmupEpochs() ? " (warm-up, alpha frozen)" : "",
                e.trainLoss(), e.trainAccuracy(), e.heldOutLoss(), e.heldOutAccuracy(), e.derived().text(),
                EarlyStop.parameterFree(e.derived()), CellArchitecture.EDGES, outcome.trained()
                        ? String.format(Locale.ROOT, "%.0f s on %s", outcome.seconds(), outcome.executor())
                        : "from its checkpoint");
    }

    /** Each seed's answer, one per function (the first seed's of an effective cell). */
    private List<CellArchitecture> derived(Map<Integer, TreeMap<Integer, JsonNode>> epochs) {
        Map<CellArchitecture, CellArchitecture> distinct = new LinkedHashMap<>();
        for (TreeMap<Integer, JsonNode> seed : epochs.values()) {
            CellArchitecture cell = cells(seed).get(answerEpoch(seed));
            distinct.putIfAbsent(cell.effective(), cell);
        }
        return List.copyOf(distinct.values());
    }

    private void report(RunOutput output, Journal journal, Instant started,
                        Map<Integer, TreeMap<Integer, JsonNode>> epochs, List<TrialResult> trained,
                        List<PhaseCost> costs) throws IOException {
        Leaderboard leaderboard = new Leaderboard(trained, config.objective());
        Optional<TrialResult> best = leaderboard.ranked().stream()
                .filter(r -> r instanceof TrialResult.Completed).findFirst();
        if (best.isEmpty()) {
            throw new StudyStoppedException("no derived cell completed its stand-alone training: no answer");
        }
        Map<String, TrialResult> byCell = new LinkedHashMap<>();
        trained.forEach(r -> byCell.put(((CellArchitecture) r.candidate().architecture()).effective().text(), r));
        output.write(RunOutput.BEST, TrialResultJson.toJson(best.get()).toPrettyString() + "\n");
        output.write(RunOutput.LEADERBOARD, leaderboard.toCsv());
        output.write(RunOutput.TIMELINE, Timeline.toCsv(trained, started));
        output.write(TRAJECTORY, trajectory(epochs, byCell, costs).toPrettyString() + "\n");

        ObjectNode summary = JSON.createObjectNode();
        summary.put("type", Journal.SUMMARY);
        summary.put("best", best.get().candidate().trialId());
        summary.put("best_architecture", best.get().candidate().architecture().text());
        PhaseCost.record(summary, costs);
        journal.append(summary);
        HtmlReport.write(output, out);

        out.printf(Locale.ROOT, "%nThe derived cells, retrained stand-alone, by %s:%n", config.objective().metric());
        out.print(leaderboard.table(trained.size()));
        PhaseCost.print(out, costs);
        out.printf("Answer: %s (%s, retrained stand-alone); trajectories in %s, reports in %s%n",
                best.get().candidate().architecture().text(), best.get().candidate().trialId(), TRAJECTORY,
                output.folder());
    }

    /** {@value #TRAJECTORY}: per seed, every epoch's record, the derived cell and its retrained result. */
    private ObjectNode trajectory(Map<Integer, TreeMap<Integer, JsonNode>> epochs, Map<String, TrialResult> byCell,
                                  List<PhaseCost> costs) {
        ObjectNode root = JSON.createObjectNode();
        root.put("remedy", darts.remedy().name().toLowerCase(Locale.ROOT));
        root.put("epochs", darts.epochs());
        root.put("warmup_epochs", darts.warmupEpochs());
        ArrayNode seeds = root.putArray("seeds");
        for (Map.Entry<Integer, TreeMap<Integer, JsonNode>> seed : epochs.entrySet()) {
            ObjectNode s = seeds.addObject();
            JsonNode last = seed.getValue().lastEntry().getValue();
            s.put("search", seed.getKey());
            s.put("search_seed", last.path("search_seed").asLong());
            if (stopped(seed.getValue())) {
                s.put("stopped_after_epoch", seed.getValue().lastKey() + 1);
            }
            int answer = answerEpoch(seed.getValue());
            CellArchitecture derived = cells(seed.getValue()).get(answer);
            s.put("derived", derived.text());
            s.put("derived_at_epoch", answer + 1);
            s.put("parameter_free_edges", EarlyStop.parameterFree(derived));
            TrialResult result = byCell.get(derived.effective().text());
            if (result instanceof TrialResult.Completed completed) {
                ObjectNode retrained = s.putObject("retrained");
                retrained.put("trial", completed.candidate().trialId());
                completed.metrics().values().forEach(retrained::put);
            }
            ArrayNode trajectory = s.putArray("trajectory");
            for (JsonNode record : seed.getValue().values()) {
                ObjectNode e = trajectory.addObject();
                for (String field : List.of("epoch", "warm_up", "aux_skip", "train_loss", "train_accuracy",
                        HELD_OUT_LOSS, "held_out_accuracy", "alpha", "derived", "parameter_free_edges")) {
                    e.set(field, record.path(field));
                }
            }
        }
        PhaseCost.record(root, costs);
        return root;
    }
}
