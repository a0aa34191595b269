package io.galapagos.driver.cli;

import io.galapagos.driver.results.RunOutput;
import io.galapagos.driver.results.OutputException;
import io.galapagos.worker.HadoopFileSystems;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** A file a command writes where the user said (a report, predictions), on any Hadoop FileSystem. Stateless. */
final class SingleFile {

    private SingleFile() {
    }

    /**
     * Writes {@code text} to {@code location} atomically, making its folder if needed. An existing file is replaced
     * only when its name ends with {@code suffix}, as this command's own files do: a mistyped location never
     * replaces a model, a journal or a search's configuration.
     *
     * @throws OutputException when it cannot be written, or is a folder or another kind of file, in one line
     */
    static void write(String location, String text, Configuration hadoop, String suffix) {
        try {
            Path path = RunOutput.location(location);
            FileSystem fs = HadoopFileSystems.of(path, hadoop);
            fs.setWriteChecksum(false);
            if (fs.exists(path) && fs.getFileStatus(path).isDirectory()) {
                throw new OutputException(location, "is a folder; name a file");
            }
            if (fs.exists(path) && !path.getName().endsWith(suffix)) {
                throw new OutputException(location, "exists and is not a " + suffix + " file: this is written to a "
                        + "new file or over an earlier " + suffix + " file, never over another kind");
            }
            HadoopFileSystems.writeAtomically(fs, fs.makeQualified(path),
                    stream -> stream.write(text.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new OutputException(location, "cannot be written: " + message.lines().findFirst().orElse(message));
        }
    }
}
