package io.galapagos.driver.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.galapagos.config.ConfigLoader;
import io.galapagos.config.ConfigException;
import io.galapagos.config.Overrides;
import io.galapagos.config.TextTrainerConfig;
import io.galapagos.config.Dl4jTraining;
import io.galapagos.config.SearchConfig;
import io.galapagos.config.TabularTrainerConfig;
import io.galapagos.config.TrainingConfig;
import io.galapagos.driver.execution.SparkContexts;
import io.galapagos.driver.checkpoint.TrainingKey;
import io.galapagos.driver.results.Journal;
import io.galapagos.driver.results.JournalRecords;
import io.galapagos.driver.results.OutputException;
import io.galapagos.driver.results.RunOutput;
import io.galapagos.space.Architecture;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialResult;
import io.galapagos.trial.TrialResultJson;
import io.galapagos.worker.HadoopFileSystems;
import io.galapagos.worker.network.InfeasibleNetworkException;
import io.galapagos.worker.training.FullDataTraining;
import io.galapagos.worker.training.LearningRates;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.TreeSet;

/**
 * Retrains one trial of a finished search on all of its training data and saves it as a model plain DeepLearning4J
 * loads: {@value #MODEL} ({@link ModelSerializer}, without updater state) and {@value #PROVENANCE} (what it is, what
 * it was made from, with what); for a text search also {@value ExportedVocabulary#NAME} (how text becomes its input)
 * and, when the network holds layers DeepLearning4J lacks, {@value LayersJar#NAME} (their classes). It reads the
 * search's output folder only: its recorded configuration (data, training settings, Spark settings), its journal (the
 * trial's architecture, seed and metrics) and, for text, its vocabulary.
 *
 * <p>With a Spark master of one core ({@code local[1]}) the network trains in this JVM, as a trial does; with any
 * other it trains data-parallel on the cluster with DL4J Spark ({@link ExportTraining}). Unless the request names the
 * epochs, it first trains the trial's own training split the same way and chooses them where its validation accuracy
 * was best ({@link EpochChoice}). Everything that can be wrong with the request (no such search, trial or data; a
 * trial that did not complete; a model folder that is used or cannot be written) is an {@link OutputException}
 * before anything trains.
 */
public final class ExportJob {

    public static final String MODEL = "model.zip";
    public static final String PROVENANCE = "provenance.json";
    /** Mini-batches each worker fits between two averagings of the parameters (DL4J Spark's own default is 5). */
    static final int AVERAGING_FREQUENCY = 5;

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A local master of one core ({@code local}, {@code local[1]}, {@code local[1,4]} with retries): no Spark needed. */
    private static final Pattern ONE_CORE = Pattern.compile("local(\\[1(,\\d+)?])?");
    private static final String SCHEDULE = "training.lr_schedule";

    /**
     * @param output   the search's output folder
     * @param trial    the trial to export ({@code trial-0007} or {@code 7}), or null for the search's answer
     *                 ({@code best.json})
     * @param epochs   epochs to train, or null for the best of up to {@link #defaultEpochs} on validation
     * @param modelDir where to write the model, or null for {@code <output>/model}
     * @param master   the Spark master to train on, or null for the search's
     * @param seed     the seed of the export's initial weights, example order and dropout, or null for the trial's
     * @param overrides {@code key=value} changes to the search's configuration for the export (its training
     *                 settings, Spark's), recorded in the provenance; without one of {@code training.lr_schedule},
     *                 the export anneals the learning rate ({@code cosine}), and records that as a change
     * @param version  Galapagos's version, for the provenance
     */
    public record Request(String output, String trial, Integer epochs, String modelDir, String master, Long seed,
                          List<String> overrides, String version) {
        public Request {
            overrides = List.copyOf(overrides);
        }
    }

    /**
     * @param trial        what was exported, as the search measured it
     * @param network      the network as saved
     * @param testAccuracy the exported model's accuracy on the test examples
     * @param folder       where the model is
     */
    public record Exported(TrialResult trial, ComputationGraph network, double testAccuracy, Path folder) {
    }

    private ExportJob() {
    }

    /**
     * Twice the epochs {@code trial} trained (its {@code epochs} metric: fewer than configured when its time budget
     * cut it; the search's {@code configured} epochs for a result without one), rounded up: the most an export tries
     * when it chooses its epochs. Trained as long as the trial, at the search's constant rate, the quickstart's
     * answer fell short of its trial (0.8745 against 0.8900), while twice as long, annealed, it did not (README,
     * "Export"); text networks, on the other hand, may peak well before.
     */
    static int defaultEpochs(TrialResult trial, int configured) {
        // at least 1: a trial whose time cap cut it before its first epoch ended records 0
        return Math.max(1, (int) Math.ceil(2 * trial.metrics().get(Metrics.EPOCHS).orElse(configured)));
    }

