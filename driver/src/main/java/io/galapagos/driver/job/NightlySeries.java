package io.galapagos.driver.job;

import io.galapagos.config.ConfigException;
import io.galapagos.config.SearchConfig;
import io.galapagos.driver.checkpoint.WarmStart;
import io.galapagos.driver.results.JournalRecords;
import io.galapagos.driver.results.OutputException;
import io.galapagos.driver.results.RunOutput;
import io.galapagos.worker.HadoopFileSystems;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A series of searches, one a day, in folders named by date ({@code 2026-12-01}) under one parent folder on any Hadoop
 * FileSystem: what {@code galapagos run CONFIG --nightly PARENT} does tonight. The decision lives here, in the
 * application, because a scheduler that runs the same command every night (cron, a Kubernetes
 * {@code ScheduledSparkApplication}) cannot compute dates or look into HDFS itself.
 *
 * <p>Tonight's folder is new: the search starts, warm-started from the newest earlier night whose last session ended
 * (its journal ends with a summary record) and that searched the same space; other nights are skipped, each with a
 * line saying why. Tonight's folder holds a search whose last session did not end (the driver died): it is resumed.
 * Its last session ended: there is nothing to run. Folders whose names are not dates are ignored. Stateless.
 */
public final class NightlySeries {

    /**
     * Folders a search writes beside its journal, which on {@code s3a:} exist before it (a segment appears only when
     * its session closes it): without a journal they cannot be resumed from.
     */
    private static final Set<String> BESIDE_JOURNAL = Set.of(RunOutput.SNAPSHOTS, RunOutput.CHECKPOINTS);

    /** What tonight's run does, in its {@code output} folder. */
    public sealed interface Tonight {
        String output();
    }

    /** A new search, warm-started from an earlier night's when there is one. */
    public record Start(String output, Optional<WarmStart> from) implements Tonight {
    }

    /** Tonight's search, interrupted: continue it. */
    public record Resume(String output) implements Tonight {
    }

    /** Tonight's search ended already (all its trials, or its time budget): nothing to run. */
    public record Ended(String output) implements Tonight {
    }

    private NightlySeries() {
    }

    /**
     * Decides tonight's run, reading the parent folder (which need not exist yet) and, for a warm start, earlier
     * nights' outputs.
     *
     * @param console where the nights skipped, and why, are reported
     * @throws OutputException when tonight's folder holds files but no search, or the parent folder cannot be read
     *                         (a file system that is not on the classpath, or cannot be reached)
     */
    public static Tonight plan(String parent, LocalDate date, SearchConfig config, Configuration hadoop,
                               Consumer<String> console) {
        try {
            return decide(parent, date, config, hadoop, console);
        } catch (IOException e) {
            throw OutputException.unusable(parent, e);
        }
    }

    private static Tonight decide(String parent, LocalDate date, SearchConfig config, Configuration hadoop,
                                  Consumer<String> console) throws IOException {
        Path parentPath = RunOutput.location(parent);
        FileSystem fs = HadoopFileSystems.of(parentPath, hadoop);
        String tonight = new Path(parentPath, date.toString()).toString();
        if (fs.exists(new Path(tonight)) && fs.listStatus(new Path(tonight)).length > 0) {
            RunOutput output = startedOutput(tonight, fs, hadoop);
            if (output != null) {
                return JournalRecords.read(output).lastSessionEnded() ? new Ended(tonight) : new Resume(tonight);
            }
        }
        for (String earlier : earlierNights(fs, parentPath, date)) {
            Optional<WarmStart> from = warmStart(earlier, config, hadoop, console);
            if (from.isPresent()) {
                return new Start(tonight, from);
            }
        }
        console.accept("Nightly: no earlier night in " + parent + " to warm-start from; tonight's search starts afresh");
        return new Start(tonight, Optional.empty());
    }

    /**
     * Tonight's folder as a search's output, or null when it holds only what a search writes before its journal (its
     * first session stopped before Spark was up, or was killed on {@code s3a:} before it closed its journal), which
     * is removed so that the search can start over; refused while the driver that wrote it may be alive.
     */
    private static RunOutput startedOutput(String tonight, FileSystem fs, Configuration hadoop) throws IOException {
        FileStatus[] files = fs.listStatus(new Path(tonight));
        for (FileStatus file : files) {
            String name = file.getPath().getName();
            boolean ours = file.isFile() ? RunOutput.beforeJournal(file) : BESIDE_JOURNAL.contains(name);
            if (!ours) {
                // a journal, snapshots, or something that is not ours: read() tells which. Read only: an ended session
                // closed its segment after its summary, so whether it ended shows without recovering a dead driver's
                // lease, which the resume does once
                return RunOutput.read(tonight, hadoop);
            }
        }
        // a driver whose first session has not written its journal yet (on s3a:, not closed it) may be alive
        RunOutput.removeBeforeJournal(fs, new Path(tonight), tonight, files);
        return null;
    }

    /** The folders under {@code parent} named by a date before {@code date}, newest first. */
    private static List<String> earlierNights(FileSystem fs, Path parent, LocalDate date) throws IOException {
        FileStatus[] children;
        try {
            children = fs.listStatus(parent);
        } catch (FileNotFoundException firstNight) {
            return List.of();
        }
        List<FileStatus> nights = new ArrayList<>();
        for (FileStatus child : children) {
            Optional<LocalDate> night = dateOf(child.getPath().getName());
            if (child.isDirectory() && night.isPresent() && night.get().isBefore(date)) {
                nights.add(child);
            }
        }
        nights.sort(Comparator.comparing((FileStatus s) -> s.getPath().getName()).reversed());
        return nights.stream().map(s -> s.getPath().toString()).toList();
    }

    private static Optional<LocalDate> dateOf(String name) {
        try {
            return Optional.of(LocalDate.parse(name));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The warm start from {@code night}, or empty (with a line saying why) when that night cannot give one. */
    private static Optional<WarmStart> warmStart(String night, SearchConfig config, Configuration hadoop,
                                                 Consumer<String> console) throws InterruptedIOException {
        try {
            RunOutput output = RunOutput.read(night, hadoop);
            if (!JournalRecords.read(output).lastSessionEnded()) {
                console.accept("Nightly: skipping " + night + ": its last session did not end (galapagos resume "
                        + night + " would finish it)");
                return Optional.empty();
            }
            return Optional.of(WarmStart.load(night, config, hadoop));
        } catch (OutputException | ConfigException e) {
            // a night whose files this version no longer reads (a key since moved, say) gives no warm start; it does
            // not stop every night after it
            console.accept("Nightly: skipping " + night + ": " + e.getMessage());
            return Optional.empty();
        } catch (InterruptedIOException e) {
            throw e; // stopped while reading, not a night that cannot be read
        } catch (IOException e) {
            // nor does one that cannot be read (a lost block, a file it may not open): the parent was read, so the
            // file system is there for tonight's search
            console.accept("Nightly: skipping " + night + ": cannot be read: " + e);
            return Optional.empty();
        }
    }
}
