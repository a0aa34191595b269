package io.galapagos.driver.cli;

import io.galapagos.config.ConfigException;
import io.galapagos.config.ConfigLoader;
import io.galapagos.config.Overrides;
import io.galapagos.config.SearchConfig;
import io.galapagos.driver.job.TrainerInputs;
import io.galapagos.worker.HadoopFileSystems;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The config file and its overrides, shared by {@code run} and {@code validate}. */
final class ConfigOptions {

    @Parameters(index = "0", paramLabel = "CONFIG", description = "The search configuration (YAML).")
    Path file;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override a configuration key, e.g. --set training.epochs=3 (repeatable).")
    List<String> overrides = new ArrayList<>();

    /**
     * Loads, validates and checks the trainer's inputs (data files, or the benchmark table and its
     * columns); throws ConfigException otherwise, naming the {@code --set} that gave a bad value.
     */
    ConfigLoader.Loaded load() {
        ConfigLoader.Loaded loaded = parse();
        checkInputs(loaded);
        return loaded;
    }

    /** Loads and validates the configuration, reading nothing else; throws ConfigException otherwise. */
    ConfigLoader.Loaded parse() {
        return ConfigLoader.load(file, overrides);
    }

    /** Checks the trainer's inputs of a parsed configuration, which may take a while (data files are read). */
    void checkInputs(ConfigLoader.Loaded loaded) {
        checkInputs(file.toString(), loaded.config(), overrides);
    }

    /** Refuses a {@code --master} that nothing would use: trials run in this JVM ({@code executor: in_process}). */
    static void checkMasterUsed(String master, SearchConfig config, CommandLine cli) {
        if (master != null && config.executor() == SearchConfig.ExecutorKind.IN_PROCESS) {
            throw new ParameterException(cli, "--master " + master + ": this configuration runs its trials in this JVM "
                    + "(executor: in_process), where no Spark master is used; leave --master out, or add --set "
                    + "executor=spark");
        }
    }

    /**
     * Checks the trainer's inputs of a configuration loaded from {@code source} with {@code overrides}; a problem
     * with a value an override gave names that {@code --set}.
     */
    static void checkInputs(String source, SearchConfig config, List<String> overrides) {
        try {
            TrainerInputs.check(source, config, HadoopFileSystems.configuration(config.spark().conf()));
        } catch (ConfigException e) {
            throw Overrides.of(source, overrides).blame(e);
        }
    }
}
