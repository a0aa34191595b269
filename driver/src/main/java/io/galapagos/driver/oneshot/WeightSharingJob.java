package io.galapagos.driver.oneshot;

import io.galapagos.config.SearchConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Optional;

/**
 * A search whose supernets start from scratch and that runs its own phases rather than one study: one-shot or
 * few-shot NAS ({@link OneShotJob}) or DARTS ({@link DartsJob}). Either starts in a new output folder or continues one.
 */
public sealed interface WeightSharingJob permits OneShotJob, DartsJob {

    /** A new search in a new (or empty) output folder. */
    void run(String outputLocation) throws IOException, InterruptedException;

    /** Continues the search in {@code outputLocation}. */
    void resume(String outputLocation) throws IOException, InterruptedException;

    /** The job of {@code config}'s weight-sharing search; empty when the configuration trains every candidate. */
    static Optional<WeightSharingJob> of(SearchConfig config, String effectiveYaml, PrintStream out) {
        if (config.oneshot().isPresent()) {
            return Optional.of(new OneShotJob(config, effectiveYaml, out));
        }
        if (config.darts().isPresent()) {
            return Optional.of(new DartsJob(config, effectiveYaml, out));
        }
        return Optional.empty();
    }
}
