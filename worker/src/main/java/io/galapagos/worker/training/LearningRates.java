package io.galapagos.worker.training;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.samediff.AbstractSameDiffLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

import java.util.List;
import java.util.function.Consumer;

/**
 * Sets a network's learning rate, or its schedule, on every layer that learns. DL4J's
 * {@link ComputationGraph#setLearningRate} reaches only layers whose configuration is a {@link BaseLayer}: not
 * SameDiff layers (attention, transformer blocks, positional embeddings, our sequence heads) nor the two layers a
 * {@link Bidirectional} wraps, which kept the rate they were built with, so that a text network's cosine annealed
 * its embedding and convolutions but not its classifier. Stateless.
 */
public final class LearningRates {

    private LearningRates() {
    }

    /** Every layer's rate follows {@code schedule}; the updaters' state (Adam's moments) is kept. */
    public static void set(ComputationGraph graph, ISchedule schedule) {
        beyondBaseLayers(graph, u -> u.setLrAndSchedule(Double.NaN, schedule));
        graph.setLearningRate(schedule);
    }

    /** Every layer's rate is {@code rate}, with no schedule. */
    public static void set(ComputationGraph graph, double rate) {
        beyondBaseLayers(graph, u -> u.setLrAndSchedule(rate, null));
        graph.setLearningRate(rate);
    }

    /**
     * Applies {@code change} to each updater with a learning rate that {@link ComputationGraph#setLearningRate} does
     * not reach (SameDiff layers share their builder's one instance: changing it again is harmless).
     */
    private static void beyondBaseLayers(ComputationGraph graph, Consumer<IUpdater> change) {
        Consumer<IUpdater> withRate = u -> {
            if (u != null && u.hasLearningRate()) {
                change.accept(u);
            }
        };
        for (Layer layer : graph.getLayers()) {
            org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
            if (conf instanceof AbstractSameDiffLayer sameDiff) {
                withRate.accept(sameDiff.getUpdater());
                withRate.accept(sameDiff.getBiasUpdater());
            } else if (conf instanceof Bidirectional bidirectional) {
                for (org.deeplearning4j.nn.conf.layers.Layer wrapped : List.of(bidirectional.getFwd(),
                        bidirectional.getBwd())) {
                    if (wrapped instanceof BaseLayer base) {
                        withRate.accept(base.getIUpdater());
                        withRate.accept(base.getBiasUpdater());
                    }
                }
            }
        }
    }
}
