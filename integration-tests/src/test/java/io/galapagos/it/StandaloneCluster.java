package io.galapagos.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.launcher.JavaModuleOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Spark standalone cluster on localhost for integration tests: a Master and one Worker, each its own
 * JVM started from the Maven jars (no Spark distribution), the Worker starting executor JVMs of its own.
 * More Workers can join a running cluster ({@link #addWorker()}) and be killed like a lost machine
 * ({@link #killWorker(int)}). Workers can offer custom resources such as GPUs
 * ({@link Builder#workerResource}): each Worker finds them with a discovery script the cluster writes, as
 * Spark's {@code spark.worker.resource.<name>.amount} and {@code .discoveryScript} say.
 *
 * <p>{@code SPARK_HOME} is a fresh folder under the work root whose {@code jars} links to the lib folder,
 * the driver module's runtime classpath ({@code driver/target/lib}, made by its {@code package} phase;
 * failsafe passes it as the system property {@value #LIB_PROPERTY}). The processes get
 * {@code SPARK_SCALA_VERSION=2.12}, {@code SPARK_LOCAL_IP=127.0.0.1}, free ports, and Spark's Java 17
 * module flags. {@link #start} returns once the Master reports the Worker alive with all its cores, or
 * fails within the start timeout, with the logs' tails in the message.
 *
 * <p>Everything is written under one folder of the work root ({@value #WORK_PROPERTY}, by default
 * {@code target/it-clusters}): {@code master.log}, {@code worker.log} ({@code worker-2.log}, ... for added
 * Workers), each Worker's work folder with each executor's {@code stdout}/{@code stderr}, and the
 * discovery scripts. {@link #close()} stops the process trees (Master, Worker,
 * executors); a shutdown hook does the same if the test JVM exits first, and each process watches the
 * test JVM and ends itself if that JVM dies without running its hooks.
 *
 * <p>To drive the cluster from a subprocess (the real CLI), use {@link #masterUrl()},
 * {@link #environment()} and {@link #javaCommand}. Thread-safe.
 */
public final class StandaloneCluster implements AutoCloseable {

    /** System property naming the folder of jars that is the cluster's {@code SPARK_HOME/jars}. */
    public static final String LIB_PROPERTY = "galapagos.lib";
    /** System property naming the folder under which each cluster gets its own folder. */
    public static final String WORK_PROPERTY = "galapagos.it.work";
    public static final String HOST = "127.0.0.1";
    public static final String SCALA_VERSION = "2.12";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern EXECUTOR_ID = Pattern.compile("--executor-id (\\S+)");
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    /** Runs a command and ends it when the JVM with pid $1 is gone, or when this shell is terminated. */
    private static final String WATCHDOG = String.join("\n",
            "parent=$1; shift",
            "\"$@\" &",
            "child=$!",
            "trap 'kill -TERM $child 2>/dev/null; wait $child; exit 143' TERM INT HUP",
            "while kill -0 \"$parent\" 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 1; done",
            "kill -TERM $child 2>/dev/null",
            "wait $child");

    private final Path lib;
    private final Path directory;
    private final Path sparkHome;
    private final Path workerWorkDir;
    private final int masterPort;
    private final int masterWebPort;
    private final int workerCores;
    private final String workerMemory;
    private final Map<String, List<String>> workerResources;
    private final Map<String, Path> discoveryScripts = new LinkedHashMap<>();
    private final Map<String, String> environment;
    private final List<String> jvmFlags;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Thread shutdownHook = new Thread(this::stopProcesses, "standalone-cluster-stop");
    private Process master;
    /** Every Worker started, in order, killed ones included (their processes are dead). */
    private final List<WorkerJvm> workers = new CopyOnWriteArrayList<>();
    private boolean closed;

    /** One Worker JVM (the watchdog shell around it) and where it writes. */
    private record WorkerJvm(int number, String role, int port, Path workDir, Process process) {
    }

    private StandaloneCluster(Builder b, Path lib, Path directory) throws IOException {
        this.lib = lib;
        this.directory = directory;
        this.sparkHome = directory.resolve("spark-home");
        this.workerWorkDir = directory.resolve("worker-work");
        this.workerCores = b.workerCores;
        this.workerMemory = b.workerMemory;
        this.workerResources = Collections.unmodifiableMap(new LinkedHashMap<>(b.workerResources));
        this.masterPort = freePort();
        this.masterWebPort = freePort();
        Files.createDirectories(sparkHome.resolve("conf"));
        Files.createDirectories(workerWorkDir);
        linkJars(lib, sparkHome.resolve("jars"));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SPARK_HOME", sparkHome.toString());
        env.put("SPARK_CONF_DIR", sparkHome.resolve("conf").toString());
        env.put("SPARK_SCALA_VERSION", SCALA_VERSION);
        env.put("SPARK_LOCAL_IP", HOST);
        env.put("JAVA_HOME", System.getProperty("java.home"));
        this.environment = Collections.unmodifiableMap(env);
        this.jvmFlags = List.of(JavaModuleOptions.defaultModuleOptions().trim().split("\\s+"));
    }

    /** A cluster with the defaults: one Worker with 2 cores and 4g. */
    public static StandaloneCluster start() throws IOException {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings of a cluster to start. */
    public static final class Builder {
        private int workerCores = 2;
        private String workerMemory = "4g";
        private Path lib;
        private boolean sparkJarsOnly;
        private Path workRoot;
        private String name = "cluster";
        private Duration startTimeout = Duration.ofSeconds(90);
        private final Map<String, List<String>> workerResources = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Each Worker offers resource {@code name} (e.g. {@code gpu}) with these addresses: the cluster
         * writes a discovery script printing {@code {"name":name,"addresses":[...]}} and starts Workers
         * with {@code -Dspark.worker.resource.<name>.amount=<count>} and {@code .discoveryScript=<script>}.
         * Every Worker of the cluster reports the same addresses, as Workers on separate hosts would.
         */
        public Builder workerResource(String name, String... addresses) {
            if (name == null || !name.matches("[a-z][a-z0-9]*") || addresses.length == 0) {
                throw new IllegalArgumentException("a resource needs a lower-case name and addresses, got "
                        + name + " " + Arrays.toString(addresses));
            }
            for (String address : addresses) {
                if (!address.matches("[A-Za-z0-9._:-]+")) {
                    throw new IllegalArgumentException("unusual resource address '" + address + "'");
                }
            }
            workerResources.put(name, List.of(addresses));
            return this;
        }

        public Builder workerCores(int cores) {
            if (cores < 1) {
                throw new IllegalArgumentException("worker cores must be positive, got " + cores);
            }
            this.workerCores = cores;
            return this;
        }

        /** Memory the Worker offers to executors, in Spark's notation ({@code 4g}, {@code 1536m}). */
        public Builder workerMemory(String memory) {
            this.workerMemory = memory;
            return this;
        }

        /** The jars folder; by default the system property {@value #LIB_PROPERTY}. */
        public Builder lib(Path folder) {
            this.lib = folder;
            return this;
        }

        /**
         * The jars folder holds Spark's own jars and none of ours, as a Spark distribution's {@code jars} does:
         * applications must ship Galapagos themselves (spark-submit's {@code --jars}). Checked at start.
         */
        public Builder sparkJarsOnly(Path folder) {
            this.lib = folder;
            this.sparkJarsOnly = true;
            return this;
        }

        /** Where the cluster's folder goes; by default {@value #WORK_PROPERTY} or {@code target/it-clusters}. */
        public Builder workRoot(Path folder) {
            this.workRoot = folder;
            return this;
        }

        /** A prefix for the cluster's folder, e.g. the test's name. */
        public Builder name(String prefix) {
            this.name = prefix.replaceAll("[^A-Za-z0-9._-]", "_");
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        /** Starts Master and Worker and waits for the Worker to register; stops both if that fails. */
        public StandaloneCluster start() throws IOException {
            Path jars = checkLib(lib != null ? lib : libFromProperty(), !sparkJarsOnly);
            Path root = workRoot != null ? workRoot : Paths.get(System.getProperty(WORK_PROPERTY, "target/it-clusters"));
            Files.createDirectories(root);
            Path dir = Files.createTempDirectory(root.toAbsolutePath(), name + "-");
            StandaloneCluster cluster = new StandaloneCluster(this, jars, dir);
            try {
                cluster.launch(startTimeout);
                return cluster;
            } catch (IOException | RuntimeException | Error e) {
                cluster.close();
                throw e;
            }
        }
    }

    private void launch(Duration timeout) throws IOException {
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        long deadline = System.nanoTime() + timeout.toNanos();
        writeDiscoveryScripts();
        master = startJvm("master", "org.apache.spark.deploy.master.Master", List.of(),
                "--host", HOST, "--port", String.valueOf(masterPort), "--webui-port", String.valueOf(masterWebPort));
        awaitMaster(deadline, state -> "ALIVE".equals(state.path("status").asText()), "the Master to be ALIVE");
        startWorker(deadline);
    }

    /**
     * Starts one more Worker (same cores, memory and resources as the first) and waits, up to
     * {@code timeout}, until the Master reports it alive; running applications that want more executors
     * get them there.
     *
     * @return the new Worker's index, for {@link #killWorker(int)}
     */
    public int addWorker(Duration timeout) throws IOException {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the cluster is closed");
            }
        }
        return startWorker(System.nanoTime() + timeout.toNanos());
    }

    /** {@link #addWorker(Duration)} with a 60 s wait. */
    public int addWorker() throws IOException {
        return addWorker(Duration.ofSeconds(60));
    }

    private int startWorker(long deadline) throws IOException {
        WorkerJvm added;
        synchronized (this) {
            int number = workers.size() + 1;
            String role = number == 1 ? "worker" : "worker-" + number;
            Path workDir = number == 1 ? workerWorkDir : directory.resolve(role + "-work");
            Files.createDirectories(workDir);
            int port = freePort();
            List<String> options = new ArrayList<>();
            for (Map.Entry<String, List<String>> r : workerResources.entrySet()) {
                options.add("-Dspark.worker.resource." + r.getKey() + ".amount=" + r.getValue().size());
                options.add("-Dspark.worker.resource." + r.getKey() + ".discoveryScript="
                        + discoveryScripts.get(r.getKey()));
            }
            Process process = startJvm(role, "org.apache.spark.deploy.worker.Worker", options,
                    "--host", HOST, "--port", String.valueOf(port), "--webui-port", "0",
                    "--cores", String.valueOf(workerCores), "--memory", workerMemory,
                    "--work-dir", workDir.toString(), masterUrl());
            added = new WorkerJvm(number, role, port, workDir, process);
            workers.add(added);
        }
        awaitMaster(deadline, state -> aliveWorker(state, added.port()),
                "Worker " + added.number() + " (port " + added.port() + ") to register with " + workerCores + " cores");
        return added.number() - 1;
    }

    /** Whether the Master lists the Worker on {@code port} as ALIVE with all its cores. */
    private boolean aliveWorker(JsonNode state, int port) {
        for (JsonNode w : state.path("workers")) {
            if (w.path("port").asInt() == port && "ALIVE".equals(w.path("state").asText())
                    && w.path("cores").asInt() >= workerCores) {
                return true;
            }
        }
        return false;
    }

    /**
     * Kills Worker {@code index} (0 is the first) and the executor JVMs it started at once, with SIGKILL, as
     * if its machine had died: nothing is stopped gracefully, the Master and drivers find out by themselves.
     * Waits until the processes are gone.
     */
    public void killWorker(int index) {
        WorkerJvm w = workers.get(index);
        List<ProcessHandle> tree = new ArrayList<>(w.process().descendants().collect(Collectors.toList()));
        tree.add(w.process().toHandle());
        tree.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : tree) {
            try {
                p.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception stillThere) {
                throw new IllegalStateException("process " + p.pid() + " of " + w.role() + " survived SIGKILL", stillThere);
            }
        }
    }

    /** How many Workers were started (killed ones included): the next {@link #addWorker()} gets this index. */
    public int workersStarted() {
        return workers.size();
    }

    /** The discovery script the Workers run for resource {@code name} (see {@link Builder#workerResource}). */
    public Path discoveryScript(String name) {
        Path script = discoveryScripts.get(name);
        if (script == null) {
            throw new IllegalArgumentException("the Workers offer no resource '" + name + "', only "
                    + discoveryScripts.keySet());
        }
        return script;
    }

    private void writeDiscoveryScripts() throws IOException {
        for (Map.Entry<String, List<String>> r : workerResources.entrySet()) {
            String json = "{\"name\":\"" + r.getKey() + "\",\"addresses\":["
                    + r.getValue().stream().map(a -> "\"" + a + "\"").collect(Collectors.joining(",")) + "]}";
            Path script = directory.resolve("discover-" + r.getKey() + ".sh");
            Files.writeString(script, "#!/bin/sh\necho '" + json + "'\n", StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            discoveryScripts.put(r.getKey(), script);
        }
    }

    private Process startJvm(String role, String mainClass, List<String> jvmOptions, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", WATCHDOG, "watchdog",
                String.valueOf(ProcessHandle.current().pid())));
        List<String> options = new ArrayList<>(List.of("-Xmx512m"));
        options.addAll(jvmOptions);
        command.addAll(javaCommand(List.of(), mainClass, List.of(args), options.toArray(String[]::new)));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log(role).toFile()));
        builder.environment().keySet().removeIf(name -> name.startsWith("SPARK_"));
        builder.environment().putAll(environment);
        Files.writeString(log(role), "$ " + String.join(" ", command.subList(5, command.size())) + "\n\n",
                StandardCharsets.UTF_8);
        return builder.start();
    }

    private interface StateCheck {
        boolean ok(JsonNode masterState);
    }

    private void awaitMaster(long deadline, StateCheck check, String what) {
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            requireRunning();
            try {
                last = masterState();
                if (check.ok(last)) {
                    return;
                }
            } catch (IOException notUpYet) {
                // the Master's web UI is not listening yet
            }
            sleep(250);
        }
        throw new IllegalStateException("timed out waiting for " + what + " (last master state: " + last + ")\n"
                + logTails());
    }

    /** The Master, and the Worker being started (the newest); killed Workers are dead on purpose. */
    private void requireRunning() {
        if (master != null && !master.isAlive()) {
            throw new IllegalStateException("the Master exited with " + master.exitValue() + "\n" + logTails());
        }
        List<WorkerJvm> all = workersNow();
        WorkerJvm newest = all.isEmpty() ? null : all.get(all.size() - 1);
        if (newest != null && !newest.process().isAlive()) {
            throw new IllegalStateException(newest.role() + " exited with " + newest.process().exitValue() + "\n"
                    + logTails());
        }
    }

    /** The Master's view of the cluster: its web UI's {@code /json} (workers, cores, apps). */
    public JsonNode masterState() throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(masterWebUrl() + "/json/"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("master web UI answered " + response.statusCode());
            }
            return JSON.readTree(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** {@code spark://127.0.0.1:<port>}. */
    public String masterUrl() {
        return "spark://" + HOST + ":" + masterPort;
    }

    public String masterWebUrl() {
        return "http://" + HOST + ":" + masterWebPort;
    }

    /** The jars folder: {@code SPARK_HOME/jars} of the cluster, and the classpath of a driver JVM. */
    public Path lib() {
        return lib;
    }

    public Path sparkHome() {
        return sparkHome;
    }

    /** This cluster's folder: logs, {@code SPARK_HOME} and the Worker's work folder. */
    public Path directory() {
        return directory;
    }

    public Path masterLog() {
        return log("master");
    }

    public Path workerLog() {
        return log("worker");
    }

    /** Where the first Worker puts each application's executor folders ({@code app-.../<id>/stderr}). */
    public Path workerWorkDir() {
        return workerWorkDir;
    }

    public int workerCores() {
        return workerCores;
    }

    /**
     * The environment for a driver subprocess: {@code SPARK_HOME}, {@code SPARK_CONF_DIR},
     * {@code SPARK_SCALA_VERSION}, {@code SPARK_LOCAL_IP} and {@code JAVA_HOME}. Start from a copy of
     * the parent environment with every {@code SPARK_*} variable removed, then add these.
     */
    public Map<String, String> environment() {
        return environment;
    }

    /** Spark 3.5's Java 17 module flags, for any JVM that runs Spark. */
    public List<String> jvmFlags() {
        return jvmFlags;
    }

    /**
     * A command that runs {@code mainClass} in a new JVM with the module flags and a classpath of
     * {@code extraClasspath} followed by every jar of {@link #lib()}, e.g. the CLI against this cluster.
     */
    public List<String> javaCommand(List<Path> extraClasspath, String mainClass, List<String> args,
                                    String... jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.addAll(List.of(jvmOptions));
        List<String> classpath = new ArrayList<>();
        extraClasspath.forEach(p -> classpath.add(p.toAbsolutePath().toString()));
        classpath.add(lib.resolve("*").toString());
        command.add("-cp");
        command.add(String.join(java.io.File.pathSeparator, classpath));
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    /** The executor JVMs the Workers run now. */
    public List<ProcessHandle> executorProcesses() {
        return workerChildren("org.apache.spark.executor.CoarseGrainedExecutorBackend");
    }

    /** The driver JVMs the Workers run now for applications submitted in cluster deploy mode. */
    public List<ProcessHandle> driverProcesses() {
        return workerChildren("org.apache.spark.deploy.worker.DriverWrapper");
    }

    private List<ProcessHandle> workerChildren(String mainClass) {
        List<ProcessHandle> found = new ArrayList<>();
        for (WorkerJvm w : workersNow()) {
            w.process().descendants().filter(p -> commandLine(p).contains(mainClass)).forEach(found::add);
        }
        return found;
    }

    /**
     * A process's command line, from Linux's {@code /proc/<pid>/cmdline}: {@link ProcessHandle.Info#commandLine()}
     * reads one page of it, and a driver whose {@code -Dspark.jars} runs to kilobytes loses its main class there.
     */
    static String commandLine(ProcessHandle process) {
        try {
            return Files.readString(Paths.get("/proc", String.valueOf(process.pid()), "cmdline")).replace('\0', ' ');
        } catch (IOException | UncheckedIOException notLinuxOrGone) {
            return process.info().commandLine().orElse("");
        }
    }

    /**
     * The executor JVMs the Workers run now, by their Spark executor id (each one's {@code --executor-id}
     * argument, the id Spark's UI and a trial's result name).
     */
    public Map<String, ProcessHandle> executorsById() {
        Map<String, ProcessHandle> byId = new LinkedHashMap<>();
        for (ProcessHandle p : executorProcesses()) {
            Matcher m = EXECUTOR_ID.matcher(commandLine(p));
            if (m.find()) {
                byId.put(m.group(1), p);
            }
        }
        return byId;
    }

    /** The executors' {@code stderr} files so far, of every Worker, for diagnosis. */
    public List<Path> executorLogs() {
        List<Path> logs = new ArrayList<>();
        for (WorkerJvm w : workersNow()) {
            if (!Files.isDirectory(w.workDir())) {
                continue;
            }
            try (Stream<Path> files = Files.walk(w.workDir(), 3)) {
                files.filter(p -> p.getFileName().toString().equals("stderr")).sorted().forEach(logs::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return logs;
    }

    private List<WorkerJvm> workersNow() {
        return List.copyOf(workers);
    }

    /** The last lines of the Master, Worker and executor logs, for failure messages. */
    public String logTails() {
        StringBuilder s = new StringBuilder();
        List<Path> logs = new ArrayList<>(List.of(masterLog()));
        workersNow().forEach(w -> logs.add(log(w.role())));
        logs.addAll(executorLogs());
        for (Path log : logs) {
            if (Files.exists(log)) {
                s.append("--- ").append(log).append(" (last lines)\n").append(tail(log, 30));
            }
        }
        return s.toString();
    }

    /** Stops Workers, executors and Master; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopProcesses();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException shuttingDownOrNeverAdded) {
            // the hook runs (or ran) by itself
        }
    }

    private void stopProcesses() {
        List<WorkerJvm> all = workersNow();
        for (int i = all.size() - 1; i >= 0; i--) {
            stopTree(all.get(i).process());
        }
        stopTree(master);
    }

    /** SIGTERM to the whole tree (lets the Worker stop its executors), then SIGKILL to what is left. */
    private static void stopTree(Process process) {
        if (process == null) {
            return;
        }
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().collect(Collectors.toList()));
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        for (ProcessHandle p : tree) {
            long left = deadline - System.nanoTime();
            try {
                p.onExit().get(Math.max(0, left), TimeUnit.NANOSECONDS);
            } catch (Exception notYet) {
                break;
            }
        }
        List<ProcessHandle> survivors = new ArrayList<>(tree);
        survivors.addAll(process.descendants().collect(Collectors.toList()));
        for (ProcessHandle p : survivors) {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }

    private Path log(String role) {
        return directory.resolve(role + ".log");
    }

    private static Path libFromProperty() {
        String value = System.getProperty(LIB_PROPERTY);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + LIB_PROPERTY + " is not set: it names the folder of "
                    + "jars to use as SPARK_HOME/jars (driver/target/lib; the failsafe configuration sets it)");
        }
        return Paths.get(value);
    }

    private static Path checkLib(Path folder, boolean withGalapagos) throws IOException {
        Path lib = folder.toAbsolutePath().normalize();
        if (!Files.isDirectory(lib)) {
            throw new IllegalStateException(lib + " does not exist: build the driver module's package phase first, "
                    + "e.g. mvn verify -pl common,worker,driver,integration-tests");
        }
        boolean spark = false;
        boolean worker = false;
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(lib, "*.jar")) {
            for (Path jar : jars) {
                String name = jar.getFileName().toString();
                spark |= name.startsWith("spark-core_" + SCALA_VERSION + "-");
                worker |= name.startsWith("galapagos-");
            }
        }
        if (!spark || worker != withGalapagos) {
            throw new IllegalStateException(lib + (withGalapagos
                    ? " should hold the driver's runtime classpath, with spark-core_" + SCALA_VERSION + " and galapagos jars"
                    : " should hold Spark's jars alone, with spark-core_" + SCALA_VERSION + " and no galapagos jar"));
        }
        return lib;
    }

    private static void linkJars(Path lib, Path jars) throws IOException {
        try {
            Files.createSymbolicLink(jars, lib);
        } catch (UnsupportedOperationException | IOException noSymlinks) {
            Files.createDirectories(jars);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(lib)) {
                for (Path file : files) {
                    Path target = jars.resolve(file.getFileName());
                    try {
                        Files.createLink(target, file);
                    } catch (UnsupportedOperationException | IOException noHardLinks) {
                        Files.copy(file, target);
                    }
                }
            }
        }
    }

    /** A free TCP port on {@value #HOST}. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())) + "\n";
        } catch (IOException | UncheckedIOException e) {
            return "(unreadable: " + e + ")\n";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the cluster", e);
        }
    }

    @Override
    public String toString() {
        return "StandaloneCluster[" + masterUrl() + ", " + workersStarted() + " worker(s) of " + workerCores
                + " cores" + (workerResources.isEmpty() ? "" : " and " + workerResources) + ", " + directory + "]";
    }
}
