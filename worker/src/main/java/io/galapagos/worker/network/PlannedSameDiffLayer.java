package io.galapagos.worker.network;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;

/**
 * A SameDiff layer of a sequence network, whose sizes the planner fixes when it lays the network out: DL4J's
 * inference of input sizes has nothing to set, and the layer keeps its input's type unless it says otherwise.
 */
abstract class PlannedSameDiffLayer extends SameDiffLayer {

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return inputType;
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        // the sizes are fixed when the network is planned
    }
}
