package io.galapagos.worker.darts;

import io.galapagos.config.CellNetworkConfig;
import io.galapagos.config.Constraints;
import io.galapagos.space.CellArchitecture;
import io.galapagos.space.CellOperation;
import io.galapagos.space.CellSearchSpace;
import io.galapagos.worker.network.BuiltNetwork;
import io.galapagos.worker.network.InputSpec;
import io.galapagos.worker.network.NetworkBuilder;
import io.galapagos.worker.training.NativeThreads;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MixedCellSupernetTest {

    private static final InputSpec INPUT = new InputSpec(6, 6, 1, 3);
    private static final List<CellOperation> NB201 = CellSearchSpace.nb201().operations();

    @BeforeAll
    static void oneNativeThread() {
        NativeThreads.limit(1);
    }

    private static INDArray images(int n, long seed) {
        return Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(seed), n, 36).castTo(DataType.DOUBLE);
    }

    private static INDArray oneHot(int... labels) {
        INDArray y = Nd4j.zeros(DataType.DOUBLE, labels.length, INPUT.classes());
        for (int i = 0; i < labels.length; i++) {
            y.putScalar(i, labels[i], 1);
        }
        return y;
    }

    @Test
    void theGradientWithRespectToAlphaMatchesFiniteDifferences() {
        for (CellNetworkConfig.Reduction reduction : CellNetworkConfig.Reduction.values()) {
            MixedCellSupernet net = MixedCellSupernet.build(NB201, new CellNetworkConfig(2, 1, reduction), INPUT,
                    DataType.DOUBLE, 3);
            // alpha away from zero, so that the operations' shares differ and every entry's gradient matters
            net.alpha().assign(Nd4j.randn(Nd4j.getRandomFactory().getNewRandomInstance(4), CellArchitecture.EDGES,
                    NB201.size()));
            INDArray x = images(5, 1);
            INDArray y = oneHot(0, 1, 2, 1, 0);
            for (double auxSkip : new double[]{0, 0.5}) {
                INDArray analytic = net.gradients(x, y, auxSkip, List.of(MixedCellSupernet.ALPHA)).gradients()
                        .get(MixedCellSupernet.ALPHA).dup();
                double h = 1e-5;
                for (int edge = 0; edge < CellArchitecture.EDGES; edge++) {
                    for (int op = 0; op < NB201.size(); op++) {
                        double kept = net.alpha().getDouble(edge, op);
                        net.alpha().putScalar(edge, op, kept + h);
                        double up = net.gradients(x, y, auxSkip, List.of()).loss();
                        net.alpha().putScalar(edge, op, kept - h);
                        double down = net.gradients(x, y, auxSkip, List.of()).loss();
                        net.alpha().putScalar(edge, op, kept);
                        double numeric = (up - down) / (2 * h);
                        assertEquals(numeric, analytic.getDouble(edge, op), 1e-6 + 1e-4 * Math.abs(numeric),
                                reduction + " skeleton, aux skip " + auxSkip + ", edge " + edge + ", " + NB201.get(op));
                    }
                }
                assertTrue(analytic.norm2Number().doubleValue() > 1e-4, "alpha's gradient is not trivially zero");
            }
        }
    }

    @Test
    void everyNetworkWeightGetsAGradientAndAlphaTakesNone() {
        MixedCellSupernet net = MixedCellSupernet.build(NB201, new CellNetworkConfig(2, 1), INPUT, DataType.DOUBLE, 5);
        Map<String, INDArray> gradients = net.gradients(images(4, 2), oneHot(0, 1, 2, 0), 0, net.weightNames())
                .gradients();
        assertEquals(net.weights().keySet(), gradients.keySet());
        for (Map.Entry<String, INDArray> g : gradients.entrySet()) {
            assertTrue(g.getValue().norm2Number().doubleValue() > 0, g.getKey() + " has a zero gradient");
            assertTrue(g.getKey().startsWith("stem") || g.getKey().startsWith("s") || g.getKey().startsWith("reduce")
                    || g.getKey().startsWith("head"), g.getKey());
        }
    }

    @Test
    void theDerivedCellTakesEachEdgesLargestAlphaOtherThanNoneAndBuildsAsAStandAloneNetwork() throws Exception {
        MixedCellSupernet net = MixedCellSupernet.build(NB201, new CellNetworkConfig(2, 1), INPUT, 7);
        CellArchitecture planted = CellArchitecture.parse(
                "|nor_conv_3x3~0|+|skip_connect~0|nor_conv_1x1~1|+|avg_pool_3x3~0|nor_conv_1x1~1|nor_conv_3x3~2|");
        for (int edge = 0; edge < CellArchitecture.EDGES; edge++) {
            net.alpha().putScalar(edge, NB201.indexOf(planted.edges().get(edge)), 1.0);
        }
        net.alpha().putScalar(2, NB201.indexOf(CellOperation.NONE), 2.0);
        net.alpha().putScalar(5, NB201.indexOf(CellOperation.NONE), 1.5);
        CellArchitecture derived = net.derive();
        assertEquals(planted, derived, "none's alpha is passed over, as DARTS derives");
        assertEquals(derived, CellSearchSpace.nb201().parse(derived.text()));
        INDArray shares = net.mixingWeights();
        for (int edge = 0; edge < CellArchitecture.EDGES; edge++) {
            assertEquals(1.0, shares.getRow(edge).sumNumber().doubleValue(), 1e-5);
        }
        BuiltNetwork built = new NetworkBuilder(NetworkBuilder.DEFAULT_MAX_PARAMS, 1L << 30, Constraints.NONE,
                new CellNetworkConfig(2, 1)).build(derived, INPUT, 4, 1e-3, 1);
        try {
            assertEquals(3, built.graph().outputSingle(false, images(2, 3).castTo(DataType.FLOAT)).columns());
        } finally {
            built.graph().close();
        }
    }
}
