package io.galapagos.worker.spark;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Outside a Spark task there is no task and no GPU (inside one: RunCandidateFunctionTest, and GpuPlacementIT on a cluster). */
class TaskGpusTest {

    @Test
    void noAddressesOutsideASparkTask() {
        assertEquals(List.of(), TaskGpus.addresses());
        assertEquals(Optional.empty(), TaskGpus.ofCurrentTask());
    }

    @Test
    void noAddressesOnAnotherPlainThread() throws Exception {
        Optional<?>[] seen = new Optional<?>[1];
        Thread thread = new Thread(() -> seen[0] = TaskGpus.ofCurrentTask());
        thread.start();
        thread.join();
        assertEquals(Optional.empty(), seen[0]);
    }
}