    /**
     * What {@code changed}, the recorded configuration with the export's changes, changes that an export would not use,
     * or empty: the seed (an export trains from its trial's), the search's epochs, time cap and fidelities, and the
     * settings of the search itself. Compared as read, whatever way the change was written.
     */
    private static Optional<String> unusedByExport(SearchConfig recorded, SearchConfig changed) {
        TrainingConfig before = ((Dl4jTraining) recorded.trainer()).training();
        TrainingConfig after = ((Dl4jTraining) changed.trainer()).training();
        if (recorded.seed() != changed.seed()) {
            return Optional.of("seed: an export trains from its trial's own seed: --seed S trains another draw");
        }
        if (before.epochs() != after.epochs()) {
            return Optional.of("training.epochs: an export chooses its epochs on validation: --epochs N trains N");
        }
        if (before.maxSeconds() != after.maxSeconds() || !before.fidelityEpochs().equals(after.fidelityEpochs())) {
            return Optional.of("training.max_seconds, training.fidelity_epochs: an export trains one trial, with no "
                    + "time cap and at no fidelity level");
        }
        if (before.latencyRepeats() != after.latencyRepeats() || !before.constraints().equals(after.constraints())) {
            return Optional.of("training.latency_repeats, constraints: an export measures no latency and screens no "
                    + "network: it retrains the one chosen");
        }
        boolean searchChanged = !recorded.name().equals(changed.name()) || recorded.trials() != changed.trials()
                || !recorded.maxTime().equals(changed.maxTime())
                || recorded.parallelism() != changed.parallelism() || recorded.executor() != changed.executor()
                || !recorded.strategy().equals(changed.strategy()) || !recorded.space().equals(changed.space())
                || !recorded.scheduling().equals(changed.scheduling()) || !recorded.recovery().equals(changed.recovery())
                || !recorded.oneshot().equals(changed.oneshot()) || !recorded.darts().equals(changed.darts())
                || !recorded.objectives().equals(changed.objectives());
        return searchChanged ? Optional.of("name, trials, max_minutes, parallelism, executor, strategy, space, "
                + "scheduling, recovery, oneshot, darts, objectives: settings of the search, which an export does not run")
                : Optional.empty();
    }

    /** The search's study record (empty when its journal has none, which {@link #chosen} then reports). */
    private static JsonNode studyRecord(JournalRecords journal) {
        return journal.records().stream().filter(line -> line.type().equals(Journal.STUDY))
                .map(JournalRecords.Line::record).findFirst().orElse(MissingNode.getInstance());
    }

