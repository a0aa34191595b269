package io.galapagos.driver.cli;

import io.galapagos.config.ConfigLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No input makes a stack trace: seeded mutations of every configuration shipped in {@code conf/} (see
 * {@link ConfigMutator}) go through {@code validate} and {@code run}, in process, as a user's command line would.
 * Every case must end with exit 0 or 2 and at most one line on stderr (no stack trace), within a second, and write
 * nothing. {@code run} gets a non-empty {@code --output}, so that a configuration that loads must stop at the output
 * check (exit 2, before anything is written; run checks the output before reading the data files), and one that does
 * not load must be rejected by {@code run} with {@code validate}'s line: both prove that the run path's checks ran without starting a search. A valid configuration's
 * {@code name} must also be a plain folder name, since the default output folder is {@code runs/<name>-<time>}, and
 * it must hold nothing that strict YAML refuses (see {@link YamlHazards}). A command slower than the limit is run once
 * more before it counts as slow, so that a pause of a shared machine is not taken for the command's.
 *
 * <p>The mutated files live in a temporary copy of the repository's layout ({@code conf/}, {@code data/},
 * {@code benchmarks/}), so that their relative data paths resolve; the text data there are copies of the shipped
 * files; the Fashion-MNIST files there are tiny IDX files
 * of the same names, so that a valid case takes milliseconds instead of reading 7 MB. {@code -Dfuzz.cases=N} (default
 * {@value #DEFAULT_CASES} per configuration) and {@code -Dfuzz.seed=S} (default {@value #DEFAULT_SEED}) widen or vary
 * the sweep; the same seed gives the same cases. Problems are grouped by kind, and the first case of each is shown
 * (its edits, overrides and text) in the failure message.
 */
class ConfigFuzzTest {

    // 700 per configuration took 110 s of CI (2026-12-01); wider sweeps: -Dfuzz.cases
    private static final int DEFAULT_CASES = 250;
    private static final long DEFAULT_SEED = 20_240_808L;
    private static final long LIMIT_MS = 1_000;
    private static final Path SHIPPED = Path.of("..", "conf").toAbsolutePath().normalize();
    private static final String ERROR = "galapagos: error: ";
    private static final Pattern THROWN = Pattern.compile("\\w+(Exception|Error)\\b");

    @TempDir
    static Path root;

    private static Path conf;
    private static Path output;
    /** The files under {@link #root} but the config being mutated, as they must stay. */
    private static Map<String, String> untouched;

    /** A broken promise: what kind (failures are grouped by it), and the details of one case. */
    private record Problem(String kind, String detail) {
    }

    /** What one command did. */
    private record Outcome(int exit, String out, String err, long millis) {
    }

    /** What one case did: whether validate accepted it, and its slower command's time. */
    private record Checked(boolean valid, long millis) {
    }

    @BeforeAll
    static void layout() throws IOException {
        conf = Files.createDirectories(root.resolve("conf"));
        Path data = Files.createDirectories(root.resolve("data/fashion-mnist"));
        byte[] images = {0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 1, 7, 9};
        byte[] labels = {0, 0, 8, 1, 0, 0, 0, 2, 0, 1};
        gzip(data.resolve("train-images-idx3-ubyte.gz"), images);
        gzip(data.resolve("train-labels-idx1-ubyte.gz"), labels);
        gzip(data.resolve("t10k-images-idx3-ubyte.gz"), images);
        gzip(data.resolve("t10k-labels-idx1-ubyte.gz"), labels);
        Path table = Path.of("..", "benchmarks", "nb201", "cifar10.csv").toAbsolutePath().normalize();
        Files.createDirectories(root.resolve("benchmarks/nb201"));
        Files.copy(table, root.resolve("benchmarks/nb201/cifar10.csv"));
        for (String text : List.of("sst2/stsa.binary.train", "sst2/stsa.binary.dev", "sst2/stsa.binary.test",
                "trec/TREC.train.all", "trec/TREC.test.all")) {
            Path copy = root.resolve("data/text").resolve(text);
            Files.createDirectories(copy.getParent());
            Files.copy(Path.of("..", "data", "text").resolve(text), copy);
        }
        output = Files.createDirectories(root.resolve("out"));
        Files.writeString(output.resolve("journal.jsonl"), "{}\n");
    }

    private static void gzip(Path file, byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(content);
        }
        Files.write(file, bytes.toByteArray());
    }

    @Test
    void noMutationOfAShippedConfigMakesAStackTrace() throws Exception {
        int casesPerConfig = Integer.getInteger("fuzz.cases", DEFAULT_CASES);
        long seed = Long.getLong("fuzz.seed", DEFAULT_SEED);
        List<Path> shipped;
        try (Stream<Path> files = Files.list(SHIPPED)) {
            shipped = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(shipped.size() >= 3, "shipped configs: " + shipped);
        boolean runsExisted = Files.exists(Path.of("runs"));
        ExecutorService thread = Executors.newSingleThreadExecutor();
        Map<String, String> failures = new LinkedHashMap<>();
        Map<String, Integer> kinds = new TreeMap<>();
        int cases = 0;
        int accepted = 0;
        long slowest = 0;
        long started = System.nanoTime();
        try {
            for (Path config : shipped) {
                // the full-data configs read Debian's dataset-fashion-mnist, which a machine may not have: here they
                // read the small files laid out above instead
                String text = Files.readString(config).replace("/usr/share/datasets/fashion-mnist/",
                        "../data/fashion-mnist/");
                Path file = conf.resolve(config.getFileName());
                // the unmutated config is valid (and warms up: the benchmark table is read once per JVM)
                Files.writeString(file, text);
                Outcome plain = execute(thread, "validate", file.toString());
                assertEquals(0, plain.exit(), config + ": " + plain.err());
                untouched = snapshot(root, file);
                ConfigMutator mutator = new ConfigMutator(text);
                Random random = new Random(seed ^ config.getFileName().toString().hashCode());
                for (int i = 0; i < casesPerConfig; i++) {
                    ConfigMutator.Case c = mutator.mutate(random);
                    Files.write(file, c.content());
                    List<Problem> problems = new ArrayList<>();
                    Checked checked = check(thread, file, c, problems);
                    slowest = Math.max(slowest, checked.millis());
                    accepted += checked.valid() ? 1 : 0;
                    if (!runsExisted && Files.exists(Path.of("runs"))) {
                        problems.add(new Problem("a runs/ folder was created", ""));
                    }
                    cases++;
                    for (Problem problem : problems) {
                        kinds.merge(problem.kind(), 1, Integer::sum);
                        failures.putIfAbsent(problem.kind(), problem.kind() + ": " + problem.detail() + "\n  case " + i
                                + " of " + config.getFileName() + " (seed " + seed + "): " + c.edits() + "--set "
                                + c.overrides() + "\n" + abbreviate(c.text()).indent(4));
                    }
                }
            }
        } finally {
            thread.shutdownNow();
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        System.out.printf("ConfigFuzzTest: %d cases (seed %d), %d of them valid, in %d s; slowest command %d ms; "
                + "%d distinct problems%n", cases, seed, accepted, seconds, slowest, failures.size());
        assertTrue(failures.isEmpty(), failures.size() + " distinct problems in " + cases + " cases " + kinds
                + ", the first case of each:\n" + String.join("\n", failures.values()));
        assertTrue(accepted >= cases / 20, "only " + accepted + " of " + cases + " cases were valid: run's checks after "
                + "validation were hardly exercised");
    }

    /** Whether the case's configuration loads, whatever its data files hold. */
    private static boolean parses(Path file, ConfigMutator.Case c) {
        try {
            ConfigLoader.load(file, c.overrides());
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Runs validate and run on one case, and lists what broke the contract. */
    private static Checked check(ExecutorService thread, Path file, ConfigMutator.Case c, List<Problem> problems)
            throws Exception {
        List<String> sets = new ArrayList<>();
        c.overrides().forEach(o -> {
            sets.add("--set");
            sets.add(o);
        });
        List<String> validateArgs = new ArrayList<>(List.of("validate", file.toString()));
        validateArgs.addAll(sets);
        Outcome validate = timed(thread, validateArgs.toArray(String[]::new));
        contract("validate", validate, problems);
        if (validate.exit() == 0) {
            if (!validate.err().isEmpty() || !validate.out().matches("(?s)[^\n]*: valid: ([\\d,]+ trials, \\w+, a space of "
                    + "[\\d,]+ architectures(; (one-shot|few-shot) weight sharing[^\n]*)?|darts over a space of [\\d,]+ "
                    + "architectures; \\d+ seed\\(s\\) of \\d+ epochs, remedy \\w+)\n")) {
                problems.add(new Problem("validate: exit 0 without its one line",
                        "out '" + validate.out() + "' err '" + validate.err() + "'"));
            }
            List<String> texts = new ArrayList<>(List.of(c.text()));
            c.overrides().forEach(o -> texts.add(o.substring(o.indexOf('=') + 1)));
            for (String text : texts) {
                YamlHazards.Hazard hazard = YamlHazards.of(text);
                if (hazard != null) {
                    problems.add(new Problem("validate: accepts YAML with " + hazard.kind(), hazard.which()));
                }
            }
            String name = ConfigLoader.load(file, c.overrides()).config().name();
            if (!name.matches("[A-Za-z0-9_-][A-Za-z0-9._-]*")) {
                problems.add(new Problem("validate: accepts a name that is not a plain folder name", "'" + name + "'"));
            }
        }
        List<String> runArgs = new ArrayList<>(List.of("run", file.toString(), "--output", output.toString()));
        runArgs.addAll(sets);
        Outcome run = timed(thread, runArgs.toArray(String[]::new));
        contract("run", run, problems);
        // run checks the (cheap) output folder before the data files, which it reads through
        String expected = parses(file, c) ? ERROR + "output " + output + ": is not empty" : validate.err().strip();
        if ((validate.exit() == 0 || validate.exit() == 2) && (run.exit() != 2 || !run.err().strip().startsWith(expected))) {
            problems.add(new Problem("run: does not stop as validate predicts", "exit " + run.exit() + " '"
                    + firstLines(run.err()) + "', expected exit 2 '" + firstLines(expected) + "'"));
        }
        Map<String, String> now = snapshot(root, file);
        if (!now.equals(untouched)) {
            problems.add(new Problem("files changed", now + " vs " + untouched));
        }
        return new Checked(validate.exit() == 0, Math.max(validate.millis(), run.millis()));
    }

    /** Exit 0 or 2, at most one line on stderr (an error, never a stack trace), within the time limit. */
    private static void contract(String command, Outcome o, List<Problem> problems) {
        if (o.exit() != 0 && o.exit() != 2) {
            Matcher thrown = THROWN.matcher(o.err());
            problems.add(new Problem(command + ": exit " + o.exit() + (thrown.find() ? " " + thrown.group() : ""),
                    firstLines(o.err())));
        } else if (o.err().lines().count() > 1) {
            problems.add(new Problem(command + ": several lines on stderr", o.err().lines().count() + " lines: "
                    + firstLines(o.err())));
        } else if (o.exit() == 2 && !o.err().startsWith(ERROR)) {
            problems.add(new Problem(command + ": exit 2 without an error line", "'" + o.err() + "'"));
        }
        if (o.millis() > LIMIT_MS) {
            problems.add(new Problem(command + ": slow", o.millis() + " ms"));
        }
    }

    /**
     * Runs a command, and once more if it took longer than the limit: a shared machine's pause is not the command's,
     * and a slow command is slow twice. Returns the last outcome.
     */
    private static Outcome timed(ExecutorService thread, String... args) throws InterruptedException {
        Outcome first = execute(thread, args);
        return first.millis() <= LIMIT_MS ? first : execute(thread, args);
    }

    /** Runs the command line on a thread of its own, so that a hang is a failure and not a stuck build. */
    private static Outcome execute(ExecutorService thread, String... args) throws InterruptedException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long start = System.nanoTime();
        Future<Integer> exit = thread.submit(() -> GalapagosCli.commandLine().setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true)).execute(args));
        int code;
        try {
            code = exit.get(10 * LIMIT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            // an Error (stack overflow, out of memory) is not handled by the command line: it escapes execute()
            StringWriter trace = new StringWriter();
            e.getCause().printStackTrace(new PrintWriter(trace));
            err.write(trace.toString());
            code = -1;
        } catch (TimeoutException e) {
            exit.cancel(true);
            throw new AssertionError("hangs: " + String.join(" ", args), e);
        }
        return new Outcome(code, out.toString(), err.toString(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    /** Every file and folder under {@code dir} but {@code except}, with its size and modification time. */
    private static Map<String, String> snapshot(Path dir, Path except) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(p -> !p.equals(except)).forEach(p -> {
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                    entries.put(p.toString(), a.size() + " " + a.lastModifiedTime());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return entries;
    }

    private static String firstLines(String text) {
        return abbreviate(String.join(" | ", text.lines().limit(4).toList()));
    }

    private static String abbreviate(String text) {
        return text.length() <= 1_500 ? text : text.substring(0, 1_500) + "… (" + text.length() + " characters)";
    }
}
