package io.galapagos.driver.job;

import io.galapagos.config.Dl4jTrainerConfig;
import io.galapagos.config.SearchConfig;
import io.galapagos.config.SyntheticTrainerConfig;
import io.galapagos.config.TabularTrainerConfig;
import io.galapagos.config.TextTrainerConfig;
import io.galapagos.config.TrainerConfig;
import org.apache.hadoop.conf.Configuration;

/**
 * Checks what a configuration's trainer reads, before anything starts: the DL4J image files
 * ({@link DataFiles}), the text files ({@link TextFiles}) or the benchmark table and its columns ({@link BenchmarkFiles}); synthetic trials read
 * nothing; and a latency model file ({@link LatencyModelFile}). Problems are
 * one-line {@link io.galapagos.config.ConfigException}s naming the key.
 */
public final class TrainerInputs {

    private TrainerInputs() {
    }

    public static void check(String source, SearchConfig config, Configuration hadoop) {
        TrainerConfig trainer = config.trainer();
        if (trainer instanceof Dl4jTrainerConfig dl4j) {
            DataFiles.check(source, dl4j.data(), hadoop);
        } else if (trainer instanceof TextTrainerConfig text) {
            TextFiles.check(source, text.data(), hadoop);
        } else if (trainer instanceof TabularTrainerConfig tabular) {
            BenchmarkFiles.check(source, tabular, config.space(), hadoop);
        } else if (!(trainer instanceof SyntheticTrainerConfig)) {
            throw new IllegalStateException("unknown trainer " + trainer);
        }
        LatencyModelFile.check(source, config, hadoop);
    }
}
