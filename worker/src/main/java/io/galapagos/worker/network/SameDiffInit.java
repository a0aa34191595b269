package io.galapagos.worker.network;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Initial values for the parameters of Galapagos's SameDiff layers, drawn from ND4J's random generator, which
 * DeepLearning4J seeds with the network's seed before it initialises a graph. Stateless.
 */
final class SameDiffInit {

    private SameDiffInit() {
    }

    /** Glorot (Xavier) normal: standard deviation {@code sqrt(2 / (fanIn + fanOut))}. */
    static void glorot(INDArray target, long fanIn, long fanOut) {
        normal(target, Math.sqrt(2.0 / (fanIn + fanOut)));
    }

    static void normal(INDArray target, double std) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            target.assign(Nd4j.randn(target.dataType(), target.shape()).muli(std));
        }
    }
}
