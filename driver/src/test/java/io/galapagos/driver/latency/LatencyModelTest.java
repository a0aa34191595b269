package io.galapagos.driver.latency;

import io.galapagos.worker.network.KernelProfile;
import io.galapagos.worker.network.KernelProfile.Kernel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fitting per-kernel costs: known costs are recovered, and kinds never measured are not guessed. */
class LatencyModelTest {

    /** 0.05 ms a network, 1 ns a convolution multiply-add, 10 us a dense kernel and 2 ns a dense multiply-add. */
    private static double latency(KernelProfile p) {
        Kernel conv = p.kinds().getOrDefault("Conv", new Kernel(0, 0, 0));
        Kernel dense = p.kinds().getOrDefault("Dense", new Kernel(0, 0, 0));
        return 0.05 + 1e-6 * conv.macs() + 0.01 * dense.count() + 2e-6 * dense.macs();
    }

    private static KernelProfile random(SplittableRandom random) {
        int convs = random.nextInt(0, 4);
        int denses = random.nextInt(1, 3);
        return new KernelProfile(Map.of(
                "Conv", new Kernel(convs, convs * random.nextDouble(1e4, 1e6), convs * random.nextDouble(1e3, 1e5)),
                "Dense", new Kernel(denses, denses * random.nextDouble(1e2, 1e5), denses * random.nextDouble(10, 500))));
    }

    @Test
    void recoversTheCostsOfNetworksItHasNotSeen() {
        SplittableRandom random = new SplittableRandom(3);
        List<LatencyModel.Sample> samples = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            KernelProfile p = random(random);
            samples.add(new LatencyModel.Sample(p, latency(p)));
        }
        LatencyModel model = LatencyModel.fit(samples);
        for (int i = 0; i < 20; i++) {
            KernelProfile p = random(random);
            double predicted = model.predict(p).orElseThrow();
            assertEquals(latency(p), predicted, 0.01 * latency(p), "relative error within 1%");
        }
        model.coefficients().values().forEach(c -> assertTrue(c >= 0, "no kernel saves time: " + c));
    }

    @Test
    void aKindNoMeasuredNetworkHadHasNoPrediction() {
        KernelProfile dense = new KernelProfile(Map.of("Dense", new Kernel(1, 100, 10)));
        LatencyModel model = LatencyModel.fit(List.of(new LatencyModel.Sample(dense, 0.1)));
        assertEquals(List.of("Dense"), model.kinds());
        assertTrue(model.predict(dense).isPresent());
        assertEquals(OptionalDouble.empty(), model.predict(new KernelProfile(Map.of("Dense", new Kernel(1, 100, 10),
                "LSTM", new Kernel(1, 100, 10)))));
        assertThrows(IllegalArgumentException.class, () -> LatencyModel.fit(List.of()));
        assertThrows(IllegalArgumentException.class, () -> new LatencyModel.Sample(dense, 0));
    }
}
