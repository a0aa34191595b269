package io.galapagos.driver.results;

import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.hdfs.HdfsConfiguration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lease recovery on a real HDFS (a NameNode and a DataNode in this JVM): a file another client holds open, as a
 * killed driver leaves its journal segment, is closed with what was flushed, and taken from a writer that
 * was in fact alive.
 */
class LeaseRecoveryTest {

    private static final byte[] RECORD = "{\"type\":\"result\"}\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    static java.nio.file.Path dir;

    private static MiniDFSCluster hdfs;
    private static DistributedFileSystem fs;
    /** The other driver: a client of its own, so its lease is not ours. */
    private static DistributedFileSystem writer;

    @BeforeAll
    static void startHdfs() throws IOException {
        HdfsConfiguration conf = new HdfsConfiguration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.toString());
        // block recovery waits for a DataNode heartbeat: 1 s instead of 3 keeps the test short
        conf.setInt("dfs.heartbeat.interval", 1);
        hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        hdfs.waitActive();
        fs = hdfs.getFileSystem();
        writer = (DistributedFileSystem) DistributedFileSystem.newInstance(hdfs.getURI(), conf);
    }

    @AfterAll
    static void stopHdfs() {
        if (hdfs != null) {
            hdfs.shutdown(true);
        }
    }

    @Test
    void aFileLeftOpenIsClosedWithWhatWasFlushedAndItsWriterCutOff() throws IOException {
        Path segment = new Path("/left-open/journal.jsonl");
        FSDataOutputStream out = openWithARecord(segment);
        assertFalse(fs.isFileClosed(segment));

        LeaseRecovery.closeAll(fs, List.of(segment), Duration.ofSeconds(60));

        assertTrue(fs.isFileClosed(segment));
        assertEquals(RECORD.length, fs.getFileStatus(segment).getLen(), "the listed length is the flushed one");
        assertThrows(IOException.class, () -> {
            out.write(RECORD);
            out.hflush();
        }, "the writer kept writing after its lease was recovered");
    }

    @Test
    void aClosedFileIsLeftAsItIsAtOnce() throws IOException {
        Path segment = new Path("/closed/journal.jsonl");
        try (FSDataOutputStream out = writer.create(segment, false)) {
            out.write(RECORD);
        }
        long modified = fs.getFileStatus(segment).getModificationTime();

        LeaseRecovery.closeAll(fs, List.of(segment), Duration.ZERO);

        assertEquals(modified, fs.getFileStatus(segment).getModificationTime());
        assertEquals(RECORD.length, fs.getFileStatus(segment).getLen());
    }

    @Test
    void aFileHdfsCannotCloseIsAOneLineErrorAfterThePatience() throws IOException {
        Path segment = new Path("/stuck/journal.jsonl");
        openWithARecord(segment);
        // the only replica's DataNode is gone: no block recovery can run
        MiniDFSCluster.DataNodeProperties dataNode = hdfs.stopDataNode(0);
        try {
            IOException e = assertThrows(IOException.class,
                    () -> LeaseRecovery.closeAll(fs, List.of(segment), Duration.ofSeconds(2)));

            assertEquals("journal.jsonl is still open for writing after 2 s of HDFS lease recovery (are its DataNodes up?)",
                    e.getMessage());
        } finally {
            hdfs.restartDataNode(dataNode, true);
            hdfs.waitActive();
        }
    }

    /** A file the other writer holds open, one record flushed into it, as a killed driver leaves its segment. */
    private static FSDataOutputStream openWithARecord(Path file) throws IOException {
        FSDataOutputStream out = writer.create(file, false);
        out.write(RECORD);
        out.hflush();
        return out;
    }
}
