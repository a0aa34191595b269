package io.galapagos.worker.training;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NativeThreadsTest {

    @Test
    void limitsLibnd4jOpenBlasAndOpenMpThreads() {
        int limit = NativeThreads.limit(1);
        // the first call in this JVM wins; every runner here asks for 1 (no Spark task)
        assertEquals(1, limit);
        assertEquals(1, Nd4j.getEnvironment().maxMasterThreads());
        assertEquals(1, Nd4j.factory().blas().getMaxThreads());
        assertEquals(1, NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads());
    }
}
