package io.galapagos.driver.cli;

import io.galapagos.config.ConfigLoader;
import io.galapagos.config.SearchConfig;
import io.galapagos.driver.job.SearchJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;

/** Runs a search. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run an architecture search.")
final class RunCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions config = new ConfigOptions();

    @Option(names = "--output", paramLabel = "DIR",
            description = "Output folder: a local path or a Hadoop FileSystem URI (hdfs:, s3a:). "
                    + "Must be new or empty. Default: runs/<name>-<time>.")
    String output;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master URL; overrides spark.master of the configuration.")
    String master;

    @Override
    public Integer call() throws Exception {
        if (master != null) {
            config.overrides.add("spark.master=" + master);
        }
        ConfigLoader.Loaded loaded = config.load();
        SearchConfig c = loaded.config();
        String folder = output != null ? output
                : "runs/" + c.name() + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        new SearchJob(c, loaded.effectiveYaml(), System.out).run(folder);
        return 0;
    }
}
