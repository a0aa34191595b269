package io.galapagos.driver.cli;

import io.galapagos.config.OneShotConfig;
import io.galapagos.config.SearchConfig;
import io.galapagos.space.CellSearchSpace;
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
        if (c.darts().isPresent()) {
            spec.commandLine().getOut().printf(Locale.ROOT, "%s: valid: darts over a space of %,d architectures; %d "
                            + "seed(s) of %d epochs, remedy %s%n", config.file, c.space().size(), c.darts().get().seeds(),
                    c.darts().get().epochs(), c.darts().get().remedy().name().toLowerCase(Locale.ROOT));
            return 0;
        }
        String sharing = c.oneshot().map(o -> o.fewShot()
                ? String.format(Locale.ROOT, "; few-shot weight sharing, %d sub-supernets split on %s",
                c.space() instanceof CellSearchSpace cells ? cells.operations().size() : 0,
                OneShotConfig.splitText(o.splitEdge()))
                : "; one-shot weight sharing").orElse("");
        spec.commandLine().getOut().printf(Locale.ROOT, "%s: valid: %,d trials, %s, a space of %,d architectures%s%n",
                config.file, c.trials(), c.strategy().kind().name().toLowerCase(Locale.ROOT), c.space().size(), sharing);
        return 0;
    }
}
