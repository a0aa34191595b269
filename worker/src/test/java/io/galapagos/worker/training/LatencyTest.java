package io.galapagos.worker.training;

import io.galapagos.config.CellNetworkConfig;
import io.galapagos.config.Constraints;
import io.galapagos.space.MacroArchitecture;
import io.galapagos.worker.network.InputSpec;
import io.galapagos.worker.network.NetworkBuilder;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        Latency.Measurement small = Latency.measure(network("dense8:relu"), IMAGE, 20);
        Latency.Measurement large = Latency.measure(network("conv3x3x32:relu/conv3x3x32:relu"), IMAGE, 20);
        assertTrue(small.rawMillis() > 0 && small.correctedMillis() > 0, small.toString());
        assertTrue(large.rawMillis() > 2 * small.rawMillis(), small + " " + large);
        // the correction divides by a reference timed in between, whose own noise makes the ratio vary more (1.8 on
        // a busy CI machine): it must keep the order, not the raw ratio
        assertTrue(large.correctedMillis() > small.correctedMillis(), small + " " + large);
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

    private static ComputationGraph network(String architecture) throws Exception {
        return BUILDER.build(MacroArchitecture.parse(architecture), new InputSpec(28, 28, 1, 10), 1, 1e-3, 1).graph();
    }
}
