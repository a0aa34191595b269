package io.galapagos.driver.results;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A search's output folder on any Hadoop FileSystem ({@code file:}, {@code hdfs:}, {@code s3a:}, or a
 * plain local path). An existing non-empty folder is refused, never overwritten. Small files are
 * written atomically: to a hidden temporary name first, then renamed. Not thread-safe.
 */
public final class RunOutput {

    public static final String JOURNAL = "journal.jsonl";
    public static final String LEADERBOARD = "leaderboard.csv";
    public static final String BEST = "best.json";
    public static final String CONFIG = "config.yaml";
    public static final String TIMELINE = "timeline.csv";

    private final FileSystem fs;
    private final Path folder;

    private RunOutput(FileSystem fs, Path folder) {
        this.fs = fs;
        this.folder = folder;
    }

    /** Creates (or takes an empty) folder; fails with {@link OutputException} if it has files or cannot be made. */
    public static RunOutput create(String location, Configuration hadoop) {
        Path folder = new Path(location);
        try {
            FileSystem fs = folder.getFileSystem(hadoop);
            // No .crc side files next to the results on a local disk.
            fs.setWriteChecksum(false);
            folder = fs.makeQualified(folder);
            try {
                FileStatus status = fs.getFileStatus(folder);
                if (!status.isDirectory()) {
                    throw new OutputException(location, "exists and is not a folder");
                }
                if (fs.listStatus(folder).length > 0) {
                    throw new OutputException(location, "is not empty; choose a new --output folder "
                            + "(results are never overwritten)");
                }
            } catch (FileNotFoundException absent) {
                // a new folder: the normal case
            }
            if (!fs.mkdirs(folder)) {
                throw new OutputException(location, "cannot be created");
            }
            return new RunOutput(fs, folder);
        } catch (IOException e) {
            throw new OutputException(location, "cannot be used: " + e.getMessage());
        }
    }

    public Path folder() {
        return folder;
    }

    public Journal openJournal() throws IOException {
        return new Journal(fs.create(new Path(folder, JOURNAL), false));
    }

    /** Writes {@code text} to {@code name} in the folder atomically. */
    public void write(String name, String text) throws IOException {
        Path target = new Path(folder, name);
        Path temporary = new Path(folder, "." + name + ".tmp");
        try (FSDataOutputStream out = fs.create(temporary, true)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        fs.delete(target, false);
        if (!fs.rename(temporary, target)) {
            throw new IOException("could not rename " + temporary + " to " + target);
        }
    }
}
