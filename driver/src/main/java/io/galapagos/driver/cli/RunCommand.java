package io.galapagos.driver.cli;

import io.galapagos.config.ConfigLoader;
import io.galapagos.config.SearchConfig;
import io.galapagos.driver.job.NightlySeries;
import io.galapagos.driver.job.SearchJob;
import io.galapagos.driver.oneshot.WeightSharingJob;
import io.galapagos.driver.results.RunOutput;
import io.galapagos.worker.HadoopFileSystems;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Runs a search: a new one, a warm-started one, (with --resume) the rest of an interrupted one, or (with --nightly)
 * tonight's of a series named by date, which decides among those itself.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run an architecture search.")
final class RunCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions config = new ConfigOptions();

    @Spec
    CommandSpec spec;

    @Option(names = "--output", paramLabel = "DIR",
            description = "Output folder: a local path or a Hadoop FileSystem URI (hdfs:, s3a:). "
                    + "Must be new or empty, unless --resume. Default: runs/<name>-<time>.")
    String output;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master URL; overrides spark.master of the configuration.")
    String master;

    @Option(names = "--resume",
            description = "Continue the search already in --output: the same space, strategy, seed and objectives "
                    + "(another is refused); other settings may change, e.g. more trials.")
    boolean resume;

    @Option(names = "--warm-start", paramLabel = "PREVIOUS_OUTPUT",
            description = "Seed the strategy with an earlier search's results over the same space, and answer "
                    + "architectures it trained the same way from its results.")
    String warmStart;

    @Option(names = "--nightly", paramLabel = "PARENT",
            description = "Tonight's search of a nightly series, in PARENT/<date> (a local path or a Hadoop FileSystem "
                    + "URI): a new search, warm-started from the newest earlier night that ended over the same space; "
                    + "tonight's resumed if it was interrupted; nothing run if it ended. The night's seed is the "
                    + "configuration's plus the date's day number. Replaces --output, --resume and --warm-start.")
    String nightly;

    @Option(names = "--date", paramLabel = "YYYY-MM-DD", converter = NightDate.class,
            description = "With --nightly: the night to run, e.g. a scheduler's logical date. Default: today, in "
                    + "this JVM's time zone.")
    LocalDate date;

    @Override
    public Integer call() throws Exception {
        if (master != null) {
            config.overrides.add("spark.master=" + master);
        }
        if (nightly != null && (output != null || resume || warmStart != null)) {
            throw new ParameterException(spec.commandLine(), "--nightly chooses tonight's output and whether to resume "
                    + "or warm-start: it cannot be combined with --output, --resume or --warm-start");
        }
        if (resume && (output == null || warmStart != null)) {
            throw new ParameterException(spec.commandLine(), "--resume needs --output (the search to continue) and cannot be combined with --warm-start");
        }
        if (date != null && nightly == null) {
            throw new ParameterException(spec.commandLine(), "--date applies to --nightly only");
        }
        ConfigLoader.Loaded loaded = config.parse();
        ConfigOptions.checkMasterUsed(master, loaded.config(), spec.commandLine());
        if (nightly != null) {
            return runNightly(loaded);
        }
        if (output != null && !resume) {
            // before the data checks, which read the data files: a used folder is refused at once
            RunOutput.checkNew(output, HadoopFileSystems.configuration(loaded.config().spark().conf()));
        }
        config.checkInputs(loaded);
        SearchConfig c = loaded.config();
        String folder = output != null ? output
                : "runs/" + c.name() + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Optional<WeightSharingJob> sharing = WeightSharingJob.of(c, loaded.effectiveYaml(), System.out);
        if (sharing.isPresent()) {
            if (warmStart != null) {
                throw new ParameterException(spec.commandLine(), "--warm-start is not available for a weight-sharing "
                        + "search (a oneshot section or strategy.kind darts): its supernets start from scratch");
            }
            if (resume) {
                sharing.get().resume(folder);
            } else {
                sharing.get().run(folder);
            }
            return 0;
        }
        SearchJob job = new SearchJob(c, loaded.effectiveYaml(), System.out);
        if (resume) {
            job.resume(output);
            return 0;
        }
        job.run(folder, warmStart);
        return 0;
    }

    /**
     * Each night searches with its own seed, the configuration's plus the night's day number, so that nights do not
     * repeat each other's random draws; its config.yaml records it, and a rerun of the night gets the same.
     */
    private int runNightly(ConfigLoader.Loaded given) throws Exception {
        if (given.config().oneshot().isPresent() || given.config().darts().isPresent()) {
            throw new ParameterException(spec.commandLine(), "--nightly is not available for a weight-sharing search "
                    + "(a oneshot section or strategy.kind darts): its supernets start from scratch, so there is "
                    + "nothing to warm-start from");
        }
        LocalDate night = date != null ? date : LocalDate.now();
        config.overrides.add("seed=" + (given.config().seed() + night.toEpochDay()));
        ConfigLoader.Loaded loaded = config.parse();
        SearchConfig c = loaded.config();
        NightlySeries.Tonight tonight = NightlySeries.plan(nightly, night, c,
                HadoopFileSystems.configuration(c.spark().conf()), System.out::println);
        if (tonight instanceof NightlySeries.Ended) {
            System.out.println("Nightly: " + tonight.output() + " has ended already (its last session wrote its "
                    + "summary): nothing to run; galapagos resume " + tonight.output() + " continues it");
            return 0;
        }
        config.checkInputs(loaded);
        SearchJob job = new SearchJob(c, loaded.effectiveYaml(), System.out);
        if (tonight instanceof NightlySeries.Start start) {
            job.runWarmStarted(start.output(), start.from());
        } else {
            job.resume(tonight.output());
        }
        return 0;
    }

    /** A night's date, refused in words when it is not one: picocli's default names the JDK's exception class. */
    static final class NightDate implements CommandLine.ITypeConverter<LocalDate> {
        @Override
        public LocalDate convert(String value) {
            try {
                return LocalDate.parse(value);
            } catch (DateTimeParseException e) {
                String parsed = "could not be parsed: ";
                int at = e.getMessage().indexOf(parsed);
                throw new CommandLine.TypeConversionException("'" + value + "' is not a date YYYY-MM-DD"
                        + (at < 0 ? "" : " (" + e.getMessage().substring(at + parsed.length()) + ")"));
            }
        }
    }
}
