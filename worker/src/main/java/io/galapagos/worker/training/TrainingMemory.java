package io.galapagos.worker.training;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The native memory a network's training holds, read from ND4J's own accounts rather than estimated: the network's
 * parameter, gradient and updater-state buffers (allocated once, outside workspaces), and the workspaces of the
 * training thread, which DL4J grows to hold a mini-batch's forward values, their gradients and the layers' working
 * memory, and then keeps at that size. Arrays made outside workspaces (a mini-batch's features and labels) are not
 * counted. Stateless.
 */
final class TrainingMemory {

    private TrainingMemory() {
    }

    /** Bytes of {@code graph}'s parameters, their gradients and its updater's state. */
    static long networkBytes(ComputationGraph graph) {
        return bytes(graph.params()) + bytes(graph.getGradientsViewArray())
                + bytes(graph.getUpdater().getStateViewArray());
    }

    /** Bytes the calling thread's workspaces hold now. */
    static long workspaceBytes() {
        return Nd4j.getWorkspaceManager().getAllWorkspacesForCurrentThread().stream()
                .mapToLong(MemoryWorkspace::getCurrentSize).sum();
    }

    private static long bytes(INDArray array) {
        return array == null ? 0 : array.length() * array.dataType().width();
    }
}
