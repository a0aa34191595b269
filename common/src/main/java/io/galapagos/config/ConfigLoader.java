package io.galapagos.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.galapagos.space.Activation;
import io.galapagos.space.CellOperation;
import io.galapagos.space.CellSearchSpace;
import io.galapagos.space.InvalidValueException;
import io.galapagos.space.LayerType;
import io.galapagos.space.MacroSearchSpace;
import io.galapagos.space.SearchSpace;
import io.galapagos.space.SequenceLayerType;
import io.galapagos.space.SequencePooling;
import io.galapagos.space.SequenceSearchSpace;
import io.galapagos.text.VocabularyRules;
import io.galapagos.trial.Metrics;
import io.galapagos.space.SkipMode;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Loads a {@link SearchConfig} from YAML ({@link YamlTrees}: one document, no duplicated keys, no aliases), applying
 * {@code key=value} overrides first ({@link Overrides}). Every problem becomes a {@link ConfigException} naming the
 * file or the {@code --set} the value came from, the key and the value. Relative data and benchmark table paths are
 * resolved against the config file's folder. Thread-safe (stateless).
 */
public final class ConfigLoader {

    /** Writes the effective configuration; reading is {@link YamlTrees}'s. */
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    private static final java.util.regex.Pattern SCHEME = java.util.regex.Pattern.compile("[A-Za-z][A-Za-z0-9+.-]+:");

    private ConfigLoader() {
    }

    /**
     * A loaded configuration and its effective form.
     *
     * @param config         the configuration, with every value as given (secrets included)
     * @param effectiveYaml  the configuration as YAML, defaults and overrides applied and {@linkplain Secrets secrets}
     *                       redacted: what an output's {@code config.yaml} records and what may be shown
     * @param source         where it was read from, as messages name it
     * @param missingSecrets dotted keys whose value is still the redacted placeholder of a saved configuration
     */
    public record Loaded(SearchConfig config, String effectiveYaml, String source, List<String> missingSecrets) {

        public Loaded {
            missingSecrets = List.copyOf(missingSecrets);
        }

        /**
         * This configuration, to run: it must hold every secret. A saved configuration ({@code config.yaml}) holds
         * none, so each must be given again with {@code --set}.
         *
         * @throws ConfigException naming the first secret still redacted
         */
        public Loaded withSecrets() {
            if (!missingSecrets.isEmpty()) {
                String key = missingSecrets.get(0);
                throw new ConfigException(source, key, "is a secret, and a saved configuration holds none (it reads '"
                        + Secrets.REDACTED + "'): give it again, --set " + key + "=VALUE");
            }
            return this;
        }
    }

    /** Loads a configuration file to run it or check it: it must hold every secret ({@link Loaded#withSecrets()}). */
    public static Loaded load(Path file, List<String> overrides) {
        return parse(file.toString(), ConfigText.read(file), file.toAbsolutePath().getParent(), overrides).withSecrets();
    }

