package io.galapagos.worker.network;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Collection;

import static org.deeplearning4j.nn.params.BatchNormalizationParamInitializer.BETA;
import static org.deeplearning4j.nn.params.BatchNormalizationParamInitializer.GAMMA;
import static org.deeplearning4j.nn.params.BatchNormalizationParamInitializer.GLOBAL_MEAN;
import static org.deeplearning4j.nn.params.BatchNormalizationParamInitializer.GLOBAL_VAR;

/**
 * DeepLearning4J's batch normalisation (NCHW or flat input, channels on axis 1, running mean and variance
 * stored as variance), computed by libnd4j's native {@code moments}, {@code batchnorm} and {@code batchnorm_bp}
 * ops (oneDNN kernels in the CPU build) instead of DL4J's Java implementation, which makes a dozen
 * passes over the activations and was most of a small batch-normalised network's training time. Same
 * parameters, same results (NativeLayersTest).
 *
 * <p>Training normalises with the mini-batch's mean and (biased) variance; inference with the running ones.
 * The running statistics follow DL4J's convention: they are parameters whose "gradient", applied as it is
 * by the no-op updater DL4J gives them, moves them to {@code decay * running + (1 - decay) * batch}.
 */
public class NativeBatchNorm extends BatchNormalization {

    /** DL4J's defaults (decay 0.9, epsilon 1e-5, learned gamma and beta), the variance stored as such. */
    public NativeBatchNorm() {
        BatchNormalization defaults = new BatchNormalization.Builder().build();
        decay = defaults.getDecay();
        eps = defaults.getEps();
        isMinibatch = defaults.isMinibatch();
        gamma = defaults.getGamma();
        beta = defaults.getBeta();
        cnn2DFormat = defaults.getCnn2DFormat();
        useLogStd = false;
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int index,
                             INDArray params, boolean initialize, DataType dataType) {
        Normalization layer = new Normalization(conf, dataType);
        layer.setListeners(listeners);
        layer.setIndex(index);
        layer.setParamsViewArray(params);
        layer.setParamTable(initializer().init(conf, params, initialize));
        layer.setConf(conf);
        return layer;
    }

    /** The layer itself. Not thread-safe, like every DL4J layer. */
    static final class Normalization extends org.deeplearning4j.nn.layers.normalization.BatchNormalization {

        /** The last training pass's statistics, kept (outside any workspace) for its backward pass. */
        private INDArray batchMean;
        private INDArray batchVar;

        Normalization(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        public INDArray preOutput(INDArray x, TrainingMode training, LayerWorkspaceMgr workspaces) {
            long channels = x.size(1);
            INDArray mean;
            INDArray var;
            if (training == TrainingMode.TRAIN) {
                if (batchMean == null || batchMean.length() != channels || batchMean.dataType() != x.dataType()) {
                    try (MemoryWorkspace none = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                        batchMean = Nd4j.createUninitialized(x.dataType(), channels);
                        batchVar = Nd4j.createUninitialized(x.dataType(), channels);
                    }
                }
                Nd4j.exec(DynamicCustomOp.builder("moments").addInputs(x)
                        .addIntegerArguments(x.rank() == 2 ? new int[]{0} : new int[]{0, 2, 3})
                        .addOutputs(batchMean, batchVar).build());
                mean = batchMean;
                var = batchVar;
            } else {
                mean = vector(GLOBAL_MEAN);
                var = vector(GLOBAL_VAR);
            }
            INDArray out = workspaces.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(), x.shape());
            Nd4j.exec(DynamicCustomOp.builder("batchnorm")
                    .addInputs(x, mean, var, vector(GAMMA), vector(BETA))
                    .addIntegerArguments(1, 1, 1) // apply gamma, apply beta, channel axis
                    .addFloatingPointArguments(layerConf().getEps())
                    .addOutputs(out).build());
            return out;
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaces) {
            assertInputSet(true);
            INDArray x = input;
            long channels = x.size(1);
            INDArray dx = workspaces.createUninitialized(ArrayType.ACTIVATION_GRAD, x.dataType(), x.shape());
            INDArray dMean = workspaces.createUninitialized(ArrayType.BP_WORKING_MEM, x.dataType(), channels);
            INDArray dVar = workspaces.createUninitialized(ArrayType.BP_WORKING_MEM, x.dataType(), channels);
            INDArray dGamma = gradientViews.get(GAMMA);
            INDArray dBeta = gradientViews.get(BETA);
            if (!Shape.hasDefaultStridesForShape(epsilon)) {
                epsilon = epsilon.dup('c');
            }
            Nd4j.exec(DynamicCustomOp.builder("batchnorm_bp")
                    .addInputs(x, batchMean, batchVar, vector(GAMMA), vector(BETA), epsilon)
                    .addIntegerArguments(1, 1, 1)
                    .addFloatingPointArguments(layerConf().getEps())
                    .addOutputs(dx, dMean, dVar, dGamma.reshape(channels), dBeta.reshape(channels)).build());
            double step = 1 - layerConf().getDecay();
            INDArray dGlobalMean = gradientViews.get(GLOBAL_MEAN);
            INDArray dGlobalVar = gradientViews.get(GLOBAL_VAR);
            dGlobalMean.reshape(channels).assign(vector(GLOBAL_MEAN).sub(batchMean).muli(step));
            dGlobalVar.reshape(channels).assign(vector(GLOBAL_VAR).sub(batchVar).muli(step));
            Gradient gradient = new DefaultGradient();
            gradient.setGradientFor(GAMMA, dGamma);
            gradient.setGradientFor(BETA, dBeta);
            gradient.setGradientFor(GLOBAL_MEAN, dGlobalMean);
            gradient.setGradientFor(GLOBAL_VAR, dGlobalVar);
            return new Pair<>(gradient, dx);
        }

        /** A {@code [1, channels]} parameter as the vector the native ops take (a view). */
        private INDArray vector(String param) {
            INDArray p = getParam(param);
            return p.reshape(p.length());
        }
    }
}
