package io.galapagos.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/openblas-kernels}, which {@code bin/galapagos} and the images' entrypoint source: the OpenBLAS kernels it
 * chooses for the CPUs that cpuinfo files describe, and that OpenBLAS in a JVM that {@code bin/galapagos} starts runs
 * the kernels chosen for this machine, or those the user chose ({@code OPENBLAS_VERBOSE=2} makes OpenBLAS print them).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class OpenblasKernelsIT {

    private static final Path SCRIPT = GalapagosLauncher.repo().resolve("bin/openblas-kernels");

    @TempDir
    Path dir;

    @Test
    void choosesKernelsByTheInstructionSetsOfIntelCpus() throws Exception {
        String sapphireRapids = "fpu sse2 ssse3 sse4_2 avx avx2 fma avx512f avx512dq avx512cd avx512bw avx512vl amx_tile";
        assertEquals("SkylakeX", choice("GenuineIntel", sapphireRapids));
        // Knights Landing: AVX-512 without BW, DQ or VL, which SkylakeX's kernels use
        assertEquals("Haswell", choice("GenuineIntel", "sse2 avx avx2 fma avx512f avx512cd avx512er avx512pf"));
        assertEquals("Haswell", choice("GenuineIntel", "sse2 avx avx2 fma bmi2"));
        assertEquals("", choice("GenuineIntel", "sse2 sse3 ssse3 sse4_1 sse4_2 avx"), "no AVX2: OpenBLAS chooses");
        assertEquals("", choice("GenuineIntel", "sse2 avx avx2"), "AVX2 without FMA");
        assertEquals("", choice("AuthenticAMD", sapphireRapids), "OpenBLAS 0.3.19 knows AMD's CPUs by family");
    }

    @Test
    void theLauncherStartsOpenBlasWithTheKernelsForThisCpuUnlessTheUserChose() throws Exception {
        String forThisCpu = choiceFor(Path.of("/proc/cpuinfo"));
        String chosen = train(Map.of(), "chosen.log");
        if (forThisCpu.isEmpty()) {
            assertFalse(chosen.contains("OpenBLAS"), chosen);
        } else {
            assertTrue(chosen.contains("Core: " + forThisCpu), chosen);
            assertTrue(chosen.contains("1 native thread in this JVM, OpenBLAS " + forThisCpu + " kernels"), chosen);
        }

        String users = train(Map.of("OPENBLAS_CORETYPE", "Prescott"), "users.log");
        assertTrue(users.contains("Core: Prescott"), users);
        assertTrue(users.contains("1 native thread in this JVM, OpenBLAS Prescott kernels"), users);
    }

    /** {@code galapagos train} of a small dense network for one epoch; returns what it printed, OpenBLAS's lines too. */
    private String train(Map<String, String> environment, String log) throws Exception {
        Map<String, String> verbose = new HashMap<>(environment);
        verbose.put("OPENBLAS_VERBOSE", "2");
        GalapagosLauncher.Finished run = GalapagosLauncher.run(verbose, dir.resolve(log), 120, "train",
                GalapagosLauncher.repo().resolve("conf/quickstart.yaml").toString(), "--architecture", "dense16:relu",
                "--set", "training.epochs=1");
        assertEquals(0, run.exitCode(), run.log());
        return run.log();
    }

    /** The script's choice for a CPU of {@code vendor} with {@code flags}, as Linux's cpuinfo would describe it. */
    private String choice(String vendor, String flags) throws IOException, InterruptedException {
        Path cpuinfo = dir.resolve("cpuinfo");
        Files.writeString(cpuinfo, "processor\t: 0\nvendor_id\t: " + vendor + "\ncpu family\t: 6\nflags\t\t: " + flags
                + "\n\nprocessor\t: 1\nvendor_id\t: " + vendor + "\nflags\t\t: " + flags + "\n");
        return choiceFor(cpuinfo);
    }

    /** The script's function on {@code cpuinfo}, sourced with OPENBLAS_CORETYPE set so that sourcing chooses nothing. */
    private static String choiceFor(Path cpuinfo) throws IOException, InterruptedException {
        ProcessBuilder bash = new ProcessBuilder("bash", "-c",
                "OPENBLAS_CORETYPE=unused; source \"$0\"; openblas_coretype \"$1\"", SCRIPT.toString(),
                cpuinfo.toString()).redirectErrorStream(true);
        Process process = bash.start();
        String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, process.waitFor(), printed);
        return printed;
    }
}
