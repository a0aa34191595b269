package io.galapagos.driver.job;

import io.galapagos.config.ConfigException;
import io.galapagos.config.Dl4jTrainerConfig;
import io.galapagos.config.SearchConfig;
import io.galapagos.config.SyntheticTrainerConfig;
import io.galapagos.config.TabularTrainerConfig;
import io.galapagos.config.TextTrainerConfig;
import io.galapagos.config.TrainerConfig;
import io.galapagos.worker.network.NetworkInput;
import io.galapagos.worker.training.ImageTrainingData;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;

/**
 * Checks what a configuration's trainer reads, before anything starts: the DL4J image files ({@link DataFiles}) and
 * whether any network of the space on them meets the constraints ({@link ConstraintReach}), the text files
 * ({@link TextFiles}) or the benchmark table and its columns ({@link BenchmarkFiles}); synthetic trials read
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
            if (dl4j.training().constraints().boundTheLayout()) {
                ConstraintReach.check(source, config.space(), imageInput(source, dl4j, hadoop), dl4j.training(),
                        config.seed());
            }
        } else if (trainer instanceof TextTrainerConfig text) {
            TextFiles.check(source, text.data(), hadoop);
        } else if (trainer instanceof TabularTrainerConfig tabular) {
            BenchmarkFiles.check(source, tabular, config.space(), hadoop);
        } else if (!(trainer instanceof SyntheticTrainerConfig)) {
            throw new IllegalStateException("unknown trainer " + trainer);
        }
        LatencyModelFile.check(source, config, hadoop);
    }

    /** What the image files give a network: their size and classes, from the headers and labels just checked. */
    private static NetworkInput imageInput(String source, Dl4jTrainerConfig dl4j, Configuration hadoop) {
        try {
            return new ImageTrainingData(dl4j.data()).input(hadoop);
        } catch (IOException e) {
            throw new ConfigException(source, "data", "cannot be read: " + e.getMessage());
        }
    }
}
