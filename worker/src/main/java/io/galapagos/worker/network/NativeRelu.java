package io.galapagos.worker.network;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ReLU whose derivative is two vectorised native passes (a step mask, then a product with the incoming
 * gradient) rather than DL4J 1.0.0-M2.1's {@code RectifiedLinearDerivative}, which calls a C++ lambda
 * through {@code std::function} for every element: that derivative alone was 15% of the reference CNN's
 * training time. The same values as DL4J's {@code ActivationReLU} (NativeLayersTest). Stateless.
 */
public final class NativeRelu extends BaseActivationFunction {

    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        Nd4j.getExecutioner().exec(new RectifiedLinear(in, in));
        return in;
    }

    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        assertShape(in, epsilon);
        // DL4J lets an activation's backprop overwrite its input
        Nd4j.getExecutioner().exec(new Step(in, in, 0.0));
        return new Pair<>(in.muli(epsilon), null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NativeRelu;
    }

    @Override
    public int hashCode() {
        return NativeRelu.class.hashCode();
    }

    @Override
    public String toString() {
        return "relu";
    }
}
