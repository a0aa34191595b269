package io.galapagos.worker;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.CommonPathCapabilities;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.PathExistsException;
import org.apache.hadoop.fs.PathIsDirectoryException;
import org.apache.hadoop.fs.StreamCapabilities;
import org.apache.hadoop.fs.UnsupportedFileSystemException;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.deploy.SparkHadoopUtil;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reaches the Hadoop {@link FileSystem} of a path, for the driver and the executors alike. A scheme whose
 * file system is not on the classpath ({@code s3a:} needs the {@code hadoop-aws} module, which Galapagos does
 * not bundle) is an {@link IOException} saying so in one line, where Hadoop throws a bare
 * {@code RuntimeException} wrapping a {@code ClassNotFoundException}. Stateless.
 */
public final class HadoopFileSystems {

    private HadoopFileSystems() {
    }

    /** Hadoop's settings as {@link #configuration(Map)} gives them, with no configuration's own entries. */
    public static Configuration configuration() {
        return configuration(Map.of());
    }

    /**
     * Hadoop's settings as Spark gives them to its own reads: Hadoop's defaults and site files, then every
     * {@code spark.hadoop.*} entry with its prefix dropped (an s3a endpoint, its keys), from Spark's configuration
     * where Spark is up (an executor, or a driver with its context started) or else from this JVM's {@code spark.*}
     * properties ({@code spark-submit --conf}), and from {@code sparkConf}, a configuration's {@code spark.conf}
     * section. A bare {@code new Configuration()} would miss them all, and reach the default endpoint instead.
     */
    public static Configuration configuration(Map<String, String> sparkConf) {
        SparkEnv env = SparkEnv.get();
        SparkConf conf = env != null ? env.conf().clone() : new SparkConf();
        sparkConf.forEach(conf::set);
        return SparkHadoopUtil.get().newConfiguration(conf);
    }

    public static FileSystem of(Path path, Configuration hadoop) throws IOException {
        try {
            return path.getFileSystem(hadoop);
        } catch (UnsupportedFileSystemException e) {
            throw new IOException(missing(path), e);
        } catch (RuntimeException e) {
            if (e.getCause() instanceof ClassNotFoundException) {
                throw new IOException(missing(path), e);
            }
            throw e;
        }
    }

    /** Writes a file's content to a stream; the stream is closed by the caller. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code target} atomically, so that a reader sees a whole file, the earlier one or the new one, and a
     * failure or a kill leaves the earlier file as it was:
     * <ul>
     * <li>on a store whose uploads become visible only when their stream closes ({@code s3a:}, which says so by
     * {@link CommonPathCapabilities#ABORTABLE_STREAM}), by one upload in place that a failure aborts: its rename is
     * a copy and would leave a moment with no file;</li>
     * <li>elsewhere, to a unique temporary name in the same folder, made durable where the stream can sync, then
     * renamed over any earlier file; a failure removes the temporary file. On {@code hdfs:} and a POSIX local disk
     * the rename replaces the earlier file in one step. A file system whose rename refuses to replace a file
     * ({@code viewfs:} over HDFS, {@code webhdfs:}, {@code abfs:}, a local disk on Windows) has the earlier file
     * deleted just before, and a kill in between leaves only the temporary file ({@link #leftTemporaries}).</li>
     * </ul>
     */
    public static void writeAtomically(FileSystem fs, Path target, Content content) throws IOException {
        if (fs.hasPathCapability(target, CommonPathCapabilities.ABORTABLE_STREAM)) {
            uploadInPlace(fs, target, content);
            return;
        }
        Path temporary = new Path(target.getParent(), temporaryPrefix(target) + UUID.randomUUID() + TEMPORARY_SUFFIX);
        try {
            try (FSDataOutputStream out = fs.create(temporary, false)) {
                content.writeTo(out);
                if (out.hasCapability(StreamCapabilities.HSYNC)) {
                    out.hsync();
                }
            }
            replace(fs, temporary, target);
        } catch (IOException | RuntimeException e) {
            fs.delete(temporary, false);
            throw e;
        }
    }

