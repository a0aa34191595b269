package io.galapagos.driver.cli;

import org.apache.hadoop.fs.RawLocalFileSystem;

import java.net.URI;
import java.util.List;

/**
 * The local file system under the scheme {@value #SCHEME}, which Hadoop knows only from a configuration's settings
 * ({@link #SETTINGS}), as it knows {@code s3a:}'s keys: data read there proves that the settings reached the reader.
 */
public final class TestdataFileSystem extends RawLocalFileSystem {

    public static final String SCHEME = "testdata";

    /**
     * The {@code spark.conf} entries, as YAML, that make the scheme readable; uncached, so that no reader finds a file
     * system that an earlier read (a check of the inputs) made with them.
     */
    public static final List<String> SETTINGS = List.of(
            "spark.hadoop.fs." + SCHEME + ".impl: " + TestdataFileSystem.class.getName(),
            "spark.hadoop.fs." + SCHEME + ".impl.disable.cache: true");

    @Override
    public URI getUri() {
        return URI.create(SCHEME + ":///");
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }
}
