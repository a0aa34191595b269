package io.galapagos.driver.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.galapagos.driver.cli.GalapagosCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code galapagos bench} from the command line, on the synthetic table of {@link BenchRunnerTest}. */
class BenchCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = GalapagosCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private Path table() throws IOException {
        BenchRunnerTest.writeTable();
        Path file = dir.resolve("synthetic.csv");
        Files.writeString(file, BenchRunnerTest.csv);
        return file;
    }

    @Test
    void printsAndWritesJson() throws IOException {
        Path json = dir.resolve("out/bench.json");
        int code = run("bench", "--table", table().toString(), "--signal", "signal", "--report", "report",
                "--budgets", "5,10", "--seeds", "3", "--strategies", "random,evolution:population=4,sample_size=2",
                "--minimize", "lat", "--no-warm-up", "--json", json.toString());
        assertEquals(0, code, err::toString);
        assertTrue(out.toString().contains("evolution:population=4,sample_size=2"), out.toString());
        assertTrue(out.toString().contains("queries/s"), out.toString());
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertEquals(2, root.get("strategies").size());
        assertEquals("lat", root.get("minimize").asText());
        assertTrue(root.get("strategies").get(1).get("budgets").get(1).has("hypervolume_ratio_mean"));
    }

    @Test
    void badColumnsAndStrategiesAreOneLineErrors() throws IOException {
        Path table = table();
        assertEquals(2, run("bench", "--table", table.toString(), "--signal", "val", "--report", "report"));
        assertEquals("galapagos: error: bench: --signal: 'val' is not a column of " + table
                + " (its columns: signal, report, lat)", err.toString().strip());
        err.getBuffer().setLength(0);
        assertEquals(2, run("bench", "--table", table.toString(), "--signal", "signal", "--report", "report",
                "--minimize", "latency"));
        assertTrue(err.toString().startsWith("galapagos: error: bench: --minimize: 'latency' is not a column"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, run("bench", "--table", table.toString(), "--signal", "signal", "--report", "report",
                "--strategies", "random,bayes"));
        assertTrue(err.toString().startsWith("galapagos: error: --strategies 'bayes': kind: 'bayes' is not valid"),
                err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, run("bench", "--table", dir.resolve("none.csv").toString(), "--signal", "signal",
                "--report", "report"));
        assertTrue(err.toString().contains("--table: '") && err.toString().contains("does not exist"), err.toString());
        assertEquals(1, err.toString().strip().lines().count());
    }

    /** Refused before any strategy runs, so that no benchmark is run for nothing. */
    @Test
    void nsga2WithoutASecondObjectiveAndAJsonFolderAreRefusedBeforeRunning() throws IOException {
        Path table = table();
        assertEquals(2, run("bench", "--table", table.toString(), "--signal", "signal", "--report", "report",
                "--strategies", "random,nsga2"));
        assertEquals("galapagos: error: bench: strategy 'nsga2' needs two objectives: the signal and a column to "
                + "minimise (e.g. --minimize latency_ms_pixel3)", err.toString().strip());
        assertEquals("", out.toString(), "random search did not run first");
        err.getBuffer().setLength(0);
        assertEquals(2, run("bench", "--table", table.toString(), "--signal", "signal", "--report", "report",
                "--json", dir.toString()));
        assertEquals("galapagos: error: output " + dir + ": --json needs a file name, not a folder",
                err.toString().strip());
        assertEquals("", out.toString(), "nothing ran");
    }

    @Test
    void fidelitiesRunHyperbandAndABadFidelityColumnIsAOneLineError() throws IOException {
        Path table = table();
        assertEquals(0, run("bench", "--table", table.toString(), "--signal", "signal", "--report", "report",
                "--fidelities", "lat,signal", "--fidelity-costs", "1,10", "--budgets", "3,5", "--seeds", "2",
                "--strategies", "random,hyperband:inner=random", "--no-warm-up"), err::toString);
        assertTrue(out.toString().contains("hyperband:inner=random"), out.toString());
        assertEquals(2, run("bench", "--table", table.toString(), "--signal", "signal", "--report", "report",
                "--fidelities", "signal_12ep,signal"));
        assertEquals("galapagos: error: bench: --fidelities: 'signal_12ep' is not a column of " + table
                + " (its columns: signal, report, lat)", err.toString().strip());
        err.getBuffer().setLength(0);
        assertEquals(2, run("bench", "--table", table.toString(), "--signal", "signal", "--report", "report",
                "--fidelities", "signal,lat"));
        assertTrue(err.toString().contains("must end with the signal ('signal')"), err.toString());
        assertEquals(1, err.toString().strip().lines().count());
        err.getBuffer().setLength(0);
        assertEquals(2, run("bench", "--table", table.toString(), "--signal", "signal", "--report", "report",
                "--strategies", "hyperband"));
        assertTrue(err.toString().contains("no --fidelities are given"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, run("bench", "--table", table.toString(), "--signal", "signal", "--report", "report",
                "--fidelities", "lat,signal", "--fidelity-costs", "10,1"));
        assertTrue(err.toString().contains("[10.0, 1.0] makes a higher fidelity cheaper"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, run("bench", "--table", table.toString(), "--signal", "signal", "--report", "report",
                "--budgets", "2000000000"));
        assertTrue(err.toString().contains("a budget of 2000000000 full-fidelity queries allows 2000000000 queries a "
                + "run, past the most a comparison runs, 1000000"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, run("bench", "--table", table.toString(), "--signal", "signal", "--report", "report",
                "--fidelities", "lat,signal", "--fidelity-costs", "1,1000000", "--budgets", "2"));
        assertTrue(err.toString().contains("a budget of 2 full-fidelity queries at 1.000e-06 of a full query's cost "
                + "each allows 2000000 queries a run"), err.toString());
        assertEquals(1, err.toString().strip().lines().count(), err::toString);
    }
}