    public static Exported run(Request request, PrintStream out) throws IOException, InterruptedException {
        // the search's own file system may need the overrides' settings (its s3a keys) before config.yaml is read
        RunOutput search = RunOutput.read(request.output(),
                HadoopFileSystems.configuration(Overrides.of("--set", request.overrides()).sparkConf()));
        String configText = search.readText(RunOutput.CONFIG);
        // checked before the cosine schedule is set below, which a search without DL4J training would refuse
        SearchConfig recorded = ConfigLoader.parse(search.folder() + "/" + RunOutput.CONFIG, configText, null,
                List.of()).config();
        if (!(recorded.trainer() instanceof Dl4jTraining)) {
            throw new OutputException(request.output(), "was not searched by training networks with DL4J (its trials "
                    + "were " + (recorded.trainer() instanceof TabularTrainerConfig ? "answered from a benchmark table"
                    : "simulated") + "): there is no network to export");
        }
        JournalRecords journal = JournalRecords.read(search);
        TrainingKey.checkLimitPolicy(studyRecord(journal), recorded, request.output());
        if (recorded.trainer() instanceof TextTrainerConfig) {
            for (String key : Overrides.of(RunOutput.CONFIG, request.overrides()).keys()) {
                if (key.equals("seed") || key.equals("data") || key.startsWith("data.")) {
                    // the text splits are cut by the study's seed, and encoded with the search's own vocabulary
                    throw new ConfigException("--set " + key, "", "a text search's data, splits and vocabulary "
                            + "are the search's own: its export trains on the training split the search cut");
                }
            }
        }
        List<String> changes = new ArrayList<>(request.overrides());
        if (changes.stream().noneMatch(o -> o.startsWith(SCHEDULE + "="))) {
            changes.add(SCHEDULE + "=cosine");
        }
        List<String> overrides = new ArrayList<>(changes);
        if (request.master() != null) {
            overrides.add("spark.master=" + request.master());
        }
        SearchConfig config = ConfigLoader.parse(search.folder() + "/" + RunOutput.CONFIG, configText, null,
                overrides).withSecrets().config();
        Optional<String> unused = unusedByExport(recorded, config);
        if (unused.isPresent()) {
            // the provenance lists every change: one that changed nothing would misreport the model
            throw new ConfigException("--set", "", unused.get());
        }
        // the data, the model folder and the search's own files with the search's spark.hadoop.* settings
        Configuration hadoop = HadoopFileSystems.configuration(config.spark().conf());
        Dl4jTraining trainer = (Dl4jTraining) config.trainer();
        TrialResult trial = chosen(search, journal, request);
        int most = request.epochs() != null ? request.epochs() : defaultEpochs(trial, trainer.training().epochs());
        TrainingConfig settings = FullDataTraining.settings(trainer.training(), most);
        String location = request.modelDir() != null ? request.modelDir() : search.folder() + "/model";
        checkUnused(location, hadoop);
        ExportData data = ExportData.load(trainer, search, request.output(), hadoop);
        // a model folder this export made and left empty (Spark refused its master, the training diverged) is removed
        return RunOutput.inNewFolder(location, hadoop, model -> {
            Architecture architecture = trial.candidate().architecture();
            long seed = request.seed() != null ? request.seed() : trial.candidate().seed();
            String master = config.spark().master() != null ? config.spark().master() : "local[*]";
            boolean inProcess = ONE_CORE.matcher(master).matches();
            out.printf(Locale.ROOT, "Exporting %s (%s) on %,d training examples, %s%n", trial.candidate().trialId(),
                    architecture.text(), data.train().size(),
                    inProcess ? "in this JVM" : "data-parallel with DL4J Spark on " + master);
            // an architecture that cannot be built again is refused before anything starts
            ComputationGraph fresh = network(request, trial, data, settings, seed);
            Instant started = Instant.now();
            JavaSparkContext sc = inProcess ? null : SparkContexts.create(config.spark(), "galapagos export: "
                    + config.name() + " " + trial.candidate().trialId());
            ComputationGraph graph;
            double seconds;
            EpochChoice epochs;
            Provenance.Training how;
            try {
                ExportTraining training;
                if (inProcess) {
                    training = new ExportTraining.InProcess();
                    how = new Provenance.Training("in-process", master, List.of(), 0, 0);
                } else {
                    // DL4J Spark splits the work over the slots it sees when it starts: let the executors register first
                    int slots = SparkContexts.awaitSlots(sc);
                    out.printf(Locale.ROOT, "Training on %d task slots%n", slots);
                    ExportTraining.DataParallel dataParallel = new ExportTraining.DataParallel(sc, slots,
                            AVERAGING_FREQUENCY);
                    training = dataParallel;
                    how = new Provenance.Training("data-parallel (DL4J Spark, parameter averaging)", sc.master(),
                            executorHosts(sc), AVERAGING_FREQUENCY, dataParallel.workerBatch(settings.batchSize()));
                }
                if (request.epochs() != null) {
                    epochs = EpochChoice.asked(most);
                } else {
                    epochs = EpochChoice.validate(fresh, data.trials(), settings, seed, training, out);
                    fresh = network(request, trial, data, settings, seed);
                }
                out.printf(Locale.ROOT, "Training %d epochs%s on all %,d training examples%n", epochs.epochs(),
                        epochs.validated() ? " (the best on validation)" : "", data.train().size());
                // annealed over the epochs chosen, to the end of its schedule (EpochChoice says why)
                Instant trainingStarted = Instant.now();
                graph = training.train(fresh, data.train(), FullDataTraining.settings(trainer.training(), epochs.epochs()),
                        seed, (network, done) -> { });
                seconds = secondsSince(trainingStarted);
            } finally {
                if (sc != null) {
                    sc.stop();
                }
            }
            double totalSeconds = secondsSince(started);
            double testAccuracy = FullDataTraining.accuracy(graph, data.test());
            // the annealing schedule is a Galapagos class that DL4J has no twin of; the saved configuration names the
            // search's fixed rate instead, so that plain DL4J restores the model (its updater state is not saved)
            LearningRates.set(graph, settings.learningRate());
            ByteArrayOutputStream zip = new ByteArrayOutputStream();
            ModelSerializer.writeModel(graph, zip, false);
            model.write(MODEL, zip.toByteArray());
            List<String> written = new ArrayList<>(List.of(MODEL, PROVENANCE));
            written.addAll(data.writeBeside(model));
            ObjectNode provenance = new Provenance(search, configText, changes, trial, seed, data, epochs, how,
                    seconds, totalSeconds, testAccuracy, request.version()).toJson(hadoop);
            Optional<byte[]> layers = LayersJar.of(graph);
            if (layers.isPresent()) {
                model.write(LayersJar.NAME, layers.get());
                written.add(LayersJar.NAME);
                provenance.put("layers", LayersJar.NAME + ": the Galapagos layers of " + MODEL + ", for plain DL4J");
            }
            model.write(PROVENANCE, provenance.toPrettyString() + "\n");
            double reported = trial.metrics().get(Metrics.TEST_ACCURACY).orElse(Double.NaN);
            out.printf(Locale.ROOT, "Exported %s: test accuracy %.4f, one standard error %.4f on %,d test examples (the "
                            + "search measured %.4f after training on its training split alone), trained in %.1f s (%.1f s "
                            + "from Spark's start); in %s: %s%n", trial.candidate().trialId(), testAccuracy,
                    Provenance.standardError(testAccuracy, data.test().size()), data.test().size(), reported, seconds,
                    totalSeconds, model.folder(), String.join(", ", written));
            return new Exported(trial, graph, testAccuracy, model.folder());
        });
    }

