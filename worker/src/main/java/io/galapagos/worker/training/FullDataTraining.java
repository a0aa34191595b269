package io.galapagos.worker.training;

import io.galapagos.config.TrainingConfig;
import io.galapagos.space.Architecture;
import io.galapagos.worker.data.ExampleOrder;
import io.galapagos.worker.data.LabelledExamples;
import io.galapagos.worker.network.InfeasibleNetworkException;
import io.galapagos.worker.network.NetworkBuilder;
import io.galapagos.worker.network.NetworkInput;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.ObjIntConsumer;

/**
 * Retraining one architecture on a search's whole training data (the examples its trials trained on and those they
 * were validated on, images or texts) for an export. The network is made of DeepLearning4J's own layers wherever
 * Galapagos has a faster twin of one ({@link NetworkBuilder#portable}), so that plain DeepLearning4J restores the
 * saved model (a sequence network also holds layers DeepLearning4J lacks, which the export ships beside it); it
 * starts from the trial's seed and trains with the search's settings, for the epochs the export asks, with no time cap
 * (the search's {@code max_seconds} is a deadline for candidates, not for the one network kept). Stateless.
 */
public final class FullDataTraining {

    private static final int EVALUATION_CHUNK = 512;

    private FullDataTraining() {
    }

    /** The settings of {@code training} for {@code epochs} epochs without a time cap (a cosine schedule spans them). */
    public static TrainingConfig settings(TrainingConfig training, int epochs) {
        return new TrainingConfig(epochs, Double.MAX_VALUE, training.batchSize(), training.learningRate(),
                training.divergenceFactor(), training.latencyRepeats(), training.constraints(), List.of(),
                training.cellNetwork(), training.schedule());
    }

    /** A new network of {@code architecture} reading {@code input}, initialised from {@code seed}. */
    public static ComputationGraph network(Architecture architecture, NetworkInput input, TrainingConfig training,
                                           long seed) throws InfeasibleNetworkException {
        return NetworkBuilder.portable(training.cellNetwork())
                .build(architecture, input, training.batchSize(), training.learningRate(), seed).graph();
    }

    /**
     * Trains {@code graph} in this JVM for {@code training}'s epochs, the examples in the order {@code seed} draws, as
     * a trial trains; after each epoch {@code afterEpoch} gets the network and the epochs done.
     *
     * @return why the loss diverged, or empty
     */
    public static Optional<String> inProcess(ComputationGraph graph, LabelledExamples train, TrainingConfig training,
                                             long seed, ObjIntConsumer<ComputationGraph> afterEpoch) {
        Trainer.Outcome outcome = Trainer.train(graph, train, training, Trainer.Start.fresh(seed), training.epochs(),
                done -> afterEpoch.accept(graph, done));
        return Optional.ofNullable(outcome.divergence());
    }

    /**
     * Sets {@code training}'s learning-rate schedule on a network about to train data-parallel on {@code slots} slots:
     * under parameter averaging the network counts the steps each worker takes (DL4J Spark adds the averaging
     * frequency per split), about {@code batches / slots} an epoch, so a cosine spans that many times the epochs.
     */
    public static void scheduleDataParallel(ComputationGraph graph, TrainingConfig training, int batches, int slots) {
        if (training.schedule() == TrainingConfig.LearningRateSchedule.COSINE) {
            int stepsPerEpoch = (batches + slots - 1) / slots;
            LearningRates.set(graph, new CosineDecay(training.learningRate(), training.epochs() * stepsPerEpoch));
        }
    }

    /**
     * One epoch's mini-batches of {@code train} in the order {@code seed} draws, for training elsewhere. Data-parallel
     * training shuffles their order each epoch, not the examples in them: every epoch groups the same examples into a
     * batch, where a trial's training regroups them.
     */
    public static List<DataSet> batches(LabelledExamples train, int batchSize, long seed) {
        int[] order = ExampleOrder.shuffled(train.size(), new SplittableRandom(seed));
        List<DataSet> batches = new ArrayList<>();
        for (int from = 0; from < train.size(); from += batchSize) {
            batches.add(train.batch(order, from, Math.min(train.size(), from + batchSize)));
        }
        return batches;
    }

    /** The share of {@code data} the network classifies right. */
    public static double accuracy(ComputationGraph graph, LabelledExamples data) {
        return Accuracy.of(graph, data, EVALUATION_CHUNK);
    }
}
