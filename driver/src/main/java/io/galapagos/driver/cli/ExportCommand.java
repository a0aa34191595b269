package io.galapagos.driver.cli;

import io.galapagos.driver.export.ExportJob;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** Retrains a search's trial on all its training data and saves a model plain DeepLearning4J loads. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Retrain a trial (default: the search's answer) on all of the search's training data, "
                + "data-parallel on the Spark cluster with DL4J Spark (in this JVM with --master local[1]), and "
                + "write model.zip (DL4J ModelSerializer) and provenance.json; for a text search also vocabulary.json "
                + "(how text becomes its input) and layers.jar (the Galapagos layers plain DL4J needs to restore it).")
final class ExportCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "OUTPUT", description = "The search's output folder (local path or URI).")
    String output;

    @Option(names = "--trial", paramLabel = "ID", description = "The trial to export, e.g. trial-0007 or 7.")
    String trial;

    @Option(names = "--epochs", paramLabel = "N",
            description = "Epochs to train, the learning rate annealed over them (default: the epoch that scored best "
                    + "on the trial's validation split when its training split trained for up to twice the epochs "
                    + "the trial trained).")
    Integer epochs;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the export's initial weights, example order "
            + "and dropout (default: the trial's), e.g. to see how much another training of the same network differs.")
    Long seed;

    @Option(names = "--output", paramLabel = "MODEL_DIR",
            description = "A new or empty folder for the model (default: OUTPUT/model).")
    String modelDir;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master to train on (default: the search's); local[1] trains in this JVM.")
    String master;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Change a recorded configuration key for the "
            + "export, e.g. --set training.lr_schedule=constant (repeatable; the export anneals the learning rate, "
            + "cosine, unless this sets it); the provenance records it.")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (epochs != null && (epochs < 1 || epochs > 1000)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--epochs must be between 1 and 1000, got "
                    + epochs);
        }
        ExportJob.run(new ExportJob.Request(output, trial, epochs, modelDir, master, seed, overrides,
                GalapagosCli.VERSION), System.out);
        return 0;
    }
}
