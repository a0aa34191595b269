package io.galapagos.worker.training;

import io.galapagos.config.CellNetworkConfig;
import io.galapagos.config.Constraints;
import io.galapagos.space.MacroArchitecture;
import io.galapagos.worker.data.ImageDataset;
import io.galapagos.worker.network.InputSpec;
import io.galapagos.worker.network.NetworkBuilder;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Latency measured against the interleaved speed reference. */
class LatencyTest {

    private static final NetworkBuilder BUILDER = new NetworkBuilder(NetworkBuilder.DEFAULT_MAX_PARAMS, 1L << 30,
            Constraints.NONE, CellNetworkConfig.NB201);
    private static final DataSet IMAGE = new DataSet(Nd4j.rand(DataType.FLOAT, 1, 28 * 28), null);

    @Test
    void aNetworkOfAHundredTimesTheWorkMeasuresSlowerAsTimedAndCorrected() throws Exception {
        NativeThreads.limit(1);
        // about 7,000 multiply-adds against about 2.7 million
        ComputationGraph smallNetwork = network("dense8:relu");
        ComputationGraph largeNetwork = network("conv3x3x32:relu/conv3x3x32:relu");
        // a busy machine can slow any one measurement several times over (dense8 was seen at 17 ms, the convolutions
        // at 2 ms), so each network is compared at its fast end: the least of five measurements taken in turn
        double smallRaw = Double.MAX_VALUE;
        double largeRaw = Double.MAX_VALUE;
        double smallCorrected = Double.MAX_VALUE;
        double largeCorrected = Double.MAX_VALUE;
        List<Latency.Measurement> seen = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            Latency.Measurement small = Latency.measure(smallNetwork, IMAGE, 20);
            Latency.Measurement large = Latency.measure(largeNetwork, IMAGE, 20);
            assertTrue(small.rawMillis() > 0 && small.correctedMillis() > 0, small.toString());
            seen.add(small);
            seen.add(large);
            smallRaw = Math.min(smallRaw, small.rawMillis());
            largeRaw = Math.min(largeRaw, large.rawMillis());
            smallCorrected = Math.min(smallCorrected, small.correctedMillis());
            largeCorrected = Math.min(largeCorrected, large.correctedMillis());
        }
        assertTrue(largeRaw > 2 * smallRaw, "small, large in turn: " + seen);
        // the correction divides by a reference timed in between, whose own noise makes the ratio vary more (1.8 on
        // a busy CI machine): it must keep the order, not the raw ratio
        assertTrue(largeCorrected > smallCorrected, "small, large in turn: " + seen);
    }

    @Test
    void theReferenceIsCalibratedOnceForTheJvmAndSharedByEveryThread() throws Exception {
        ComputationGraph network = network("dense8:relu");
        Latency.measure(network, IMAGE, 5);
        double calibrated = SpeedReference.calibratedMillis();
        assertTrue(calibrated > 0);
        CompletableFuture.runAsync(() -> Latency.measure(network, IMAGE, 5)).get();
        assertEquals(calibrated, SpeedReference.calibratedMillis());
    }

    /** A cancelled trial's thread stops evaluating and timing at the next chunk or round, its interrupt kept. */
    @Test
    void aCancelledTrialStopsEvaluatingAndTimingItsNetwork() throws Exception {
        ComputationGraph network = network("dense8:relu");
        ImageDataset images = ImageDataset.copyOf(new float[64 * 28 * 28], new int[64], 28, 28, 1, 10);
        Thread.currentThread().interrupt();
        try {
            CancellationException evaluating = assertThrows(CancellationException.class,
                    () -> Accuracy.of(network, images, 16));
            assertEquals("interrupted after predicting 0 of 64 examples", evaluating.getMessage());
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the task to see");
            assertThrows(CancellationException.class, () -> Latency.measure(network, IMAGE, 20));
        } finally {
            Thread.interrupted();
        }
        assertDoesNotThrow(() -> Accuracy.of(network, images, 16), "evaluates again once the interrupt is cleared");
    }

    private static ComputationGraph network(String architecture) throws Exception {
        return BUILDER.build(MacroArchitecture.parse(architecture), new InputSpec(28, 28, 1, 10), 1, 1e-3, 1).graph();
    }
}
