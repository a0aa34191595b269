package io.galapagos.worker.training;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GpuAffinityTest {

    @Test
    void anAddressIsACudaOrdinalBelowTheDeviceCount() {
        assertEquals(OptionalInt.of(1), GpuAffinity.device("1", 2));
        assertEquals(OptionalInt.of(0), GpuAffinity.device(" 0 ", 2));
        assertEquals(OptionalInt.empty(), GpuAffinity.device("2", 2));
        assertEquals(OptionalInt.empty(), GpuAffinity.device("-1", 2));
        assertEquals(OptionalInt.empty(), GpuAffinity.device("GPU-5f2c", 2));
    }

    @Test
    void nothingIsBoundWithoutAddressesOrOnTheCpuBackend() {
        assertEquals(OptionalInt.empty(), GpuAffinity.bind(List.of()));
        assertEquals(OptionalInt.empty(), GpuAffinity.bind(null));
        // the tests run ND4J's CPU backend: an assigned address changes nothing
        assertEquals(OptionalInt.empty(), GpuAffinity.bind(List.of("0")));
    }
}
