package io.galapagos.worker.training;

import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What a latency is measured on, so that latencies are compared, and latency models fitted, only within one kind of
 * executor: the processor model (Linux's {@code /proc/cpuinfo}, else the JVM's architecture), the native threads
 * measuring, ND4J's backend, and the OpenBLAS kernels when they were chosen for OpenBLAS (on one processor, its generic
 * kernels multiply matrices up to 5 times slower than those for its instruction sets). Two executors with equal
 * signatures are taken to run a network equally fast.
 */
public final class HardwareSignature {

    private static final String PROCESSOR = readProcessor();
    /** ND4J's backend, fixed for the JVM's life; asked once (the first trial has loaded ND4J by then). */
    private static volatile String backend;

    private HardwareSignature() {
    }

    /** The signature of this JVM measuring with {@code threads} native threads. */
    static String of(int threads) {
        if (backend == null) {
            backend = Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend", "unknown");
        }
        return String.format(Locale.ROOT, "%s, %d thread%s, %s backend%s", PROCESSOR, threads, threads == 1 ? "" : "s",
                backend, blasKernels().map(k -> ", " + k).orElse(""));
    }

    /**
     * The OpenBLAS kernels chosen for this JVM ({@code OPENBLAS_CORETYPE}, which {@code bin/openblas-kernels} sets for
     * the launcher and the images), as "OpenBLAS Haswell kernels"; empty when OpenBLAS chose them itself.
     */
    public static Optional<String> blasKernels() {
        String core = System.getenv("OPENBLAS_CORETYPE");
        return core == null || core.isBlank() ? Optional.empty() : Optional.of("OpenBLAS " + core.strip() + " kernels");
    }

    /** This machine's processor model, the signature's first part. */
    public static String processor() {
        return PROCESSOR;
    }

    private static String readProcessor() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse(System.getProperty("os.arch"));
        } catch (IOException | RuntimeException e) {
            return System.getProperty("os.arch");
        }
    }
}
