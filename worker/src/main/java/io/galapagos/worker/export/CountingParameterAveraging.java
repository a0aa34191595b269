package io.galapagos.worker.export;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingWorker;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * DL4J Spark's parameter averaging with workers that continue the network's step count. DL4J Spark 1.0.0-M2 builds each
 * split's worker network from {@code ComputationGraphConfiguration.clone()}, which drops the iteration and epoch
 * counts, so every split's workers counted their steps from zero: Adam corrected its moments' bias as if training had
 * just begun (with its default decay rates, a sixth to a third of the steps it should take) and a learning-rate
 * schedule never left its first steps. The driver's count is right (DL4J adds the averaging frequency per split);
 * before each split this master hands it to the workers in a {@link StartAt} hook, which sets it before their first
 * step. Graphs only: the export trains {@link ComputationGraph}s.
 */
final class CountingParameterAveraging extends ParameterAveragingTrainingMaster {

    private StartAt startAt;

    CountingParameterAveraging(Builder builder) {
        super(builder);
    }

    @Override
    public ParameterAveragingTrainingWorker getWorkerInstance(SparkComputationGraph network) {
        ComputationGraphConfiguration counts = network.getNetwork().getConfiguration();
        if (startAt != null) {
            removeHook(startAt);
        }
        startAt = new StartAt(counts.getIterationCount(), counts.getEpochCount());
        addHook(startAt);
        return super.getWorkerInstance(network);
    }

    /** Sets a worker's fresh network to the split's first step and epoch; no-op once it has counted past them. */
    record StartAt(int iteration, int epoch) implements TrainingHook {

        @Override
        public void preUpdate(MultiDataSet minibatch, Model model) {
            continueCount(model);
        }

        @Override
        public void preUpdate(DataSet minibatch, Model model) {
            continueCount(model);
        }

        private void continueCount(Model model) {
            ComputationGraphConfiguration counts = ((ComputationGraph) model).getConfiguration();
            if (counts.getIterationCount() < iteration) {
                counts.setIterationCount(iteration);
                counts.setEpochCount(epoch);
            }
        }

        @Override
        public void postUpdate(DataSet minibatch, Model model) {
            // nothing to do after a step
        }

        @Override
        public void postUpdate(MultiDataSet minibatch, Model model) {
            // nothing to do after a step
        }
    }
}
