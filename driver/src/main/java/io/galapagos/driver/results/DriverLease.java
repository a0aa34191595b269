package io.galapagos.driver.results;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.galapagos.worker.HadoopFileSystems;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One driver's claim on a search's output folder, so that two drivers never write one search: a {@code resume} (or a
 * second {@code run}) of a folder whose driver is alive is refused, and one whose driver died takes the folder over.
 * A nightly resume started while last night's driver still runs, or a driver restarted by its scheduler while the
 * first is alive, would otherwise write the same trials, snapshots and reports beside it.
 *
 * <p>The claim is a small file ({@value #FILE}) that a daemon thread rewrites every {@link Timing#renewEvery}.
 * Whether its holder is alive: on this machine (same host name and process namespace), its process says so at once,
 * so that a driver killed here is taken over without waiting; elsewhere it is dead once the file has gone
 * {@link Timing#deadAfter} without a renewal, measured by the file system's own modification times, so that drivers
 * on machines whose clocks differ compare alike. A driver that finds at a renewal that another took its claim (it
 * stalled past that time) stops writing: {@link #checkHeld} fails its next record, report or deletion. Two drivers
 * claiming at the same moment both write the file; each reads it back after a pause ({@link Timing#settle}, or three
 * times its own write's duration on a slow store) and only the one whose claim it holds goes on. Not a consensus
 * protocol: it relies on the file system showing a file whole and replacing it in one step (HDFS, local disks and
 * object stores' uploads do), and on a write taking less than that pause. Thread-safe.
 */
final class DriverLease implements AutoCloseable {

    /** The claim's file, in the output folder; a dot-file, like the temporary names of atomic writes. */
    static final String FILE = ".driver-lease.json";

    private static final Logger LOG = LoggerFactory.getLogger(DriverLease.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * How often a driver renews its claim, how long a claim elsewhere may go without renewal before it counts as
     * dead, and how long a claimant waits before reading its claim back.
     */
    record Timing(Duration renewEvery, Duration deadAfter, Duration settle) {
        static final Timing DEFAULT = new Timing(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofMillis(300));
    }

    /**
     * Who holds a claim: a process on a machine, since when; {@code token} tells two claims of one process apart.
     *
     * @param machine        the host name, with the process namespace where the system says it (two containers
     *                       sharing a host name number their processes apart)
     * @param processStarted when the process started, so that a later process given the same id is not taken for it
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Holder(String machine, long pid, String processStarted, String since, String token) {

        /** Whether a claim read names a holder at all (a file of another kind, or cut short, does not). */
        boolean named() {
            return machine != null && pid > 0 && processStarted != null && since != null && token != null;
        }

        /** This process, claiming now. */
        static Holder self() {
            return of(ProcessHandle.current());
        }

        /** {@code process}, a process of this machine, claiming now. */
        static Holder of(ProcessHandle process) {
            return new Holder(Machine.NAME, process.pid(), Machine.started(process), Instant.now().toString(),
                    UUID.randomUUID().toString());
        }

        /** Whether this is a process on this machine that has ended (so certainly not renewing). */
        boolean endedHere() {
            if (!machine.equals(Machine.NAME)) {
                return false;
            }
            Optional<ProcessHandle> process = ProcessHandle.of(pid);
            return process.isEmpty() || !process.get().isAlive()
                    || !processStarted.isEmpty() && !processStarted.equals(Machine.started(process.get()));
        }

        /** Whether this is a live process on this machine. */
        boolean aliveHere() {
            return machine.equals(Machine.NAME) && !endedHere();
        }

        String describe() {
            return "pid " + pid + " on " + machine.replaceFirst(" .*", "") + ", since " + since;
        }
    }

    private final FileSystem fs;
    private final Path file;
    private final Holder self;
    private final ScheduledExecutorService renewals;
    private volatile Holder takenBy;
    /** When this claim was last written, by {@link System#nanoTime}. */
    private volatile long renewed;
    /** How long this driver may go without a renewal before it must assume another took over. */
    private final long fenceNanos;
    private volatile boolean closed;

    private DriverLease(FileSystem fs, Path file, Holder self, Timing timing) {
        this.fs = fs;
        this.file = file;
        this.self = self;
        this.renewed = System.nanoTime();
        // short of the silence after which another driver takes over: it measures from the claim's last write too
        this.fenceNanos = Math.max(timing.deadAfter().minus(timing.renewEvery()).toNanos(),
                timing.deadAfter().toNanos() / 2);
        this.renewals = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "galapagos-driver-lease");
            thread.setDaemon(true);
            return thread;
        });
        long every = timing.renewEvery().toMillis();
        renewals.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
    }

    /** Claims {@code folder} for this process, waiting at most one {@link Timing#deadAfter} for a silent holder. */
    static DriverLease take(FileSystem fs, Path folder, String location) throws IOException {
        return take(fs, folder, location, Holder.self(), Timing.DEFAULT);
    }

    /**
     * Claims {@code folder} for {@code self}: at once when nobody holds it or its holder has ended on this machine;
     * after waiting for a holder elsewhere to go {@link Timing#deadAfter} without renewing.
     *
     * @throws OutputException when a live driver holds it, or another claimed it at the same moment
     */
    static DriverLease take(FileSystem fs, Path folder, String location, Holder self, Timing timing) throws IOException {
        Path file = new Path(folder, FILE);
        Optional<Claim> held = read(fs, file);
        if (held.isPresent()) {
            Holder holder = held.get().holder();
            if (holder.aliveHere()) {
                throw inUse(location, holder);
            }
            if (holder.endedHere()) {
                LOG.warn("Output {}: taking it over from a driver that has ended on this machine ({})", location,
                        holder.describe());
            } else {
                Duration silent = awaitSilence(fs, file, location, held.get(), timing);
                LOG.warn("Output {}: taking it over from a driver silent for {} s ({})", location, silent.toSeconds(),
                        holder.describe());
            }
        }
        long start = System.nanoTime();
        write(fs, file, self);
        Duration wrote = Duration.ofNanos(System.nanoTime() - start);
        Optional<Claim> after;
        try {
            // a rival that read the folder free just before this write lands its own within about a write's time
            sleep(max(timing.settle(), wrote.multipliedBy(3)));
            after = read(fs, file);
        } catch (IOException | RuntimeException e) {
            giveBack(fs, file, self);
            throw e;
        }
        if (after.isEmpty() || !after.get().holder().token().equals(self.token())) {
            throw new OutputInUseException(location, "was claimed at the same moment by another driver ("
                    + after.map(c -> c.holder().describe()).orElse("which has already released it")
                    + "); this one stops: resume the search when that driver has ended");
        }
        return new DriverLease(fs, file, self, timing);
    }

    /**
     * Refuses {@code location} if a driver holds it that is alive on this machine, or elsewhere renewed its claim
     * less than {@link Timing#deadAfter} ago by this machine's clock. Reads only and waits for nothing: for what a
     * command says of a folder (it holds no journal yet, or is not empty) before {@link #take} judges its holder.
     */
    static void refuseHolder(FileSystem fs, Path folder, String location) throws IOException {
        Optional<Claim> held = read(fs, new Path(folder, FILE));
        if (held.isEmpty() || held.get().holder().endedHere()) {
            return;
        }
        Holder holder = held.get().holder();
        Duration silent = Duration.ofMillis(Math.max(0, System.currentTimeMillis() - held.get().modified()));
        if (holder.aliveHere()) {
            throw inUse(location, holder);
        }
        if (silent.compareTo(Timing.DEFAULT.deadAfter()) < 0) {
            throw new OutputInUseException(location, "is being searched by a driver elsewhere (" + holder.describe()
                    + "), which renewed its claim " + silent.toSeconds() + " s ago: wait for it to end, or stop it; a "
                    + "driver that stopped is taken over after " + Timing.DEFAULT.deadAfter().toSeconds()
                    + " s without renewing its claim");
        }
    }

    /** Fails once another driver has taken this claim over: this one must write nothing more to the folder. */
    void checkHeld() throws IOException {
        Holder taker = takenBy;
        if (taker != null) {
            throw new IOException("another driver took this search over (" + taker.describe() + ") after this one "
                    + "went without renewing its claim on the output folder; this driver stops writing to it");
        }
        long silent = System.nanoTime() - renewed;
        if (silent > fenceNanos) {
            // renewals failing (the file system unreachable, say): another driver may have taken over unseen
            throw new IOException("this driver could not renew its claim on the output folder for "
                    + TimeUnit.NANOSECONDS.toSeconds(silent) + " s, so another may have taken the search over; it "
                    + "stops writing to it");
        }
    }

    /** Stops renewing and removes the claim, unless another driver has taken it. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        // a renewal under way finishes (an interrupted write would be reported as a failed renewal); none starts
        renewals.shutdown();
        try {
            renewals.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        giveBack(fs, file, self);
    }

    /** Removes {@code self}'s claim, and no one else's. */
    private static void giveBack(FileSystem fs, Path file, Holder self) throws IOException {
        Optional<Claim> held = read(fs, file);
        if (held.isPresent() && held.get().holder().token().equals(self.token())) {
            fs.delete(file, false);
        }
    }

    private void renew() {
        try {
            Optional<Claim> held = read(fs, file);
            if (held.isPresent() && !held.get().holder().token().equals(self.token())) {
                takenBy = held.get().holder();
                LOG.error("Another driver took this search's output folder over ({}); this driver stops writing to it",
                        takenBy.describe());
                renewals.shutdown();
                return;
            }
            write(fs, file, self);
            renewed = System.nanoTime();
        } catch (IOException | RuntimeException e) {
            // the next renewal tries again (an exception escaping would end them all, silently); a file system down
            // for longer lets another driver take over, which the renewal after it finds
            LOG.warn("Could not renew this driver's claim on its output folder: {}", e.toString().lines().findFirst()
                    .orElse(""));
        }
    }

    /** A claim as read: its holder and when the file was last written, by the file system's clock. */
    private record Claim(Holder holder, long modified) {
    }

    /**
     * Returns how long {@code claim}'s holder, elsewhere, has been silent, once that is {@link Timing#deadAfter} or
     * more: waiting for the rest of that time if need be.
     *
     * @throws OutputException when the claim is renewed (or replaced) meanwhile
     */
    private static Duration awaitSilence(FileSystem fs, Path file, String location, Claim claim, Timing timing)
            throws IOException {
        Duration silent = age(fs, file.getParent(), claim);
        Duration left = timing.deadAfter().minus(silent);
        if (left.isNegative()) {
            return silent;
        }
        LOG.warn("Output {} is claimed by a driver that renewed its claim {} s ago ({}); waiting {} s to see "
                + "whether it is alive", location, silent.toSeconds(), claim.holder().describe(), left.toSeconds() + 1);
        sleep(left.plusSeconds(1));
        Optional<Claim> now = read(fs, file);
        if (now.isPresent() && now.get().modified() != claim.modified()) {
            throw inUse(location, now.get().holder());
        }
        return silent.plus(left).plusSeconds(1);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static OutputInUseException inUse(String location, Holder holder) {
        return new OutputInUseException(location, "is being searched by a live driver (" + holder.describe() + "): wait "
                + "for it to end, or stop it; a driver that stopped is taken over at once on its own machine, and after "
                + Timing.DEFAULT.deadAfter().toSeconds() + " s without renewing its claim from elsewhere");
    }

    /** How long ago {@code claim} was written, by the file system's clock: a probe file's time is its now. */
    private static Duration age(FileSystem fs, Path folder, Claim claim) throws IOException {
        Path probe = new Path(folder, ".driver-lease-clock." + UUID.randomUUID());
        try {
            fs.create(probe, false).close();
            return Duration.ofMillis(Math.max(0, fs.getFileStatus(probe).getModificationTime() - claim.modified()));
        } finally {
            fs.delete(probe, false);
        }
    }

    private static Optional<Claim> read(FileSystem fs, Path file) throws IOException {
        byte[] bytes;
        FileStatus status;
        try {
            status = fs.getFileStatus(file);
            try (var in = fs.open(file)) {
                bytes = in.readAllBytes();
            }
        } catch (FileNotFoundException released) {
            return Optional.empty();
        }
        String problem;
        try {
            Holder holder = JSON.readValue(bytes, Holder.class);
            if (holder != null && holder.named()) {
                return Optional.of(new Claim(holder, status.getModificationTime()));
            }
            problem = "it names no holder";
        } catch (JsonProcessingException e) {
            problem = e.getOriginalMessage();
        }
        // written whole or not at all (see write), so not a claim being written: nobody renews it as one
        LOG.warn("Output folder's {} is not a driver's claim ({}); it is replaced", FILE, problem);
        return Optional.empty();
    }

    private static void write(FileSystem fs, Path file, Holder holder) throws IOException {
        byte[] bytes = JSON.writeValueAsString(holder).getBytes(StandardCharsets.UTF_8);
        HadoopFileSystems.writeAtomically(fs, file, out -> out.write(bytes));
    }

    private static void sleep(Duration duration) throws InterruptedIOException {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while claiming the output folder");
        }
    }

    /** This machine, as a claim names it. */
    private static final class Machine {

        static final String NAME = name();

        private static String name() {
            String host;
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                // a name no other process has: nothing this process cannot see for itself is judged to be here
                return "unresolved-host " + UUID.randomUUID();
            }
            // "pid:[4026531836]": containers on one host, even sharing its name, have process namespaces of their own;
            // the boot id tells two machines of the same name apart (the first namespace has one number everywhere)
            return host + linuxFile(() -> java.nio.file.Files.readSymbolicLink(
                    java.nio.file.Path.of("/proc/self/ns/pid")).toString())
                    + linuxFile(() -> java.nio.file.Files.readString(
                    java.nio.file.Path.of("/proc/sys/kernel/random/boot_id")).strip());
        }

        /** " " and what {@code read} gives, or nothing where the system has no such file. */
        private static String linuxFile(java.util.concurrent.Callable<String> read) {
            try {
                return " " + read.call();
            } catch (Exception absent) {
                return "";
            }
        }

        static String started(ProcessHandle process) {
            return process.info().startInstant().map(Instant::toString).orElse("");
        }
    }
}