    /**
     * Loads from text; {@code baseDir} resolves relative data paths. Secrets may be missing (a saved configuration
     * read to compare it, or to warm-start from it): call {@link Loaded#withSecrets()} before running it.
     */
    public static Loaded parse(String source, String text, Path baseDir, List<String> overrides) {
        Overrides sources = Overrides.of(source, overrides);
        JsonNode tree = YamlTrees.read(source, "", text);
        if (tree == null) {
            tree = JsonNodeFactory.instance.objectNode();
        }
        if (tree instanceof ObjectNode object) {
            sources.applyTo(object);
        }
        ObjectNode effective = JsonNodeFactory.instance.objectNode();
        ConfigReader root = ConfigReader.root(sources, tree, effective);
        SearchConfig config;
        try {
            config = read(root, baseDir);
        } catch (ConfigException e) {
            throw root.misspelling().orElse(e);
        }
        root.finish();
        try {
            return new Loaded(config, YAML.writeValueAsString(Secrets.redact(effective)), source,
                    Secrets.missing(effective));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SearchConfig read(ConfigReader root, Path baseDir) {
        String name = root.string("name", "search");
        long seed = root.longValue("seed", 0);
        int trials = root.integer("trials", 20, 1, 1_000_000);
        Duration maxTime = Duration.ofMillis(Math.round(root.decimal("max_minutes", 0, 0, 1e6) * 60_000));
        int parallelism = root.integer("parallelism", 0, 0, 100_000);
        SearchConfig.ExecutorKind executor = root.name("executor", SearchConfig.ExecutorKind.SPARK,
                ConfigLoader::executorKind, SearchConfig.ExecutorKind::text);
        StrategyConfig strategy = readStrategy(root.section("strategy"));
        SearchSpace space = readSpace(root.section("space"));
        TrainerConfig trainer = readTrainer(root, space, baseDir, seed);
        checkFidelities(strategy, trainer, root);
        checkObjectives(strategy, trainer, root);
        SchedulingConfig scheduling = readScheduling(root.section("scheduling"), trainer);
        RecoveryConfig recovery = readRecovery(root.section("recovery"));
        ConfigReader sparkSection = root.section("spark");
        SparkSettings spark = build(sparkSection, () -> new SparkSettings(
                sparkSection.optionalString("master"), sparkSection.stringMap("conf")));
        Optional<OneShotConfig> oneshot = root.present("oneshot")
                ? Optional.of(readOneShot(root, trials, executor, strategy, space, trainer)) : Optional.empty();
        Optional<DartsConfig> darts = strategy.kind() == StrategyConfig.Kind.DARTS
                ? Optional.of(readDarts(root, executor, space, trainer)) : Optional.empty();
        if (darts.isEmpty() && root.present("darts")) {
            throw root.error("darts", "section", "needs strategy.kind: darts", "strategy.kind");
        }
        // read only when present, but known keys all the same: an unknown key's message lists them
        root.allow("oneshot");
        root.allow("darts");
        if (trainer.objectives().size() > 1 && (oneshot.isPresent() || darts.isPresent())) {
            throw root.error("objectives.minimize", trainer.objectives().subList(1, trainer.objectives().size()).stream()
                    .map(o -> o.metric()).toList(), "applies to searches that train every candidate; a weight-sharing "
                    + "or DARTS search ranks by validation accuracy alone", oneshot.isPresent() ? "oneshot" : "strategy.kind");
        }
        if (!maxTime.isZero() && (oneshot.isPresent() || darts.isPresent())) {
            throw root.error("max_minutes", root.decimal("max_minutes", 0, 0, 1e6), "applies to searches that train "
                    + "every candidate; a weight-sharing or DARTS search runs its phases to their end",
                    oneshot.isPresent() ? "oneshot" : "strategy.kind");
        }
        return build(root, () -> new SearchConfig(name, seed, trials, maxTime, parallelism, executor, strategy, space,
                trainer, spark, scheduling, recovery, oneshot, darts));
    }

    /**
     * The {@code oneshot} section, every key optional (an empty section is one-shot NAS with the defaults of
     * {@link OneShotConfig#DEFAULTS}). Weight sharing needs the cell space, DL4J training (its data, and its
     * training settings for the stand-alone retraining), Spark and a strategy that proposes plain architectures.
     */
    private static OneShotConfig readOneShot(ConfigReader root, int trials, SearchConfig.ExecutorKind executor,
                                             StrategyConfig strategy, SearchSpace space, TrainerConfig trainer) {
        if (!(space instanceof CellSearchSpace)) {
            throw root.error("oneshot", "section", "needs the cell space (space.kind: nb201): supernets are built "
                    + "of cells", "space.kind");
        }
        if (!(trainer instanceof Dl4jTrainerConfig)) {
            throw root.error("oneshot", "section", "needs DL4J training (data and training sections): supernets "
                    + "and retrained cells are trained on real data", "benchmark", "synthetic");
        }
        if (executor != SearchConfig.ExecutorKind.SPARK) {
            throw root.error("oneshot", "section", "needs executor: spark (supernets train as Spark tasks)",
                    "executor");
        }
        if (strategy.kind() == StrategyConfig.Kind.HYPERBAND) {
            throw root.error("oneshot", "section", "cannot be used with strategy.kind hyperband: a measurement on "
                    + "shared weights has no fidelity levels", "strategy.kind");
        }
        if (!((Dl4jTrainerConfig) trainer).training().constraints().bounds().isEmpty()) {
            throw root.error("oneshot", "section", "cannot be used with constraints yet: cells measured on shared "
                    + "weights are not screened against the bounds, so the best of them, and the answer, could break "
                    + "them", "constraints");
        }
        ConfigReader o = root.section("oneshot");
        OneShotConfig d = OneShotConfig.DEFAULTS;
        int split = o.name("split", d.splitEdge(), OneShotConfig::parseSplit, OneShotConfig::splitText);
        int epochs = o.integer("epochs", d.epochs(), 1, 10_000);
        int warmup = o.integer("warmup_epochs", d.warmupEpochs(), 0, 10_000);
        OneShotConfig.Optimiser optimiser = o.word("optimiser", d.optimiser());
        double lr = o.decimal("learning_rate", optimiser.defaultRate(), 1e-9, 10);
        double splitLr = o.decimal("split_learning_rate", lr, 1e-9, 10);
        double momentum = o.decimal("momentum", d.momentum(), 0, 0.999);
        double decay = o.decimal("weight_decay", d.weightDecay(), 0, 1);
        int batch = o.integer("batch_size", d.batchSize(), 1, 8192);
        int calibration = o.integer("calibration_batches", d.calibrationBatches(), 1, 10_000);
        int retrain = o.integer("retrain_top", d.retrainTop(), 1, 1_000_000);
        if (retrain > trials) {
            throw o.error("retrain_top", retrain, "is larger than the sample it is the top of (trials: " + trials
                    + " cells measured on shared weights)", "trials");
        }
        int sample = o.integer("correlation_sample", d.correlationSample(), 0, 100_000);
        OneShotConfig.Sampling sampling = o.word("sampling", d.sampling());
        ConfigReader w = o.section("operation_weights");
        Map<CellOperation, Double> weights = new EnumMap<>(CellOperation.class);
        for (CellOperation op : CellOperation.values()) {
            weights.put(op, w.decimal(op.text(), d.operationWeights().get(op), 1e-6, 1e6));
        }
        return build(o, () -> new OneShotConfig(split, epochs, warmup, lr, splitLr, optimiser, momentum, decay, batch,
                calibration, retrain, sample, sampling, weights));
    }

    /**
     * The {@code darts} section, every key optional, for {@code strategy.kind: darts}: it needs the cell space, DL4J
     * training (the derived cells are retrained stand-alone), Spark (seeds are Spark tasks) and no {@code oneshot}.
     */
    private static DartsConfig readDarts(ConfigReader root, SearchConfig.ExecutorKind executor, SearchSpace space,
                                         TrainerConfig trainer) {
        if (!(space instanceof CellSearchSpace)) {
            throw root.error("strategy.kind", "darts", "needs the cell space (space.kind: nb201): DARTS relaxes a "
                    + "cell's edges", "space.kind");
        }
        if (!(trainer instanceof Dl4jTrainerConfig)) {
            throw root.error("strategy.kind", "darts", "needs DL4J training (data and training sections): the "
                    + "supernet and the derived cells are trained on real data", "benchmark", "synthetic");
        }
        if (executor != SearchConfig.ExecutorKind.SPARK) {
            throw root.error("strategy.kind", "darts", "needs executor: spark (each seed is a Spark task)", "executor");
        }
        if (root.present("oneshot")) {
            throw root.error("oneshot", "section", "cannot be used with strategy.kind darts (DARTS trains its own "
                    + "supernet: set it up in the darts section)", "strategy.kind");
        }
        ConfigReader d = root.section("darts");
        DartsConfig x = DartsConfig.DEFAULTS;
        int seeds = d.integer("seeds", x.seeds(), 1, 10_000);
        int epochs = d.integer("epochs", x.epochs(), 1, 10_000);
        int warmup = d.integer("warmup_epochs", x.warmupEpochs(), 0, 10_000);
        int batch = d.integer("batch_size", x.batchSize(), 1, 8192);
        double lr = d.decimal("learning_rate", x.learningRate(), 1e-9, 10);
        double momentum = d.decimal("momentum", x.momentum(), 0, 0.999);
        double decay = d.decimal("weight_decay", x.weightDecay(), 0, 1);
        double alphaLr = d.decimal("alpha_learning_rate", x.alphaLearningRate(), 1e-9, 10);
        double alphaDecay = d.decimal("alpha_weight_decay", x.alphaWeightDecay(), 0, 1);
        DartsConfig.Remedy remedy = d.word("remedy", x.remedy());
        return build(d, () -> new DartsConfig(seeds, epochs, warmup, batch, lr, momentum, decay, alphaLr, alphaDecay,
                remedy));
    }

    /** The {@code recovery} section, every key optional (defaults: {@link RecoveryConfig#DEFAULTS}). */
    private static RecoveryConfig readRecovery(ConfigReader r) {
        RecoveryConfig d = RecoveryConfig.DEFAULTS;
        int every = r.integer("snapshot_every", d.snapshotEvery(), 1, 1_000_000);
        boolean sync = r.bool("sync_journal", d.syncJournal());
        double rate = r.decimal("max_failure_rate", d.maxFailureRate(), 0, 1);
        int after = r.integer("failure_rate_after", d.failureRateAfter(), 1, 1_000_000);
        return build(r, () -> new RecoveryConfig(every, sync, rate, after));
    }

    /**
     * The {@code scheduling} section, every key optional. {@code generation} matters in generational mode only and
     * {@code batch_window_seconds} with batching on only, but both are accepted either way, so that
     * {@code --set scheduling.mode=steady} or {@code --set scheduling.batching=off} works on any config. The default trial timeout depends on the trainer ({@link SchedulingConfig#defaultTrialTimeout}). YAML reads
     * a bare {@code batching: off} as {@code false}, so booleans are taken too: false for off, true for auto.
     */
    private static SchedulingConfig readScheduling(ConfigReader s, TrainerConfig trainer) {
        SchedulingConfig.Mode mode = s.word("mode", SchedulingConfig.Mode.STEADY);
        int generation = s.integer("generation", 0, 0, 1_000_000);
        double timeout = s.decimal("trial_timeout_seconds",
                SchedulingConfig.seconds(SchedulingConfig.defaultTrialTimeout(trainer)), 0,
                SchedulingConfig.MAX_TRIAL_TIMEOUT_SECONDS);
        SchedulingConfig.Batching batching;
        JsonNode batchingNode = s.raw("batching");
        if (batchingNode != null && batchingNode.isBoolean()) {
            // YAML 1.1 reads a bare off (and on, no, yes) as a boolean
            s.allow("batching");
            batching = batchingNode.asBoolean() ? SchedulingConfig.Batching.AUTO : SchedulingConfig.Batching.OFF;
            s.setEffective("batching", batching.text());
        } else {
            batching = s.word("batching", SchedulingConfig.Batching.AUTO);
        }
        double window = s.decimal("batch_window_seconds", SchedulingConfig.DEFAULT_BATCH_WINDOW_SECONDS, 0.001,
                SchedulingConfig.MAX_BATCH_WINDOW_SECONDS);
        return build(s, () -> new SchedulingConfig(mode, generation, SchedulingConfig.ofSeconds(timeout), batching,
                SchedulingConfig.ofSeconds(window)));
    }

    /**
     * Reads a strategy given as {@code kind} and settings, the way a config's {@code strategy} section is
     * read (same keys, defaults and messages): e.g. {@code evolution:population=10,sample_size=3}, or
     * just {@code random}. Values are read as YAML scalars. For command lines such as {@code galapagos bench}.
     */
    public static StrategyConfig strategy(String source, String spec) {
        String text = spec == null ? "" : spec.strip();
        int colon = text.indexOf(':');
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("kind", colon < 0 ? text : text.substring(0, colon).strip());
        if (colon >= 0 && !text.substring(colon + 1).isBlank()) {
            for (String setting : text.substring(colon + 1).split(",")) {
                int eq = setting.indexOf('=');
                if (eq <= 0) {
                    throw new ConfigException(source, setting.strip(), "expected key=value, e.g. evolution:population=10,sample_size=3");
                }
                String key = setting.substring(0, eq).strip();
                JsonNode value = YamlTrees.read(source, key, setting.substring(eq + 1));
                node.set(key, value == null ? JsonNodeFactory.instance.nullNode() : value);
            }
        }
        ConfigReader reader = ConfigReader.root(Overrides.none(source), node, JsonNodeFactory.instance.objectNode());
        StrategyConfig config = readStrategy(reader);
        reader.finish();
        return config;
    }

    private static SearchConfig.ExecutorKind executorKind(String text) {
        for (SearchConfig.ExecutorKind k : SearchConfig.ExecutorKind.values()) {
            if (k.text().equals(text)) {
                return k;
            }
        }
        throw new IllegalArgumentException("expected spark or in_process");
    }

    /**
     * Hyperband proposes levels the trainer must train: its {@link TrainerConfig#fidelityLevels()} (a benchmark's
     * {@code fidelities} columns, DL4J's {@code training.fidelity_epochs}) must list exactly
     * {@code strategy.fidelities} of them.
     */
    /** The section a dotted key is in ({@code training} for {@code training.fidelity_epochs}); else the key. */
    private static String section(String key) {
        int dot = key.indexOf('.');
        return dot < 0 ? key : key.substring(0, dot);
    }

    private static void checkFidelities(StrategyConfig strategy, TrainerConfig trainer, ConfigReader root) {
        if (strategy.kind() != StrategyConfig.Kind.HYPERBAND) {
            return;
        }
        FidelityLevels levels = trainer.fidelityLevels();
        if (levels.levels().isEmpty()) {
            throw root.error("strategy.kind", "'hyperband'", "needs " + levels.key() + ": " + levels.format(),
                    section(levels.key()));
        }
        if (levels.count() != strategy.fidelities()) {
            throw root.error("strategy.fidelities", strategy.fidelities(), "must equal the number of "
                    + levels.key() + " (" + levels.count() + ": " + String.join(", ", levels.levels()) + ")",
                    levels.key());
        }
    }

    /**
     * A {@code benchmark} section selects the tabular trainer, a {@code synthetic} section (even an empty one)
     * the synthetic trainer; otherwise {@code data} and {@code training} configure DL4J. The three are
     * mutually exclusive.
     */
    private static TrainerConfig readTrainer(ConfigReader root, SearchSpace space, Path baseDir, long seed) {
        List.of("benchmark", "constraints", "data", "objectives", "synthetic", "training").forEach(root::allow);
        if (root.present("synthetic")) {
            if (root.has("benchmark")) {
                throw root.error("synthetic", "section", "cannot be used with a 'benchmark' section (each says how "
                        + "trials are run); remove one of them", "benchmark");
            }
            for (String unused : List.of("data", "training", "constraints", "objectives")) {
                if (root.has(unused)) {
                    throw root.error(unused, "section", "is not used with a 'synthetic' section (synthetic trials "
                            + "are simulated, not trained); remove one of them", "synthetic");
                }
            }
            return readSynthetic(root.section("synthetic"));
        }
        if (root.has("benchmark")) {
            if (root.has("objectives")) {
                throw root.error("objectives", "section", "is for trained searches; a benchmark names its minimised "
                        + "columns in benchmark.minimize", "benchmark");
            }
            for (String unused : List.of("data", "training", "constraints")) {
                if (root.has(unused)) {
                    throw root.error(unused, "section", "is not used with a 'benchmark' section "
                            + "(benchmark results are looked up, not trained); remove one of them", "benchmark");
                }
            }
            return readBenchmark(root.section("benchmark"), baseDir);
        }
        ConfigReader dataSection = root.section("data");
        boolean text = dataSection.has("format");
        if (text != space instanceof SequenceSearchSpace) {
            throw text ? root.error("data.format", dataSection.raw("format"), "is text data, which only the sequence "
                    + "space reads (space.kind: sequence)", "space.kind")
                    : root.error("space.kind", "sequence", "reads text data: give the data section 'format: "
                    + TextDataConfig.FORMAT + "' and its files", "data");
        }
        ConfigReader constraintsSection = root.section("constraints");
        Constraints constraints = readConstraints(constraintsSection);
        LatencyModelConfig latencyModel = readLatencyModel(constraintsSection, constraints, baseDir);
        ObjectivesConfig objectives = readObjectives(root.section("objectives"));
        TrainingConfig training;
        if (text) {
            TextDataConfig data = readTextData(dataSection, baseDir, seed);
            training = readTraining(root.section("training"), false, constraints);
            return new TextTrainerConfig(data, training, objectives, latencyModel);
        }
        DataConfig data = readData(dataSection, baseDir);
        training = readTraining(root.section("training"), space instanceof CellSearchSpace, constraints);
        return new Dl4jTrainerConfig(data, training, objectives, latencyModel);
    }

    private static SyntheticTrainerConfig readSynthetic(ConfigReader s) {
        double median = s.decimal("median_seconds", SyntheticTrainerConfig.DEFAULT_MEDIAN_SECONDS, 0, 1e7);
        double sigma = s.decimal("sigma", SyntheticTrainerConfig.DEFAULT_SIGMA, 0, 10);
        double stragglerProbability = s.decimal("straggler_probability",
                SyntheticTrainerConfig.DEFAULT_STRAGGLER_PROBABILITY, 0, 1);
        double stragglerFactor = s.decimal("straggler_factor", SyntheticTrainerConfig.DEFAULT_STRAGGLER_FACTOR, 1, 1e6);
        double failureProbability = s.decimal("failure_probability",
                SyntheticTrainerConfig.DEFAULT_FAILURE_PROBABILITY, 0, 1);
        return build(s, () -> new SyntheticTrainerConfig(median, sigma, stragglerProbability, stragglerFactor,
                failureProbability));
    }

    private static TabularTrainerConfig readBenchmark(ConfigReader b, Path baseDir) {
        String table = path(b, "table", baseDir);
        String signal = b.string("signal", null);
        String report = b.optionalString("report");
        List<String> minimize = b.names("minimize", List.of(), name -> {
            if (name.isBlank()) {
                throw new IllegalArgumentException("a column name cannot be blank");
            }
            return name;
        }, name -> name);
        List<String> fidelities = b.names("fidelities", List.of(), name -> {
            if (name.isBlank()) {
                throw new IllegalArgumentException("a column name cannot be blank");
            }
            return name;
        }, name -> name);
        return build(b, () -> new TabularTrainerConfig(table, signal, report, minimize, fidelities));
    }

    /** {@code kind: macro} (the default, with the macro space's keys), {@code nb201} or {@code sequence}. */
    private static SearchSpace readSpace(ConfigReader s) {
        String kind = s.name("kind", "macro", text -> {
            if (!List.of("macro", "nb201", "sequence").contains(text)) {
                throw new IllegalArgumentException("expected macro, nb201 or sequence");
            }
            return text;
        }, text -> text);
        return switch (kind) {
            case "nb201" -> readCellSpace(s);
            case "sequence" -> readSequenceSpace(s);
            default -> readMacroSpace(s);
        };
    }

    private static SequenceSearchSpace readSequenceSpace(ConfigReader s) {
        int min = s.integer("min_blocks", 1, 1, SequenceSearchSpace.MAX_BLOCKS);
        int max = s.integer("max_blocks", 3, 1, SequenceSearchSpace.MAX_BLOCKS);
        List<Integer> embedding = s.integers("embedding_dims", List.of(64, 128), 1, 4096);
        List<SequenceLayerType> blocks = s.names("blocks", Arrays.asList(SequenceLayerType.values()),
                SequenceLayerType::fromText, SequenceLayerType::text);
        List<Integer> units = s.integers("units", List.of(64, 128), 1, 4096);
        List<Integer> kernels = s.integers("kernel_sizes", List.of(3, 5), 1, 15);
        List<Integer> filters = s.integers("filters", List.of(64, 128), 1, 4096);
        List<Activation> activations = s.names("activations", List.of(Activation.RELU), Activation::fromText,
                Activation::text);
        List<Integer> heads = s.integers("heads", List.of(2, 4), 1, 64);
        List<Integer> feedForward = s.integers("feed_forward", List.of(128, 256), 1, 16384);
        List<Double> dropout = s.decimals("dropout", List.of(0.0, 0.25, 0.5), 0, 0.99);
        List<Boolean> residual = s.booleans("residual", List.of(false, true));
        List<SequencePooling> pooling = s.names("pooling", Arrays.asList(SequencePooling.values()),
                SequencePooling::fromText, SequencePooling::text);
        return build(s, () -> new SequenceSearchSpace(min, max, embedding,
                blocks.isEmpty() ? EnumSet.noneOf(SequenceLayerType.class) : EnumSet.copyOf(blocks), units, kernels,
                filters, activations, heads, feedForward, dropout, residual, pooling));
    }

    private static CellSearchSpace readCellSpace(ConfigReader s) {
        List<CellOperation> operations = s.names("operations", List.of(CellOperation.values()),
                CellOperation::fromText, CellOperation::text);
        return build(s, () -> new CellSearchSpace(operations));
    }

    /**
     * The strategy section: {@code kind}, {@code population} and {@code sample_size} for every kind (as
     * before), and only the settings the kind uses besides, so a setting of another kind is an unknown key.
     */
    private static StrategyConfig readStrategy(ConfigReader s) {
        StrategyConfig.Kind kind = s.name("kind", StrategyConfig.Kind.EVOLUTION,
                ConfigLoader::strategyKind, StrategyConfig.Kind::text);
        StrategyConfig d = StrategyConfig.defaults(kind);
        int population = s.integer("population", d.population(), 2, 100_000);
        int sampleSize = s.integer("sample_size", d.sampleSize(), 1, 100_000);
        boolean local = kind == StrategyConfig.Kind.LOCAL;
        boolean reinforce = kind == StrategyConfig.Kind.REINFORCE;
        boolean bananas = kind == StrategyConfig.Kind.BANANAS;
        boolean hyperband = kind == StrategyConfig.Kind.HYPERBAND;
        double crossover = kind == StrategyConfig.Kind.EVOLUTION
                ? s.decimal("crossover_probability", d.crossoverProbability(), 0, 1) : d.crossoverProbability();
        int initial = local || bananas ? s.integer("initial_samples", d.initialSamples(), 1, 1_000_000)
                : d.initialSamples();
        double lr = reinforce ? s.decimal("learning_rate", d.learningRate(), 1e-9, 10) : d.learningRate();
        double entropy = reinforce ? s.decimal("entropy_weight", d.entropyWeight(), 0, 10) : d.entropyWeight();
        double decay = reinforce ? s.decimal("baseline_decay", d.baselineDecay(), 0, 0.999999) : d.baselineDecay();
        int ensemble = bananas ? s.integer("ensemble_size", d.ensembleSize(), 1, 100) : d.ensembleSize();
        int parents = bananas ? s.integer("parents", d.parents(), 1, 100_000) : d.parents();
        int candidates = bananas ? s.integer("candidates", d.candidates(), 1, 1_000_000) : d.candidates();
        int eta = hyperband ? s.integer("eta", d.eta(), 2, 100) : d.eta();
        int fidelities = hyperband ? s.integer("fidelities", d.fidelities(), 2, 10) : d.fidelities();
        StrategyConfig.Kind inner = hyperband ? s.name("inner", d.inner(), ConfigLoader::strategyKind,
                StrategyConfig.Kind::text) : d.inner();
        StrategyConfig.Policy policy = reinforce ? s.name("policy", d.policy(), ConfigLoader::policy,
                StrategyConfig.Policy::text) : d.policy();
        return build(s, () -> new StrategyConfig(kind, population, sampleSize, crossover, initial, lr, entropy, decay,
                ensemble, parents, candidates, eta, fidelities, inner, policy));
    }

    private static StrategyConfig.Policy policy(String text) {
        for (StrategyConfig.Policy p : StrategyConfig.Policy.values()) {
            if (p.text().equals(text)) {
                return p;
            }
        }
        throw new IllegalArgumentException("expected factorised or autoregressive");
    }

    private static StrategyConfig.Kind strategyKind(String text) {
        for (StrategyConfig.Kind k : StrategyConfig.Kind.values()) {
            if (k.text().equals(text)) {
                return k;
            }
        }
        throw new IllegalArgumentException("expected random, evolution, local, reinforce, bananas, nsga2, hyperband or "
                + "darts");
    }

    private static MacroSearchSpace readMacroSpace(ConfigReader s) {
        int min = s.integer("min_blocks", 1, 1, MacroSearchSpace.MAX_BLOCKS);
        int max = s.integer("max_blocks", 4, 1, MacroSearchSpace.MAX_BLOCKS);
        List<LayerType> layers = s.names("layers", Arrays.asList(LayerType.values()),
                ConfigLoader::layerType, LayerType::text);
        List<Integer> kernels = s.integers("kernel_sizes", List.of(3, 5), 1, 11);
        List<Integer> filters = s.integers("filters", List.of(16, 32), 1, 4096);
        List<Integer> units = s.integers("dense_units", List.of(64, 128), 1, 65536);
        List<Activation> activations = s.names("activations", List.of(Activation.RELU),
                Activation::fromText, Activation::text);
        List<Boolean> batchNorm = s.booleans("batch_norm", List.of(false, true));
        List<Double> dropout = s.decimals("dropout", List.of(0.0), 0, 0.99);
        List<SkipMode> skipModes = s.names("skip_modes", List.of(SkipMode.ADD, SkipMode.CONCAT),
                SkipMode::fromText, SkipMode::text);
        return build(s, () -> new MacroSearchSpace(min, max,
                layers.isEmpty() ? EnumSet.noneOf(LayerType.class) : EnumSet.copyOf(layers),
                kernels, filters, units, activations, batchNorm, dropout, skipModes));
    }

    private static LayerType layerType(String text) {
        for (LayerType t : LayerType.values()) {
            if (t.text().equals(text)) {
                return t;
            }
        }
        throw new IllegalArgumentException("expected conv, maxpool, avgpool or dense");
    }

    private static DataConfig readData(ConfigReader d, Path baseDir) {
        String trainImages = path(d, "train_images", baseDir);
        String trainLabels = path(d, "train_labels", baseDir);
        String testImages = path(d, "test_images", baseDir);
        String testLabels = path(d, "test_labels", baseDir);
        double validation = d.decimal("validation_fraction", 0.1, 0.0, 0.5);
        int limit = d.integer("train_limit", 0, 0, Integer.MAX_VALUE);
        return build(d, () -> new DataConfig(trainImages, trainLabels, testImages, testLabels, validation, limit));
    }

    /**
     * A text data section: {@code format: label-space-text}, the {@code train} file, optional {@code validation} and
     * {@code test} files (a fraction of training is cut for each one missing), the {@code encoding} and the
     * vocabulary rules.
     */
    private static TextDataConfig readTextData(ConfigReader d, Path baseDir, long seed) {
        d.name("format", TextDataConfig.FORMAT, text -> {
            if (!text.equals(TextDataConfig.FORMAT)) {
                throw new IllegalArgumentException("expected " + TextDataConfig.FORMAT + " (one example per line: "
                        + "the label, a space, the text)");
            }
            return text;
        }, text -> text);
        String train = path(d, "train", baseDir);
        String validation = d.has("validation") ? path(d, "validation", baseDir) : null;
        String test = d.has("test") ? path(d, "test", baseDir) : null;
        String encoding = d.string("encoding", "UTF-8");
        double validationFraction = fraction(d, "validation_fraction", validation, "validation");
        double testFraction = fraction(d, "test_fraction", test, "test");
        boolean lowerCase = d.bool("lower_case", true);
        int minCount = d.integer("min_count", 1, 1, Integer.MAX_VALUE);
        int maxVocabulary = d.integer("max_vocabulary", 20_000, 3, 10_000_000);
        int maxLength = readMaxLength(d);
        VocabularyRules rules = build(d, () -> new VocabularyRules(lowerCase, minCount, maxVocabulary, maxLength));
        return build(d, () -> new TextDataConfig(train, validation, test, encoding, validationFraction, testFraction,
                rules, seed));
    }

    /**
     * {@code auto} (the default) or a whole number of tokens, at least 1. The effective configuration says
     * {@code auto} for the default too, so that the recorded configuration of a search reads back.
     */
    private static int readMaxLength(ConfigReader d) {
        if (!d.has("max_length") || d.raw("max_length").asText().equals("auto")) {
            d.string("max_length", "auto");
            return VocabularyRules.AUTO_LENGTH;
        }
        if (d.has("max_length") && d.raw("max_length").canConvertToInt() && d.raw("max_length").asInt() < 1) {
            throw d.error("max_length", d.raw("max_length"), "must be at least 1, or auto (texts are cut to this "
                    + "many tokens)");
        }
        return d.integer("max_length", VocabularyRules.AUTO_LENGTH, 1, 100_000);
    }

    /** A held-out fraction, used only when the split's own file is not given. */
    private static double fraction(ConfigReader d, String key, String file, String fileKey) {
        if (file != null) {
            if (d.has(key)) {
                throw d.error(key, d.raw(key), "is used only without a " + fileKey + " file; data." + fileKey
                        + " names one", "data." + fileKey);
            }
            return 0;
        }
        return d.decimal(key, 0.1, 0.0, 0.5);
    }

    /** A path with a scheme (hdfs:, s3a:, file:) stays as it is; a relative local path becomes absolute. */
    private static String path(ConfigReader d, String key, Path baseDir) {
        String raw = d.string(key, null);
        if (hasScheme(raw)) {
            return raw;
        }
        Path p;
        try {
            p = Path.of(raw);
        } catch (InvalidPathException e) {
            throw d.error(key, d.raw(key), "is not a path: " + e.getReason());
        }
        String resolved = (p.isAbsolute() || baseDir == null ? p : baseDir.resolve(p)).normalize().toString();
        d.setEffective(key, resolved);
        return resolved;
    }

    /**
     * Whether {@code raw} starts with a URI scheme of two letters or more (one would be a Windows drive). Read by
     * pattern: {@code java.net.URI} refuses a space, which Hadoop's paths take ({@code s3a://bucket/my data/x}).
     */
    private static boolean hasScheme(String raw) {
        return SCHEME.matcher(raw).lookingAt();
    }

    /**
     * The {@code constraints} section: any of {@link Constraints.Limit}'s keys, each a positive bound, and
     * {@code screen}. Only the keys written appear in the effective configuration.
     */
    private static Constraints readConstraints(ConfigReader c) {
        List<Constraints.Bound> bounds = new ArrayList<>();
        for (Constraints.Limit limit : Constraints.Limit.values()) {
            if (c.has(limit.key)) {
                double maximum = c.decimal(limit.key, 0, 0, Double.MAX_VALUE);
                bounds.add(build(c, () -> new Constraints.Bound(limit, maximum)));
            } else {
                c.allow(limit.key);
            }
        }
        c.allow("screen");
        return new Constraints(bounds, !c.has("screen") || c.bool("screen", true));
    }

    /**
     * {@code constraints.latency_model}, a path or URI, and {@code constraints.latency_profile}, a count: only where the
     * driver screens a latency bound, which is what the model is for.
     */
    private static LatencyModelConfig readLatencyModel(ConfigReader c, Constraints constraints, Path baseDir) {
        List<String> given = Stream.of("latency_model", "latency_profile").filter(c::has).toList();
        if (given.isEmpty()) {
            c.allow("latency_model");
            c.allow("latency_profile");
            return LatencyModelConfig.NONE;
        }
        for (String key : given) {
            if (constraints.maximum(Constraints.Limit.LATENCY_MS).isEmpty()) {
                throw c.error(key, c.raw(key), "needs a latency bound to screen: set constraints.max_latency_ms");
            }
            if (!constraints.screensBeforeDispatch()) {
                throw c.error(key, c.raw(key), "is used only by the driver's screen, which constraints.screen: false "
                        + "turns off", "constraints.screen");
            }
        }
        String file = null;
        if (c.has("latency_model")) {
            file = path(c, "latency_model", baseDir);
        } else {
            c.allow("latency_model");
        }
        int profile = 0;
        if (c.has("latency_profile")) {
            profile = c.integer("latency_profile", 0, 0, 10_000);
        } else {
            c.allow("latency_profile");
        }
        return new LatencyModelConfig(file, profile);
    }

    /**
     * The {@code objectives} section: {@code maximize} (validation accuracy, the only one real training may maximise),
     * {@code minimize} (cost metrics) and {@code reference} (a number per minimised metric).
     */
    private static ObjectivesConfig readObjectives(ConfigReader o) {
        String maximize = o.string("maximize", Metrics.VAL_ACCURACY);
        if (!maximize.equals(Metrics.VAL_ACCURACY)) {
            throw o.error("maximize", maximize, "cannot be maximised: trained searches maximise " + Metrics.VAL_ACCURACY
                    + (maximize.equals(Metrics.TEST_ACCURACY) ? " (test accuracy is reported, never optimised)" : ""));
        }
        List<String> minimize = o.names("minimize", List.of(), name -> name, name -> name);
        Map<String, Double> reference = new LinkedHashMap<>();
        o.stringMap("reference").forEach((metric, text) -> {
            try {
                reference.put(metric, Double.parseDouble(text));
            } catch (NumberFormatException e) {
                throw o.error("reference." + metric, text, "should be a number");
            }
        });
        return build(o, () -> new ObjectivesConfig(minimize, reference));
    }

    /** NSGA-II weighs objectives against each other: it needs a second one. */
    private static void checkObjectives(StrategyConfig strategy, TrainerConfig trainer, ConfigReader root) {
        if (strategy.kind() == StrategyConfig.Kind.NSGA2 && trainer.objectives().size() < 2) {
            String where = trainer instanceof TabularTrainerConfig ? "benchmark.minimize" : "objectives.minimize";
            throw root.error("strategy.kind", "nsga2", "needs a second objective beside " + trainer.objective().metric()
                    + ": name one in " + where, where);
        }
    }

    /**
     * @param cells       whether the space is the cell space, the only one that uses the cell network keys
     * @param constraints the {@code constraints} section
     */
    private static TrainingConfig readTraining(ConfigReader t, boolean cells, Constraints constraints) {
        int epochs = t.integer("epochs", 2, 1, 1000);
        double maxSeconds = t.decimal("max_seconds", 120, 0.001, 1e7);
        int batchSize = t.integer("batch_size", 64, 1, 8192);
        double lr = t.decimal("learning_rate", 1e-3, 1e-9, 9.99);
        TrainingConfig.LearningRateSchedule schedule = t.word("lr_schedule",
                TrainingConfig.LearningRateSchedule.CONSTANT);
        double divergence = t.decimal("divergence_factor", 10, 1.0001, 1e9);
        int latencyRepeats = t.integer("latency_repeats", 20, 1, 10_000);
        if (t.has("max_mflops")) {
            // outputs written before the move record the old default, 0 (no limit): they resume unchanged
            if (t.decimal("max_mflops", 0, 0, Double.MAX_VALUE) != 0) {
                throw t.error("max_mflops", t.raw("max_mflops"), "has moved to the constraints section: write "
                        + "'constraints: {max_mflops: " + t.raw("max_mflops").asText() + "}' instead", "constraints");
            }
        }
        // any whole numbers: TrainingConfig checks the list as a whole, and its message quotes all of it
        List<Integer> fidelityEpochs = t.integers("fidelity_epochs", List.of(), Integer.MIN_VALUE, Integer.MAX_VALUE);
        for (String key : List.of("cell_channels", "cells_per_stage", "cell_reduction")) {
            if (!cells && t.has(key)) {
                throw t.error(key, t.raw(key), "is used only by the cell space (space.kind: nb201), not by macro "
                        + "architectures", "space.kind");
            }
        }
        CellNetworkConfig network = cells ? readCellNetwork(t) : CellNetworkConfig.NB201;
        return build(t, () -> new TrainingConfig(epochs, maxSeconds, batchSize, lr, divergence, latencyRepeats,
                constraints, fidelityEpochs, network, schedule));
    }

    private static CellNetworkConfig readCellNetwork(ConfigReader t) {
        CellNetworkConfig d = CellNetworkConfig.NB201;
        int channels = t.integer("cell_channels", d.channels(), 1, 1024);
        int cellsPerStage = t.integer("cells_per_stage", d.cellsPerStage(), 1, 100);
        CellNetworkConfig.Reduction reduction = t.word("cell_reduction", d.reduction());
        return build(t, () -> new CellNetworkConfig(channels, cellsPerStage, reduction));
    }

    /** Builds a record, turning its validation error into one that names the file and full key. */
    private static <T> T build(ConfigReader section, Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (InvalidValueException e) {
            throw section.error(e);
        }
    }
}
