package io.galapagos.worker.network;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * DeepLearning4J's convolution layer, running its forward and backward passes as libnd4j's native
 * {@code conv2d} and {@code conv2d_bp} ops (oneDNN kernels in the CPU build Galapagos ships) instead of
 * DL4J's im2col and matrix products driven from Java: the same parameters, layout and results, trained
 * about twice as fast on a CPU ({@code benchmarks/training}).
 *
 * <p>It is DL4J's own layer with DL4J's own {@link MKLDNNConvHelper} installed. DL4J 1.0.0-M2.1 never
 * installs that helper itself: helpers are off unless the system property
 * {@code org.eclipse.deeplearning4j.helpers.disable} is false, and even then the helper's check looks up
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment}, a class M2.1 no longer has. The layer serialises like any
 * DL4J layer (its class name is in the JSON), so a saved network restores with it.
 */
public class NativeConvolution extends ConvolutionLayer {

    /** For Jackson, which restores the fields from a saved configuration. */
    public NativeConvolution() {
    }

    public NativeConvolution(ConvolutionLayer.Builder builder) {
        super(builder);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int index,
                             INDArray params, boolean initialize, DataType dataType) {
        Convolution layer = new Convolution(conf, dataType);
        layer.setListeners(listeners);
        layer.setIndex(index);
        layer.setParamsViewArray(params);
        layer.setParamTable(initializer().init(conf, params, initialize));
        layer.setConf(conf);
        return layer;
    }

    /** The layer itself: DL4J's, whose passes go through the helper whenever one is set. */
    static final class Convolution extends org.deeplearning4j.nn.layers.convolution.ConvolutionLayer {

        Convolution(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
            helper = new MKLDNNConvHelper(dataType);
        }
    }
}
