package io.galapagos.worker.training;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Locale;

/**
 * How fast ND4J multiplies float matrices on one thread with the OpenBLAS kernels this JVM was started with
 * ({@code OPENBLAS_CORETYPE}, which {@code bin/openblas-kernels} chooses for the launcher): the products of a dense
 * layer of 256 units on a batch of 64 flattened Fashion-MNIST images (forward, and the weight gradient), and a square
 * 512 product. Prints the median of {@code bench.repeats} timed products after as many untimed ones, in GFLOP/s, to
 * {@code worker/target/surefire-reports/}. A benchmark, not a test: it runs only when named, in seconds, once per
 * kernel choice:
 * <pre>
 * mvn -q -DskipTests install
 * for core in Prescott SkylakeX Haswell; do
 *   OPENBLAS_CORETYPE=$core mvn -q test -pl worker -Dtest=MatrixProductBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 *   cat worker/target/surefire-reports/*MatrixProductBenchmark-output.txt
 * done
 * </pre>
 * (SkylakeX's kernels need AVX-512, Haswell's AVX2; {@code OPENBLAS_VERBOSE=2} makes OpenBLAS print the kernels it
 * runs.)
 */
class MatrixProductBenchmark {

    @Test
    void timesFloatMatrixProducts() {
        int repeats = Integer.getInteger("bench.repeats", 40);
        NativeThreads.limit(1);
        Nd4j.getRandom().setSeed(1);
        String kernels = HardwareSignature.blasKernels().orElse("the kernels OpenBLAS chose itself");
        System.out.printf(Locale.ROOT, "%s, 1 thread, %s; median of %d products:%n", HardwareSignature.processor(),
                kernels, repeats);
        time("dense forward  64x784 * 784x256", 64, 784, 256, repeats);
        time("dense gradient 784x64 * 64x256", 784, 64, 256, repeats);
        time("square        512x512 * 512x512", 512, 512, 512, repeats);
    }

    private static void time(String name, int m, int k, int n, int repeats) {
        INDArray a = Nd4j.rand(DataType.FLOAT, m, k);
        INDArray b = Nd4j.rand(DataType.FLOAT, k, n);
        INDArray c = Nd4j.create(DataType.FLOAT, m, n);
        long[] nanos = new long[repeats];
        for (int i = -repeats; i < repeats; i++) {
            long start = System.nanoTime();
            a.mmuli(b, c);
            if (i >= 0) {
                nanos[i] = System.nanoTime() - start;
            }
        }
        Arrays.sort(nanos);
        double seconds = nanos[repeats / 2] / 1e9;
        System.out.printf(Locale.ROOT, "  %s: %8.3f ms, %6.1f GFLOP/s%n", name, seconds * 1e3,
                2.0 * m * k * n / seconds / 1e9);
    }
}
