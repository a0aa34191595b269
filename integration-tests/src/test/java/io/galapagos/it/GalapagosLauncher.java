package io.galapagos.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code bin/galapagos} of the repository under test as its own JVM, as a user would, with the
 * environment of a test cluster (or none), its output in a log file.
 */
final class GalapagosLauncher {

    /** How a run ended: exit code and everything it printed. */
    record Finished(int exitCode, String log, long pid) {
    }

    private GalapagosLauncher() {
    }

    static Path repo() {
        return Path.of(System.getProperty("galapagos.repo")).toAbsolutePath().normalize();
    }

    /** Runs {@code bin/galapagos args...}; kills it past {@code timeoutSeconds}. */
    static Finished run(Map<String, String> environment, Path log, long timeoutSeconds, String... args)
            throws IOException, InterruptedException {
        Process driver = start(environment, log, args);
        if (!driver.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            driver.destroyForcibly().waitFor();
        }
        return new Finished(driver.exitValue(), Files.readString(log), driver.pid());
    }

    /** Starts {@code bin/galapagos args...} (the launcher execs the JVM: the process is the driver's JVM). */
    static Process start(Map<String, String> environment, Path log, String... args) throws IOException {
        return startScript("bin/galapagos", environment, log, args);
    }

    /** Starts the repository's {@code script} (e.g. {@code deploy/nightly}) with {@code args}. */
    static Process startScript(String script, Map<String, String> environment, Path log, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(repo().resolve(script).toString());
        command.addAll(List.of(args));
        ProcessBuilder launch = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        launch.environment().clear();
        launch.environment().putAll(environment);
        launch.environment().put("PATH", System.getenv("PATH"));
        launch.environment().put("HOME", System.getProperty("user.home"));
        return launch.start();
    }
}
