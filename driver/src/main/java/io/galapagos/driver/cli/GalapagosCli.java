package io.galapagos.driver.cli;

import io.galapagos.config.ConfigException;
import io.galapagos.driver.execution.ExecutorStoppedException;
import io.galapagos.driver.export.ExportDivergedException;
import io.galapagos.driver.job.StudyStoppedException;
import io.galapagos.driver.results.OutputException;
import io.galapagos.driver.results.OutputInUseException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code galapagos} launcher. Exit codes: 0 success, 1 a failure while running (a
 * study stopped by its failure rate says why in one line), 2 bad input (configuration, arguments, data
 * files, output folder, an earlier search's state), reported in one line without a stack trace; 75 (sysexits'
 * EX_TEMPFAIL) an output folder another live driver holds, which a scheduler may try again later.
 */
@Command(name = "galapagos", mixinStandardHelpOptions = true, version = "galapagos " + GalapagosCli.VERSION,
        description = "Distributed neural-architecture search on Apache Spark and DeepLearning4J.",
        subcommands = {RunCommand.class, ResumeCommand.class, ValidateCommand.class, TrainCommand.class,
                BenchCommand.class, ReportCommand.class, ExportCommand.class,
                PredictCommand.class})
public final class GalapagosCli implements Runnable {

    public static final int BAD_INPUT = 2;
    public static final int OUTPUT_IN_USE = 75;
    public static final String VERSION = "0.1.0";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The command line with its error handling; {@code main} executes it, tests too. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new GalapagosCli());
        // every subcommand offers --version (its standard help options): it prints the program's
        cli.getSubcommands().values().forEach(sub -> sub.getCommandSpec().version(cli.getCommandSpec().version()));
        // a wrong argument is one line naming it, like every other bad input, not the whole usage
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine command = e.getCommandLine();
            command.getErr().println("galapagos: error: " + e.getMessage() + " ("
                    + command.getCommandSpec().qualifiedName() + " --help shows the usage)");
            return BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof OutputInUseException) {
                commandLine.getErr().println("galapagos: busy: " + e.getMessage());
                return OUTPUT_IN_USE;
            }
            if (e instanceof ConfigException || e instanceof OutputException) {
                commandLine.getErr().println("galapagos: error: " + e.getMessage());
                return BAD_INPUT;
            }
            if (e instanceof ExecutorStoppedException) {
                commandLine.getErr().println("galapagos: stopped: " + e.getMessage() + "; resume runs the trials "
                        + "that were running again");
                return 1;
            }
            if (e instanceof ExportDivergedException) {
                commandLine.getErr().println("galapagos: failed: " + e.getMessage());
                return 1;
            }
            if (e instanceof StudyStoppedException) {
                commandLine.getErr().println("galapagos: " + e.getMessage());
                return 1;
            }
            commandLine.getErr().println("galapagos: failed: " + e);
            e.printStackTrace(commandLine.getErr());
            return 1;
        });
        return cli;
    }

    public static void main(String[] args) {
        int code = commandLine().execute(args);
        if (code == 0 && inYarnApplicationMaster(System.getProperties())) {
            // YARN's application master marks an application that calls System.exit, even exit(0), as FAILED ("shutdown
            // hook called before final status was reported") and runs it again; returning lets it report success
            return;
        }
        System.exit(code);
    }

    /**
     * Whether this JVM is Spark's YARN application master running the driver ({@code --deploy-mode cluster}), which
     * sets every Spark setting as a system property.
     */
    static boolean inYarnApplicationMaster(java.util.Properties system) {
        return "cluster".equals(system.getProperty("spark.submit.deployMode"))
                && system.getProperty("spark.master", "").startsWith("yarn");
    }
}