    private static double secondsSince(Instant start) {
        return (Instant.now().toEpochMilli() - start.toEpochMilli()) / 1000.0;
    }

    /** A new network of {@code trial}'s architecture, initialised from {@code seed}. */
    private static ComputationGraph network(Request request, TrialResult trial, ExportData data,
                                            TrainingConfig settings, long seed) {
        try {
            return FullDataTraining.network(trial.candidate().architecture(), data.input(), settings, seed);
        } catch (InfeasibleNetworkException e) {
            throw new OutputException(request.output(), trial.candidate().trialId() + " cannot be built again: "
                    + e.getMessage());
        }
    }

    /** The requested trial's last result on its own weights, or the search's answer; it must have completed. */
    private static TrialResult chosen(RunOutput search, JournalRecords journal, Request request) throws IOException {
        String id;
        if (request.trial() != null) {
            // a number too large for a trial is no trial's: as a name, it is then reported as having no result
            id = request.trial().matches("\\d{1,9}") ? Candidate.trialId(Integer.parseInt(request.trial()))
                    : request.trial();
        } else if (search.exists(RunOutput.BEST)) {
            try {
                id = JSON.readTree(search.readText(RunOutput.BEST)).path("trial").asText("");
            } catch (JsonProcessingException e) {
                id = "";
            }
            if (id.isEmpty()) {
                throw new OutputException(request.output(), RunOutput.BEST + " names no trial (it is damaged): name the "
                        + "trial to export with --trial, or write it again with galapagos resume");
            }
        } else {
            throw new OutputException(request.output(), "has no " + RunOutput.BEST + " (the search has not finished, or "
                    + "no trial completed): name the trial to export with --trial");
        }
        Map<String, TrialResult> results = new HashMap<>();
        for (JournalRecords.Line line : journal.records()) {
            // a result measured on shared weights has no weights of its own to export
            if (line.type().equals("result") && !line.record().path("fidelity").isTextual()) {
                try {
                    TrialResult result = TrialResultJson.fromJson(line.record(), Architecture::parse);
                    results.put(result.candidate().trialId(), result);
                } catch (IllegalArgumentException damaged) {
                    // a damaged line is skipped, as resume and report skip it; its trial has no result to export
                }
            }
        }
        TrialResult result = results.get(id);
        if (result == null) {
            TreeSet<String> trials = new TreeSet<>(results.keySet());
            throw new OutputException(request.output(), "has no result of " + id + (trials.isEmpty()
                    ? " (its journal holds no result)"
                    : " (its trials are " + trials.first() + " to " + trials.last() + ")"));
        }
        if (!(result instanceof TrialResult.Completed)) {
            throw new OutputException(request.output(), id + " is " + result.status() + " (" + result.reason()
                    + "): only a completed trial can be exported");
        }
        return result;
    }

    /** An export never overwrites: the model folder must be new or empty. */
    private static void checkUnused(String location, Configuration hadoop) throws IOException {
        Path folder = RunOutput.location(location);
        FileSystem fs = HadoopFileSystems.of(folder, hadoop);
        try {
            FileStatus status = fs.getFileStatus(folder);
            if (!status.isDirectory() || fs.listStatus(folder).length > 0) {
                throw new OutputException(location, "is used: an export never overwrites; choose a new --output");
            }
        } catch (FileNotFoundException absent) {
            // a new folder: the normal case
        }
    }

    /** The hosts of the executors the export had, for the provenance. */
    private static List<String> executorHosts(JavaSparkContext sc) {
        TreeSet<String> hosts = new TreeSet<>();
        for (org.apache.spark.SparkExecutorInfo info : sc.sc().statusTracker().getExecutorInfos()) {
            hosts.add(info.host());
        }
        return List.copyOf(hosts);
    }
}
