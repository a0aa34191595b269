package io.galapagos.driver.cli;

import io.galapagos.driver.job.SearchJob;
import io.galapagos.driver.oneshot.WeightSharingJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** Continues an interrupted search from its output folder, with the configuration recorded there. */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Continue an interrupted search from its output folder: no recorded result is lost or "
                + "counted twice; trials that were running run again under their ids.")
final class ResumeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "OUTPUT", description = "The search's output folder (local path or URI).")
    String output;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master URL for this session.")
    String master;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override a recorded configuration key, e.g. --set trials=500 (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (master != null) {
            overrides.add("spark.master=" + master);
        }
        SearchJob job = SearchJob.of(output, overrides, System.out);
        ConfigOptions.checkMasterUsed(master, job.config(), spec.commandLine());
        ConfigOptions.checkInputs(output, job.config(), overrides);
        Optional<WeightSharingJob> sharing = WeightSharingJob.of(job.config(), job.effectiveYaml(), System.out);
        if (sharing.isPresent()) {
            sharing.get().resume(output);
        } else {
            job.resume(output);
        }
        return 0;
    }
}
