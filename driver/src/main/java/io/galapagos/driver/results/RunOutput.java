package io.galapagos.driver.results;

import io.galapagos.worker.HadoopFileSystems;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A search's output folder on any Hadoop FileSystem ({@code file:}, {@code hdfs:}, {@code s3a:}, or a
 * plain local path). A new search refuses an existing non-empty folder, never overwriting it; a resumed one
 * opens it ({@link #open}). Small files are written atomically: to a hidden temporary name first, then
 * renamed. The journal is written in segments, one per session: {@code journal.jsonl}, then
 * {@code journal.2.jsonl} for the first resume, and so on, so that no session appends to a file another
 * wrote (object stores cannot append). A session that writes a search (its first, or a resume) holds the folder's
 * {@link DriverLease} until it is closed, so that no second driver writes the same search beside it. Not thread-safe.
 */
public final class RunOutput implements AutoCloseable {

    public static final String JOURNAL = "journal.jsonl";
    public static final String LEADERBOARD = "leaderboard.csv";
    public static final String BEST = "best.json";
    public static final String CONFIG = "config.yaml";
    /** A text search's vocabulary, written beside its configuration before Spark starts. */
    public static final String VOCABULARY = "vocabulary.json";
    /**
     * What a search writes before its journal (dot-files aside: temporary names of atomic writes): all its folder
     * holds when its first session stopped before Spark was up. Nothing was recorded there, so it may start over.
     */
    public static final Set<String> BEFORE_JOURNAL = Set.of(CONFIG, VOCABULARY);
    public static final String TIMELINE = "timeline.csv";
    /** What the driver's latency model learnt, written at the end of a search with a latency bound. */
    public static final String LATENCY_MODEL = "latency-model.json";
    /** The non-dominated results of a search with several objectives, with every metric. */
    public static final String PARETO = "pareto.csv";
    public static final String SNAPSHOTS = "snapshots";
    /** Where the DL4J trainer saves trainings at the lower fidelity levels for their promotions to continue. */
    public static final String CHECKPOINTS = "checkpoints";

    private static final Logger LOG = LoggerFactory.getLogger(RunOutput.class);
    private static final Pattern SEGMENT = Pattern.compile("journal(?:\\.(\\d+))?\\.jsonl");

    private final FileSystem fs;
    private final Path folder;
    /** This session's claim on the folder; null where it only reads it, or writes a folder that is not a search. */
    private DriverLease lease;
    /** Whether {@link #create} made the folder (rather than taking an empty one). */
    private boolean made;

    private RunOutput(FileSystem fs, Path folder) {
        this.fs = fs;
        this.folder = folder;
    }

    /**
     * {@code location} as a Hadoop path.
     *
     * @throws OutputException in one line when Hadoop cannot read it as a path or URI ({@code run-10:30}, which
     *                         reads as a URI of scheme {@code run-10} with a relative path)
     */
    public static Path location(String location) {
        try {
            return new Path(location);
        } catch (IllegalArgumentException e) {
            String message = String.valueOf(e.getMessage()).replaceFirst("^java\\.net\\.URISyntaxException: ", "");
            throw new OutputException(location, "is not a path or URI Hadoop can read (" + message
                    + "); for a local folder whose name holds ':', write it as file:/absolute/path");
        }
    }

    /**
     * Checks, writing nothing, that {@link #create} would take {@code location}: it is absent or an empty
     * folder. Cheap, so that a command can refuse a used folder before it starts anything.
     *
     * @throws OutputException otherwise
     */
    public static void checkNew(String location, Configuration hadoop) {
        Path folder = location(location);
        try {
            checkNew(location, HadoopFileSystems.of(folder, hadoop), folder);
        } catch (IOException e) {
            throw OutputException.unusable(location, e);
        }
    }

    private static void checkNew(String location, FileSystem fs, Path folder) throws IOException {
        try {
            FileStatus status = fs.getFileStatus(folder);
            if (!status.isDirectory()) {
                throw new OutputException(location, "exists and is not a folder");
            }
            DriverLease.refuseHolder(fs, folder, location);
            // a claim whose holder is gone is no one's: a new search takes it over
            FileStatus[] entries = Arrays.stream(fs.listStatus(folder))
                    .filter(entry -> !entry.getPath().getName().equals(DriverLease.FILE)).toArray(FileStatus[]::new);
            if (entries.length > 0 && Arrays.stream(entries).allMatch(RunOutput::beforeJournal)) {
                // a first session killed while Spark started, or the user's own file: not this command's to delete
                throw new OutputException(location, "holds " + names(entries) + " and no journal (a search killed "
                        + "before it recorded anything leaves that): remove " + (entries.length == 1 ? "it" : "them")
                        + ", or choose a new --output folder");
            }
            if (entries.length > 0) {
                throw new OutputException(location, "is not empty; choose a new --output folder "
                        + "(results are never overwritten), or continue that search with --resume");
            }
        } catch (FileNotFoundException absent) {
            // a new folder: the normal case
        }
    }

    private static String names(FileStatus[] entries) {
        return String.join(" and ", Arrays.stream(entries).map(e -> e.getPath().getName()).sorted().toList());
    }

    /**
     * Removes {@code files}, what a search wrote in {@code folder} before its journal, holding the folder's claim while
     * it does ({@link DriverLease#take}: a holder elsewhere is waited for until it has gone silent), so that nothing
     * of a live driver's goes.
     *
     * @throws OutputInUseException when a live driver holds the folder; nothing is removed
     */
    public static void removeBeforeJournal(FileSystem fs, Path folder, String location, FileStatus[] files)
            throws IOException {
        try (DriverLease claim = DriverLease.take(fs, folder, location)) {
            for (FileStatus file : files) {
                if (!file.getPath().getName().equals(DriverLease.FILE)) {
                    fs.delete(file.getPath(), file.isDirectory());
                }
            }
        }
    }

    /** Whether {@code entry} is a file a search writes before its journal. */
    public static boolean beforeJournal(FileStatus entry) {
        String name = entry.getPath().getName();
        return entry.isFile() && (BEFORE_JOURNAL.contains(name) || name.startsWith("."));
    }

    /** Creates (or takes an empty) folder; fails with {@link OutputException} if it has files or cannot be made. */
    public static RunOutput create(String location, Configuration hadoop) {
        Path folder = location(location);
        try {
            FileSystem fs = HadoopFileSystems.of(folder, hadoop);
            // No .crc side files next to the results on a local disk.
            fs.setWriteChecksum(false);
            folder = fs.makeQualified(folder);
            checkNew(location, fs, folder);
            boolean existed = fs.exists(folder);
            if (!fs.mkdirs(folder)) {
                throw new OutputException(location, "cannot be created");
            }
            RunOutput output = new RunOutput(fs, folder);
            output.made = !existed;
            output.probeWritable(location);
            return output;
        } catch (IOException e) {
            throw OutputException.unusable(location, e);
        }
    }

    /** What a command does in an output folder it was given new ({@link #inNewFolder}). */
    @FunctionalInterface
    public interface InFolder<T> {
        T run(RunOutput output) throws IOException, InterruptedException;
    }

    /**
     * Creates {@code location} ({@link #create}) and runs {@code work} in it; when {@code work} fails and leaves the
     * folder empty, the folder is removed too if this call made it (an empty folder it was given stays), so that the
     * same command, corrected, can run again. Files anyone left in it (a journal, another driver's) keep it.
     */
    public static <T> T inNewFolder(String location, Configuration hadoop, InFolder<T> work)
            throws IOException, InterruptedException {
        RunOutput output = create(location, hadoop);
        try {
            return work.run(output);
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            try {
                if (output.made && output.fs.listStatus(output.folder).length == 0) {
                    output.fs.delete(output.folder, false);
                }
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /**
     * A new output folder ({@link #inNewFolder}), claimed ({@link DriverLease}), with {@code configYaml} as its
     * {@link #CONFIG}, and {@code session} run in it. A session that fails before its journal's first record (Spark
     * refusing its master, say) takes back what was written before it ({@link #BEFORE_JOURNAL}), its claim too, so
     * that nothing is left of it.
     */
    public static <T> T firstSession(String location, Configuration hadoop, String configYaml, InFolder<T> session)
            throws IOException, InterruptedException {
        return inNewFolder(location, hadoop, created -> {
            try (RunOutput output = created) {
                output.lease = claim(output, location);
                output.write(CONFIG, configYaml);
                try {
                    return session.run(output);
                } catch (IOException | InterruptedException | RuntimeException | Error e) {
                    try {
                        // taken over, what the folder holds is the taker's: the check throws, and nothing is removed
                        output.checkHeld();
                        if (output.journalSegments().isEmpty()) {
                            for (String name : BEFORE_JOURNAL) {
                                output.fs.delete(new Path(output.folder, name), false);
                            }
                        }
                    } catch (IOException cleanup) {
                        e.addSuppressed(cleanup);
                    }
                    throw e;
                }
            }
        });
    }

    private static DriverLease claim(RunOutput output, String location) {
        try {
            return DriverLease.take(output.fs, output.folder, location);
        } catch (IOException e) {
            throw new OutputException(location, "cannot be written: " + firstLine(e));
        }
    }

    /**
     * Opens the folder of an earlier search to resume it, claiming it ({@link DriverLease}) until {@link #close}; fails
     * with {@link OutputException} if it is not one, or if a live driver holds it. On HDFS, a journal segment a killed
     * driver left open is closed first (its lease recovered, see {@link LeaseRecovery}).
     */
    public static RunOutput open(String location, Configuration hadoop) {
        return open(location, hadoop, true);
    }

    /** Opens the folder of an earlier search to read it (a warm start's source), which may be read-only. */
    public static RunOutput read(String location, Configuration hadoop) {
        return open(location, hadoop, false);
    }

    private static RunOutput open(String location, Configuration hadoop, boolean writable) {
        Path folder = location(location);
        try {
            FileSystem fs = HadoopFileSystems.of(folder, hadoop);
            fs.setWriteChecksum(false);
            folder = fs.makeQualified(folder);
            if (!fs.exists(folder)) {
                throw new OutputException(location, "does not exist");
            }
            RunOutput output = new RunOutput(fs, folder);
            boolean configured = fs.exists(new Path(folder, CONFIG));
            boolean journaled = !output.journalSegments().isEmpty();
            if (!journaled) {
                // a live driver's first session shows no journal before its first record (on s3a:, before its end)
                DriverLease.refuseHolder(fs, folder, location);
            }
            if (configured && !journaled) {
                throw new OutputException(location, "holds a " + CONFIG + " but no " + JOURNAL + " (a search killed "
                        + "before it recorded anything leaves that): there is nothing to resume; remove what it holds and "
                        + "run the search again");
            }
            if (!configured) {
                throw new OutputException(location, "is not the output of a search (no " + CONFIG + " and "
                        + JOURNAL + ")");
            }
            if (writable) {
                // the claim is written first, and so also shows that the folder can be written
                output.lease = claim(output, location);
                try {
                    // the earlier sessions' segments, one perhaps left open by a killed driver, made final before read
                    LeaseRecovery.closeAll(fs, output.journalSegments(), LeaseRecovery.PATIENCE);
                } catch (IOException | RuntimeException e) {
                    output.close();
                    throw e;
                }
            }
            return output;
        } catch (IOException e) {
            throw OutputException.unusable(location, e);
        }
    }

    /** Creates and deletes a file: a read-only or unreachable file system fails here, before anything runs. */
    private void probeWritable(String location) {
        Path probe = new Path(folder, ".galapagos-write-probe");
        try {
            fs.create(probe, true).close();
            fs.delete(probe, false);
        } catch (IOException e) {
            throw new OutputException(location, "cannot be written: " + firstLine(e));
        }
    }

    /** The first line of what a file system said: messages stay one line. */
    public static String firstLine(IOException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse(message);
    }

    public Path folder() {
        return folder;
    }

    /** Opens the next journal segment for this session; {@code sync} forces each record to disk (hsync). */
    public Journal openJournal(boolean sync) throws IOException {
        List<Path> segments = journalSegments();
        String name = segments.isEmpty() ? JOURNAL : "journal." + (segments.size() + 1) + ".jsonl";
        Path segment = new Path(folder, name);
        return new Journal(() -> fs.create(segment, false), sync, this::checkHeld);
    }

    /** The journal's segments, in the order they were written. */
    public List<Path> journalSegments() throws IOException {
        TreeMap<Integer, Path> segments = new TreeMap<>();
        for (FileStatus status : fs.listStatus(folder)) {
            Matcher m = SEGMENT.matcher(status.getPath().getName());
            if (status.isFile() && m.matches()) {
                segments.put(m.group(1) == null ? 1 : Integer.parseInt(m.group(1)), status.getPath());
            }
        }
        return List.copyOf(segments.values());
    }

    /** Whether {@code name} exists in the folder. */
    public boolean exists(String name) throws IOException {
        return fs.exists(new Path(folder, name));
    }

    public FileSystem fileSystem() {
        return fs;
    }

    public String readText(String name) throws IOException {
        return new String(readBytes(name), StandardCharsets.UTF_8);
    }

    public byte[] readBytes(String name) throws IOException {
        try (FSDataInputStream in = fs.open(new Path(folder, name))) {
            return in.readAllBytes();
        }
    }

    /** Names of the files in a sub-folder (empty if it does not exist), relative to this folder, sorted. */
    public List<String> list(String subFolder) throws IOException {
        Path dir = new Path(folder, subFolder);
        if (!fs.exists(dir)) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (FileStatus status : fs.listStatus(dir)) {
            if (status.isFile() && !status.getPath().getName().startsWith(".")) {
                names.add(subFolder + "/" + status.getPath().getName());
            }
        }
        names.sort(null);
        return names;
    }

    public void delete(String name) throws IOException {
        checkHeld();
        fs.delete(new Path(folder, name), false);
    }

    /** Writes {@code text} to {@code name} in the folder atomically. */
    public void write(String name, String text) throws IOException {
        write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code bytes} to {@code name} (which may be in a sub-folder) atomically. */
    public void write(String name, byte[] bytes) throws IOException {
        checkHeld();
        HadoopFileSystems.writeAtomically(fs, new Path(folder, name), out -> out.write(bytes));
    }

    /** Fails once another driver has taken this session's claim over (see {@link DriverLease#checkHeld}). */
    private void checkHeld() throws IOException {
        if (lease != null) {
            lease.checkHeld();
        }
    }

    /**
     * Gives back this session's claim on the folder, if it holds one; an output only read has nothing to give. A claim
     * that cannot be removed is reported, not thrown: the session's work is done, and the claim, no longer renewed, is
     * taken over by the next driver.
     */
    @Override
    public void close() {
        if (lease != null) {
            try {
                lease.close();
            } catch (IOException e) {
                LOG.warn("Could not give back the claim on {}: {}", folder, firstLine(e));
            }
        }
    }
}