    private static void uploadInPlace(FileSystem fs, Path target, Content content) throws IOException {
        refuseFolder(fs, target);
        FSDataOutputStream out = fs.create(target, true);
        try {
            content.writeTo(out);
        } catch (Throwable e) {
            // closing would upload the part written so far over the earlier file; left open, the upload would be
            // neither finished nor cancelled
            try {
                out.abort();
            } catch (RuntimeException notAborted) {
                e.addSuppressed(notAborted);
            }
            throw e;
        }
        out.close();
    }

    private static void replace(FileSystem fs, Path temporary, Path target) throws IOException {
        if (fs instanceof DistributedFileSystem hdfs) {
            // FileSystem.rename refuses an existing target on HDFS; this one replaces it in one NameNode operation
            hdfs.rename(temporary, target, Options.Rename.OVERWRITE);
            return;
        }
        refuseFolder(fs, target);
        if (fs instanceof ChecksumFileSystem checksummed) {
            // its rename moves the data, then the checksum file: a kill between must not leave the new data beside
            // the earlier file's checksums, which would refuse it; data without a checksum file reads unchecked
            checksummed.getRawFileSystem().delete(checksummed.getChecksumFile(target), false);
        }
        if (renamed(fs, temporary, target)) {
            return; // the local file system's rename is POSIX rename(2), which replaces the target in one step
        }
        fs.delete(target, false);
        if (!fs.rename(temporary, target)) {
            throw new IOException("could not rename " + temporary + " to " + target);
        }
    }

    /**
     * Hadoop's contract lets a rename onto an existing file return false or throw a {@link FileAlreadyExistsException};
     * the local file system on Windows, whose rename does not replace a file, throws a {@link PathExistsException}.
     */
    private static boolean renamed(FileSystem fs, Path source, Path target) throws IOException {
        try {
            return fs.rename(source, target);
        } catch (FileAlreadyExistsException | PathExistsException e) {
            return false;
        }
    }

    /** A rename onto a folder would move the file into it and report success; every store refuses it alike. */
    private static void refuseFolder(FileSystem fs, Path target) throws IOException {
        boolean folder;
        try {
            folder = fs.getFileStatus(target).isDirectory();
        } catch (FileNotFoundException absent) {
            folder = false;
        }
        if (folder) {
            throw new PathIsDirectoryException(target.toString());
        }
    }

    private static final String TEMPORARY_SUFFIX = ".tmp";

    private static String temporaryPrefix(Path target) {
        return "." + target.getName() + ".";
    }

    /**
     * The temporary files {@link #writeAtomically} left for {@code target}, newest first: a write a crash cut before
     * it renamed its file into place. One may be whole (the crash came after the earlier file was deleted, before the
     * rename) or cut short; which is for a reader that knows the content to tell.
     */
    public static List<FileStatus> leftTemporaries(FileSystem fs, Path target) throws IOException {
        if (!fs.exists(target.getParent())) {
            return List.of();
        }
        String prefix = temporaryPrefix(target);
        List<FileStatus> left = new ArrayList<>();
        for (FileStatus status : fs.listStatus(target.getParent())) {
            String name = status.getPath().getName();
            if (status.isFile() && name.startsWith(prefix) && name.endsWith(TEMPORARY_SUFFIX)) {
                left.add(status);
            }
        }
        left.sort(Comparator.comparingLong(FileStatus::getModificationTime).reversed());
        return left;
    }

    private static String missing(Path path) {
        String scheme = path.toUri().getScheme();
        return "no Hadoop file system for '" + scheme + ":' is on the classpath" + ("s3a".equals(scheme)
                ? " (add org.apache.hadoop:hadoop-aws 3.3.4 and its AWS SDK, e.g. spark-submit --packages "
                + "org.apache.hadoop:hadoop-aws:3.3.4)" : "");
    }
}
