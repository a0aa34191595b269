package io.galapagos.worker;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.UnsupportedFileSystemException;

import java.io.IOException;

/**
 * Reaches the Hadoop {@link FileSystem} of a path, for the driver and the executors alike. A scheme whose
 * file system is not on the classpath ({@code s3a:} needs the {@code hadoop-aws} module, which Galapagos does
 * not bundle) is an {@link IOException} saying so in one line, where Hadoop throws a bare
 * {@code RuntimeException} wrapping a {@code ClassNotFoundException}. Stateless.
 */
public final class HadoopFileSystems {

    private HadoopFileSystems() {
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

    private static String missing(Path path) {
        String scheme = path.toUri().getScheme();
        return "no Hadoop file system for '" + scheme + ":' is on the classpath" + ("s3a".equals(scheme)
                ? " (add org.apache.hadoop:hadoop-aws 3.3.4 and its AWS SDK, e.g. spark-submit --packages "
                + "org.apache.hadoop:hadoop-aws:3.3.4)" : "");
    }
}
