package io.galapagos.worker;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Abortable;
import org.apache.hadoop.fs.CommonPathCapabilities;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.PathIsDirectoryException;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.hdfs.HdfsConfiguration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.util.Progressable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Atomic writes through the Hadoop FileSystem API, on the checksummed local file system, the raw one, HDFS and a
 * store whose uploads become visible when they close; Hadoop's settings as Spark gives them.
 */
class HadoopFileSystemsTest {

    @TempDir
    java.nio.file.Path dir;

    /**
     * On the local file systems through a temporary file; on a store whose uploads become visible only when their
     * stream closes (s3a:), whose rename is a copy, by one upload in place, which a failure must abort: closing its
     * stream would upload the part written.
     */
    @Test
    void aWriteReplacesTheEarlierFileAndAFailedOneLeavesItAsItWasWithNoTemporaryFile() throws Exception {
        for (FileSystem fs : new FileSystem[]{FileSystem.getLocal(new Configuration()),
                FileSystem.getLocal(new Configuration()).getRaw(), new UploadingStore()}) {
            java.nio.file.Path folder = Files.createDirectories(dir.resolve(fs.getClass().getSimpleName()));
            Path target = new Path(folder.resolve("best.json").toUri());
            HadoopFileSystems.writeAtomically(fs, target, out -> out.write("first".getBytes(StandardCharsets.UTF_8)));
            HadoopFileSystems.writeAtomically(fs, target, out -> out.write("second".getBytes(StandardCharsets.UTF_8)));
            assertEquals("second", Files.readString(folder.resolve("best.json")));

            IOException e = assertThrows(IOException.class, () -> HadoopFileSystems.writeAtomically(fs, target, out -> {
                out.write("half".getBytes(StandardCharsets.UTF_8));
                throw new IOException("disk full");
            }));
            assertEquals("disk full", e.getMessage());
            assertEquals("second", Files.readString(folder.resolve("best.json")));
            try (Stream<java.nio.file.Path> files = Files.list(folder)) {
                assertEquals("[best.json]", files.map(p -> p.getFileName().toString())
                        .filter(name -> !name.endsWith(".crc")).sorted().toList().toString(), fs.getClass().getName());
            }
        }
    }

    /**
     * A kill as the new file is renamed into place on the checksummed local file system, which moves the data and
     * then its checksum file, leaves a file that reads back whole: the earlier one when the data had not moved, the
     * new one when only its checksums had not (the earlier file's checksums would refuse it).
     */
    @Test
    void aWriteKilledAtEitherOfItsRenamesLeavesAFileThatReadsBackWhole() throws Exception {
        for (String killedAt : List.of("data", "checksums")) {
            java.nio.file.Path folder = Files.createDirectories(dir.resolve(killedAt));
            Path target = new Path(folder.resolve("config.yaml").toUri());
            LocalFileSystem fs = checksummedLocal(killedAt.equals("data") ? ".tmp" : ".tmp.crc");
            HadoopFileSystems.writeAtomically(checksummedLocal(null), target,
                    out -> out.write("first".getBytes(StandardCharsets.UTF_8)));

            assertThrows(IOException.class, () -> HadoopFileSystems.writeAtomically(fs, target,
                    out -> out.write("second".getBytes(StandardCharsets.UTF_8))));
            try (FSDataInputStream in = fs.open(target)) {
                assertEquals(killedAt.equals("data") ? "first" : "second",
                        new String(in.readAllBytes(), StandardCharsets.UTF_8), killedAt);
            }
        }
    }

    /**
     * The local file system with checksum files, killed as it renames a file whose name ends with {@code suffix}
     * (never when it is null).
     */
    private static LocalFileSystem checksummedLocal(String suffix) throws IOException {
        LocalFileSystem fs = new LocalFileSystem(new RawLocalFileSystem() {
            @Override
            public boolean rename(Path src, Path dst) throws IOException {
                if (suffix != null && src.getName().endsWith(suffix)) {
                    throw new IOException("killed");
                }
                return super.rename(src, dst);
            }
        });
        fs.initialize(URI.create("file:///"), new Configuration());
        fs.setWriteChecksum(true);
        return fs;
    }

    /** A rename onto a folder would move the file into it and report success; the write fails instead. */
    @Test
    void aWriteOntoAFolderFailsAndLeavesItAsItWas() throws Exception {
        for (FileSystem fs : new FileSystem[]{FileSystem.getLocal(new Configuration()), new UploadingStore()}) {
            java.nio.file.Path parent = Files.createDirectories(dir.resolve(fs.getClass().getSimpleName()));
            java.nio.file.Path folder = Files.createDirectories(parent.resolve("config.yaml"));
            Files.writeString(folder.resolve("inside"), "kept");

            assertThrows(PathIsDirectoryException.class, () -> HadoopFileSystems.writeAtomically(fs,
                    new Path(folder.toUri()), out -> out.write("new".getBytes(StandardCharsets.UTF_8))));
            try (Stream<java.nio.file.Path> files = Files.list(folder)) {
                assertEquals(List.of("inside"), files.map(p -> p.getFileName().toString()).toList());
            }
            try (Stream<java.nio.file.Path> files = Files.list(parent)) {
                assertEquals(List.of("config.yaml"), files.map(p -> p.getFileName().toString()).toList(),
                        "no temporary file is left");
            }
        }
    }

