package io.galapagos.driver.results;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.DistributedFileSystem;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;

/**
 * Closes the files that a driver killed while writing left open on HDFS, before a resumed search reads them.
 * HDFS keeps such a file under construction, leased to the dead writer, for up to an hour: readers see its
 * flushed records, but its listed length stays where the first flush into its last block left it (a tool
 * that sizes its reads by the listing, as Spark's file sources do, misses the rest), and bytes the replicas
 * had received but not yet acknowledged when the writer died may join the file only when the lease is
 * recovered, after a resume has read it without them. Recovering the lease first makes the file final: what
 * the resume reads is what the file keeps. Other file systems have no leases: nothing to do. Recovering a
 * lease takes it from its holder; {@link RunOutput#open} calls this only once it holds the folder's
 * {@link DriverLease}, so never while the search's driver is alive. Stateless.
 */
final class LeaseRecovery {

    /** How long to wait for HDFS to close a file; recovery normally takes a DataNode heartbeat or two. */
    static final Duration PATIENCE = Duration.ofMinutes(2);
    private static final long POLL_MILLIS = 250;
    /**
     * Each recoverLease call starts a new block recovery that supersedes the one in progress: asking again
     * too often would keep any from finishing.
     */
    private static final Duration ASK_AGAIN = Duration.ofSeconds(20);

    private LeaseRecovery() {
    }

    /** Returns once every file in {@code files} is closed, recovering the leases of those that are not. */
    static void closeAll(FileSystem fs, List<Path> files, Duration patience) throws IOException {
        if (!(fs instanceof DistributedFileSystem hdfs)) {
            return;
        }
        for (Path file : files) {
            close(hdfs, file, patience);
        }
    }

    private static void close(DistributedFileSystem hdfs, Path file, Duration patience) throws IOException {
        long start = System.nanoTime();
        long asked = start;
        if (hdfs.recoverLease(file)) {
            return;
        }
        try {
            while (!hdfs.isFileClosed(file)) {
                long now = System.nanoTime();
                if (now - start > patience.toNanos()) {
                    throw new IOException(file.getName() + " is still open for writing after " + patience.toSeconds()
                            + " s of HDFS lease recovery (are its DataNodes up?)");
                }
                if (now - asked > ASK_AGAIN.toNanos()) {
                    asked = now;
                    if (hdfs.recoverLease(file)) {
                        return;
                    }
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while HDFS recovered the lease of " + file);
        }
    }
}
