package io.galapagos.driver.cli;

import io.galapagos.config.ConfigException;
import io.galapagos.config.ConfigLoader;
import io.galapagos.config.Dl4jTrainerConfig;
import io.galapagos.config.Dl4jTraining;
import io.galapagos.config.SearchConfig;
import io.galapagos.config.TextTrainerConfig;
import io.galapagos.driver.job.TrainJob;
import io.galapagos.space.Architecture;
import io.galapagos.space.CellArchitecture;
import io.galapagos.space.CellSearchSpace;
import io.galapagos.space.SearchSpace;
import io.galapagos.space.SequenceArchitecture;
import io.galapagos.space.SequenceSearchSpace;
import io.galapagos.text.Vocabulary;
import io.galapagos.trial.TrialResult;
import io.galapagos.worker.text.TextCorpus;
import io.galapagos.worker.training.ImageTrainingData;
import io.galapagos.worker.training.TextTrainingData;
import io.galapagos.worker.HadoopFileSystems;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** Trains one architecture with a configuration's data and training settings. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train one architecture with the configuration's data and training settings, as a search "
                + "trains a candidate, and print its metrics and the training throughput; with --repeats, from "
                + "several seeds, and the spread. Exit 0 when every training completed, 1 when one failed or was "
                + "infeasible.",
                "Example: galapagos train conf/quickstart.yaml --architecture conv3x3x16:relu/maxpool "
                        + "--set training.epochs=1"})
final class TrainCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions config = new ConfigOptions();

    @Option(names = "--architecture", required = true, paramLabel = "TEXT",
            description = "The architecture in the text form of the configuration's space, e.g. "
                    + "conv3x3x32:relu:bn/maxpool/dense128:relu:d0.5, or an NB201 cell such as "
                    + "'|nor_conv_3x3~0|+|skip_connect~0|nor_conv_3x3~1|+|skip_connect~0|none~1|nor_conv_1x1~2|'.")
    String architecture;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            description = "Native (OpenMP/BLAS) threads when training in this JVM (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--master", paramLabel = "URL",
            description = "Train on this Spark master, one task per training, instead of in this JVM "
                    + "(e.g. spark://host:7077).")
    String master;

    @Option(names = "--repeats", paramLabel = "N", defaultValue = "1",
            description = "Train it N times, from the seeds of a search's trials 0 to N-1, and print the mean, "
                    + "standard deviation and range of its accuracies (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ConfigLoader.Loaded loaded = config.parse();
        SearchConfig c = loaded.config();
        if (!(c.trainer() instanceof Dl4jTraining)) {
            throw new ConfigException(config.file.toString(), "", "train needs data and training sections (DL4J "
                    + "training); this configuration has a benchmark or synthetic section instead");
        }
        if (threads < 1 || threads > 1024) {
            throw new ConfigException("--threads", "", threads + " is not valid: expected 1 to 1024");
        }
        if (repeats < 1 || repeats > 1000) {
            throw new ConfigException("--repeats", "", repeats + " is not valid: expected 1 to 1000");
        }
        Architecture parsed;
        try {
            // any architecture of the space's kind, in the space or not: a hand-written baseline is one use
            parsed = Architecture.parse(architecture);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--architecture '" + architecture + "'", "", e.getMessage());
        }
        String kindProblem = kindProblem(parsed, c.space());
        if (kindProblem != null) {
            throw new ConfigException("--architecture '" + architecture + "'", "", kindProblem);
        }
        config.checkInputs(loaded);
        PrintWriter out = spec.commandLine().getOut();
        List<TrialResult> results;
        if (c.trainer() instanceof TextTrainerConfig text) {
            TextCorpus corpus = TextCorpus.read(text.data(), HadoopFileSystems.configuration(c.spark().conf()));
            Vocabulary vocabulary = Vocabulary.build(corpus.train(), text.data().vocabulary());
            out.printf(Locale.ROOT, "A vocabulary of %,d tokens from the training split, texts cut to %d tokens%n",
                    vocabulary.size(), vocabulary.maxLength());
            results = TrainJob.run(new TextTrainingData(text.data(), vocabulary), text.training(), parsed, c.seed(),
                    repeats, master, c.spark().conf(), threads, out);
        } else {
            Dl4jTrainerConfig images = (Dl4jTrainerConfig) c.trainer();
            results = TrainJob.run(new ImageTrainingData(images.data()), images.training(), parsed, c.seed(),
                    repeats, master, c.spark().conf(), threads, out);
        }
        return results.stream().allMatch(r -> r instanceof TrialResult.Completed) ? 0 : 1;
    }

    /** Why {@code parsed} cannot be trained under {@code space}'s configuration (another kind); null when it can. */
    private static String kindProblem(Architecture parsed, SearchSpace space) {
        if (space instanceof SequenceSearchSpace != parsed instanceof SequenceArchitecture) {
            return space instanceof SequenceSearchSpace
                    ? "is not a sequence architecture, and the configuration's space is the sequence space "
                    + "(space.kind: sequence)"
                    : "is a sequence architecture, and the configuration's space is an image space";
        }
        boolean cellSpace = space instanceof CellSearchSpace;
        if (!(space instanceof SequenceSearchSpace) && parsed instanceof CellArchitecture != cellSpace) {
            return cellSpace ? "is not a cell, and the configuration's space is the cell space (space.kind: nb201)"
                    : "is a cell, and the configuration's space is the macro space (space.kind: macro)";
        }
        return null;
    }
}