    /**
     * A local stand-in for an object store: an upload is buffered and becomes the file only when its stream closes,
     * an aborted one never does, and it neither renames nor deletes (s3a's rename is a copy, then a delete).
     */
    private static final class UploadingStore extends RawLocalFileSystem {

        UploadingStore() throws IOException {
            initialize(URI.create("file:///"), new Configuration());
        }

        @Override
        public boolean hasPathCapability(Path path, String capability) throws IOException {
            return capability.equals(CommonPathCapabilities.ABORTABLE_STREAM) || super.hasPathCapability(path, capability);
        }

        @Override
        public FSDataOutputStream create(Path f, boolean overwrite, int bufferSize, short replication, long blockSize,
                                         Progressable progress) {
            return new FSDataOutputStream(new Upload(pathToFile(f).toPath()), null);
        }

        @Override
        public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize,
                                         short replication, long blockSize, Progressable progress) {
            return create(f, overwrite, bufferSize, replication, blockSize, progress);
        }

        @Override
        public boolean rename(Path src, Path dst) {
            throw new AssertionError("renamed " + src + " to " + dst);
        }

        @Override
        public boolean delete(Path p, boolean recursive) {
            throw new AssertionError("deleted " + p);
        }
    }

    private static final class Upload extends ByteArrayOutputStream implements Abortable {
        private final java.nio.file.Path object;
        private boolean done;

        Upload(java.nio.file.Path object) {
            this.object = object;
        }

        @Override
        public void close() throws IOException {
            if (!done) {
                done = true;
                Files.write(object, toByteArray());
            }
        }

        @Override
        public AbortableResult abort() {
            boolean already = done;
            done = true;
            return new AbortableResult() {
                @Override
                public boolean alreadyClosed() {
                    return already;
                }

                @Override
                public IOException anyCleanupException() {
                    return null;
                }
            };
        }
    }

    /**
     * On HDFS, whose plain rename refuses an existing target, a write replaces the earlier file with no moment
     * when a reader, or a driver killed then, would find none: the client here fails the write if it ever deletes
     * the target.
     */
    @Test
    void onHdfsAWriteReplacesTheEarlierFileWithoutDeletingItFirst() throws Exception {
        HdfsConfiguration conf = new HdfsConfiguration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("hdfs").toString());
        MiniDFSCluster hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        try (DistributedFileSystem fs = new DistributedFileSystem() {
            @Override
            public boolean delete(Path f, boolean recursive) throws IOException {
                if (makeQualified(f).getName().equals("config.yaml")) {
                    throw new IOException("the earlier " + f + " was deleted before the new one replaced it");
                }
                return super.delete(f, recursive);
            }
        }) {
            hdfs.waitActive();
            fs.initialize(hdfs.getURI(), conf);
            Path target = new Path("/output/config.yaml");
            HadoopFileSystems.writeAtomically(fs, target, out -> out.write("first".getBytes(StandardCharsets.UTF_8)));
            HadoopFileSystems.writeAtomically(fs, target, out -> out.write("second".getBytes(StandardCharsets.UTF_8)));

            try (FSDataInputStream in = fs.open(target)) {
                assertEquals("second", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            assertEquals(List.of("config.yaml"), Arrays.stream(fs.listStatus(target.getParent()))
                    .map(status -> status.getPath().getName()).toList(), "no temporary file is left");
        } finally {
            hdfs.shutdown(true);
        }
    }

    /** An s3a endpoint given to spark-submit, or in a configuration's spark.conf, reaches Galapagos's own reads. */
    @Test
    void sparksHadoopEntriesReachTheConfiguration() {
        String property = "spark.hadoop.galapagos.test.endpoint";
        System.setProperty(property, "http://minio:9000");
        try {
            Configuration configured = HadoopFileSystems.configuration(
                    java.util.Map.of("spark.hadoop.galapagos.test.region", "eu-west-1", property, "http://s3:9000"));
            assertEquals("eu-west-1", configured.get("galapagos.test.region"));
            assertEquals("http://s3:9000", configured.get("galapagos.test.endpoint"), "the configuration's own wins");
            // spark-submit's --conf are system properties until Spark is up; then Spark's configuration holds them
            Assumptions.assumeTrue(org.apache.spark.SparkEnv.get() == null, "a Spark context of another test is up");
            assertEquals("http://minio:9000", HadoopFileSystems.configuration().get("galapagos.test.endpoint"));
        } finally {
            System.clearProperty(property);
        }
    }
}
