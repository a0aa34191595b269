package io.galapagos.driver.cli;

import io.galapagos.config.SearchConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.Locale;
import java.util.concurrent.Callable;

/** Checks a configuration without starting anything. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check a search configuration and its data files (or benchmark table); start nothing.")
final class ValidateCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions config = new ConfigOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        SearchConfig c = config.load().config();
        spec.commandLine().getOut().printf(Locale.ROOT, "%s: valid: %,d trials, %s, a space of %,d architectures%n", config.file,
                c.trials(), c.strategy().kind().name().toLowerCase(Locale.ROOT), c.space().size());
        return 0;
    }
}
