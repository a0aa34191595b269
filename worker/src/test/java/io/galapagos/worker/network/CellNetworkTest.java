package io.galapagos.worker.network;

import io.galapagos.config.CellNetworkConfig;
import io.galapagos.config.Constraints;
import io.galapagos.space.CellArchitecture;
import io.galapagos.space.CellSearchSpace;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stand-alone networks of NAS-Bench-201 cells ({@link CellGraphPlanner}): what they hold and compute. */
class CellNetworkTest {

    private static final CellNetworkConfig SMALL = new CellNetworkConfig(2, 1);

    private static NetworkBuilder builder(CellNetworkConfig network) {
        return new NetworkBuilder(NetworkBuilder.DEFAULT_MAX_PARAMS, 1L << 30, Constraints.NONE, network);
    }

    private static INDArray images(int count, InputSpec input, long seed) {
        Random random = new Random(seed);
        float[] values = new float[count * input.height() * input.width() * input.channels()];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextFloat();
        }
        return Nd4j.create(values, new long[]{count, values.length / count}, DataType.FLOAT);
    }

    @Test
    void countsFlopsAndParametersAsWorkedOutByHand() throws Exception {
        // node 1 = conv3x3(x), node 2 = node 1, node 3 = conv1x1(node 2): per stage of C channels at H x W,
        // 9C^2HW + C^2HW multiply-adds. Input 4x4x1, C = 2, one cell per stage, 3 classes.
        CellArchitecture cell = CellArchitecture.parse(
                "|nor_conv_3x3~0|+|none~0|skip_connect~1|+|none~0|none~1|nor_conv_1x1~2|");
        BuiltNetwork built = builder(SMALL).build(cell, new InputSpec(4, 4, 1, 3), 4, 1e-3, 1);
        try {
            long stem = 9 * 2 * 16;
            long cells = (9 * 4 + 4) * 16 + (9 * 16 + 16) * 4 + (9 * 64 + 64);
            // reductions: 3x3 stride 2 (C -> 2C), 3x3 (2C -> 2C), shortcut 1x1 (C -> 2C), at the halved size
            long reductions = (9 * 2 * 4 + 9 * 4 * 4 + 2 * 4) * 4 + (9 * 4 * 8 + 9 * 8 * 8 + 4 * 8);
            long output = 8 * 3;
            assertEquals(2 * (stem + cells + reductions + output), built.flops());
            long weights = 9 * 2 + (36 + 4) + (72 + 144 + 8) + (144 + 16) + (288 + 576 + 32) + (576 + 64);
            // batch normalisation: stem 2, cells 2 x (2 + 4 + 8), reductions 2 x (4 + 8), head 8 channels
            long normalisation = 4 * (2 + 2 * (2 + 4 + 8) + 2 * (4 + 8) + 8);
            assertEquals(weights + normalisation + (8 * 3 + 3), built.params());
        } finally {
            built.graph().close();
        }
    }

    @Test
    void aPooledReductionHalvesTheImageAndRepeatsItsChannelsWithoutWeights() throws Exception {
        // the same cell as above on a 4x4x1 input with C = 2: every weight is in the stem, the cells and the head
        CellArchitecture cell = CellArchitecture.parse(
                "|nor_conv_3x3~0|+|none~0|skip_connect~1|+|none~0|none~1|nor_conv_1x1~2|");
        CellNetworkConfig pooled = new CellNetworkConfig(2, 1, CellNetworkConfig.Reduction.POOL);
        InputSpec input = new InputSpec(4, 4, 1, 3);
        BuiltNetwork built = builder(pooled).build(cell, input, 4, 1e-3, 1);
        try {
            long weights = 9 * 2 + (36 + 4) + (144 + 16) + (576 + 64);
            long normalisation = 4 * (2 + 2 * (2 + 4 + 8) + 8);
            assertEquals(weights + normalisation + (8 * 3 + 3), built.params());
            assertEquals(CellGraphPlanner.plan(cell, pooled, input, 1e-3, 1, true).params(), built.params());
            Map<String, INDArray> values = built.graph().feedForward(images(2, input, 3), false);
            INDArray out = values.get("s0c0_n3from2_nor_conv_1x1_bn");
            INDArray reduced = values.get("reduce1_repeat");
            assertEquals(List.of(2L, 4L, 2L, 2L), List.of(reduced.shape()[0], reduced.shape()[1], reduced.shape()[2],
                    reduced.shape()[3]));
            for (int channel = 0; channel < 2; channel++) {
                double quarter = (out.getDouble(1, channel, 2, 2) + out.getDouble(1, channel, 2, 3)
                        + out.getDouble(1, channel, 3, 2) + out.getDouble(1, channel, 3, 3)) / 4;
                assertEquals(quarter, reduced.getDouble(1, channel, 1, 1), 1e-5);
                assertEquals(quarter, reduced.getDouble(1, channel + 2, 1, 1), 1e-5, "channel " + channel + " again");
            }
        } finally {
            built.graph().close();
        }
    }

    @Test
    void analyticParameterCountsEqualWhatDl4jAllocates() throws Exception {
        CellSearchSpace space = CellSearchSpace.nb201();
        SplittableRandom random = new SplittableRandom(3);
        List<CellArchitecture> cells = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            cells.add(space.sample(random));
        }
        InputSpec input = new InputSpec(9, 7, 2, 4);
        for (int i = 0; i < cells.size(); i++) {
            CellArchitecture cell = cells.get(i);
            // every other cell on the parameter-free reductions
            CellNetworkConfig network = new CellNetworkConfig(3, 2, CellNetworkConfig.Reduction.values()[i % 2]);
            BuiltNetwork built = builder(network).build(cell, input, 4, 1e-3, 5);
            try {
                assertEquals(CellGraphPlanner.plan(cell, network, input, 1e-3, 5, true).params(),
                        built.params(), "parameters of " + cell + " on " + network);
                INDArray out = built.graph().outputSingle(false, images(3, input, 2));
                assertEquals(List.of(3L, 4L), List.of(out.size(0), out.size(1)));
                assertFalse(out.isNaN().any(), "finite output of " + cell);
            } finally {
                built.graph().close();
            }
        }
    }

    /** The inference activations, by vertex name, of the small network of {@code cell} on random images. */
    private static Map<String, INDArray> activations(String cell, InputSpec input, int count, long seed)
            throws InfeasibleNetworkException {
        BuiltNetwork built = builder(SMALL).build(CellArchitecture.parse(cell), input, 4, 1e-3, 1);
        try {
            return built.graph().feedForward(images(count, input, seed), false);
        } finally {
            built.graph().close();
        }
    }

    @Test
    void nodesSumTheirEdges() throws Exception {
        // node 1 = x, node 2 = x + node 1 = 2x, node 3 = x + node 1 + node 2 = 4x
        Map<String, INDArray> values = activations(
                "|skip_connect~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|skip_connect~1|skip_connect~2|",
                new InputSpec(6, 6, 1, 3), 2, 4);
        INDArray x = values.get("stem_bn");
        assertEquals(x.mul(4), values.get("s0c0_n3"));
        assertEquals(x.mul(2), values.get("s0c0_n2"));
    }

    @Test
    void averagePoolingAveragesTheRealNeighboursOnly() throws Exception {
        Map<String, INDArray> values = activations(
                "|avg_pool_3x3~0|+|none~0|skip_connect~1|+|none~0|none~1|skip_connect~2|", new InputSpec(5, 5, 1, 3), 1, 6);
        INDArray x = values.get("stem_bn");
        INDArray pooled = values.get("s0c0_n1from0_avg_pool_3x3_pool");
        for (int channel = 0; channel < 2; channel++) {
            // a corner averages its 4 real neighbours, the centre its 9
            double corner = (x.getDouble(0, channel, 0, 0) + x.getDouble(0, channel, 0, 1)
                    + x.getDouble(0, channel, 1, 0) + x.getDouble(0, channel, 1, 1)) / 4;
            assertEquals(corner, pooled.getDouble(0, channel, 0, 0), 1e-5);
            double centre = 0;
            for (int r = 1; r <= 3; r++) {
                for (int c = 1; c <= 3; c++) {
                    centre += x.getDouble(0, channel, r, c);
                }
            }
            assertEquals(centre / 9, pooled.getDouble(0, channel, 2, 2), 1e-5);
        }
        // DL4J's activation layers rectify their input in place at inference: the shortcut must still read it as it was
        assertTrue(pooled.minNumber().doubleValue() < 0, "a case where rectifying in place would show");
        assertEquals(Transforms.relu(pooled, true), values.get("reduce1_a_relu"),
                "the cell's output (node 3 = node 1) is what the reduction block reads");
        INDArray shortcut = values.get("reduce1_short_pool");
        for (int channel = 0; channel < 2; channel++) {
            double quarter = (pooled.getDouble(0, channel, 0, 0) + pooled.getDouble(0, channel, 0, 1)
                    + pooled.getDouble(0, channel, 1, 0) + pooled.getDouble(0, channel, 1, 1)) / 4;
            assertEquals(quarter, shortcut.getDouble(0, channel, 0, 0), 1e-5, "the shortcut pools the cell's output "
                    + "as it was, negative values included");
        }
    }

    @Test
    void aCellWithoutAPathToItsOutputIgnoresTheImage() throws Exception {
        // node 3's only edge comes from node 2, which only sees the always-zero node 1
        CellArchitecture cell = CellArchitecture.parse(
                "|none~0|+|none~0|nor_conv_3x3~1|+|none~0|none~1|nor_conv_3x3~2|");
        InputSpec input = new InputSpec(6, 6, 1, 3);
        BuiltNetwork built = builder(SMALL).build(cell, input, 4, 1e-3, 1);
        try {
            INDArray first = built.graph().outputSingle(false, images(1, input, 1));
            INDArray second = built.graph().outputSingle(false, images(1, input, 2));
            assertEquals(first, second);
            // the stem, the reductions and the head: no cell layer at all
            assertTrue(java.util.Arrays.stream(built.graph().getVertices())
                    .noneMatch(v -> v.getVertexName().contains("from")), "no edge of the cell was built");
        } finally {
            built.graph().close();
        }
    }

    @Test
    void cellsWithTheSameEffectiveCellBuildTheSameNetwork() throws Exception {
        // nodes 1 and 2 compute something (a convolution, then its pooling) that node 3 never reads
        CellArchitecture cell = CellArchitecture.parse(
                "|nor_conv_3x3~0|+|none~0|avg_pool_3x3~1|+|nor_conv_3x3~0|none~1|none~2|");
        CellArchitecture live = cell.effective();
        assertEquals("|none~0|+|none~0|none~1|+|nor_conv_3x3~0|none~1|none~2|", live.text());
        InputSpec input = new InputSpec(6, 6, 1, 3);
        BuiltNetwork a = builder(SMALL).build(cell, input, 4, 1e-3, 1);
        BuiltNetwork b = builder(SMALL).build(live, input, 4, 1e-3, 1);
        try {
            assertEquals(a.graph().paramTable().keySet(), b.graph().paramTable().keySet());
            assertEquals(a.graph().params(), b.graph().params());
            INDArray x = images(2, input, 3);
            assertEquals(a.graph().outputSingle(false, x), b.graph().outputSingle(false, x));
        } finally {
            a.graph().close();
            b.graph().close();
        }
    }
}
