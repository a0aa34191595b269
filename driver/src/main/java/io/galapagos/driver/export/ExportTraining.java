package io.galapagos.driver.export;

import io.galapagos.config.TrainingConfig;
import io.galapagos.worker.data.LabelledExamples;
import io.galapagos.worker.export.DataParallelTraining;
import io.galapagos.worker.training.FullDataTraining;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ObjIntConsumer;

/**
 * Where an export trains its networks: in this JVM as a trial trains ({@link InProcess}), or data-parallel on a Spark
 * cluster with DL4J Spark ({@link DataParallel}).
 */
sealed interface ExportTraining permits ExportTraining.InProcess, ExportTraining.DataParallel {

    /**
     * Trains {@code graph} on {@code examples} for {@code settings}' epochs, in the order {@code seed} draws; after each
     * epoch {@code afterEpoch} gets the network and the epochs done, to measure it, not to train it.
     *
     * @return the trained network ({@code graph} itself or a copy)
     * @throws ExportDivergedException when the loss diverges
     */
    ComputationGraph train(ComputationGraph graph, LabelledExamples examples, TrainingConfig settings, long seed,
                           ObjIntConsumer<ComputationGraph> afterEpoch);

    /** In this JVM, as a trial trains. */
    record InProcess() implements ExportTraining {

        @Override
        public ComputationGraph train(ComputationGraph graph, LabelledExamples examples, TrainingConfig settings,
                                      long seed, ObjIntConsumer<ComputationGraph> afterEpoch) {
            Optional<String> diverged = FullDataTraining.inProcess(graph, examples, settings, seed, afterEpoch);
            if (diverged.isPresent()) {
                throw new ExportDivergedException(diverged.get());
            }
            return graph;
        }
    }

    /**
     * Parameter averaging over {@code slots} task slots of {@code sc}, every {@code averagingFrequency} mini-batches.
     * Each slot fits {@link #workerBatch} examples a step, so that the slots together take the configured batch a
     * step and make as many averaged steps an epoch as one JVM makes steps: averaging two workers' steps of the whole
     * batch each would train with twice the batch and half the steps, a recipe the trial never had. Divergence is
     * judged after each epoch, as a trial's rule would after each mini-batch: the averaged network's loss on the first
     * batch, against the untrained network's there (the workers' own losses stay on the executors).
     */
    record DataParallel(JavaSparkContext sc, int slots, int averagingFrequency) implements ExportTraining {

        @Override
        public ComputationGraph train(ComputationGraph graph, LabelledExamples examples, TrainingConfig settings,
                                      long seed, ObjIntConsumer<ComputationGraph> afterEpoch) {
            int workerBatch = workerBatch(settings.batchSize());
            List<DataSet> batches = FullDataTraining.batches(examples, workerBatch, seed);
            FullDataTraining.scheduleDataParallel(graph, settings, batches.size(), slots);
            graph.init();
            DataSet first = batches.get(0);
            double firstLoss = graph.score(first, false);
            return DataParallelTraining.fit(sc, slots, graph, batches, settings.epochs(), workerBatch, averagingFrequency,
                    (network, done) -> {
                        double loss = network.score(first, false);
                        if (!Double.isFinite(loss) || loss > settings.divergenceFactor() * firstLoss) {
                            throw new ExportDivergedException(String.format(Locale.ROOT, "diverged: loss %.4g on "
                                    + "the first mini-batch after epoch %d, over %s x its %.4g before training", loss,
                                    done, settings.divergenceFactor(), firstLoss));
                        }
                        afterEpoch.accept(network, done);
                    });
        }

        /** The examples each slot fits a step: the configured batch shared among the slots, rounded up. */
        int workerBatch(int batchSize) {
            return (batchSize + slots - 1) / slots;
        }
    }
}
