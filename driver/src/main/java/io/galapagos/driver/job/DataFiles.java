package io.galapagos.driver.job;

import io.galapagos.config.ConfigException;
import io.galapagos.config.DataConfig;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Checks, before anything starts, that every data file a configuration names exists and is a file. */
public final class DataFiles {

    private DataFiles() {
    }

    public static void check(String source, DataConfig data, Configuration hadoop) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("data.train_images", data.trainImages());
        files.put("data.train_labels", data.trainLabels());
        files.put("data.test_images", data.testImages());
        files.put("data.test_labels", data.testLabels());
        for (Map.Entry<String, String> file : files.entrySet()) {
            String problem = problem(file.getValue(), hadoop);
            if (problem != null) {
                throw new ConfigException(source, file.getKey(), "'" + file.getValue() + "' " + problem);
            }
        }
    }

    /** Why {@code location} cannot be read as a file ("does not exist", ...), or {@code null} when it can. */
    static String problem(String location, Configuration hadoop) {
        try {
            Path path = new Path(location);
            var fs = path.getFileSystem(hadoop);
            if (!fs.exists(path)) {
                return "does not exist";
            }
            return fs.getFileStatus(path).isFile() ? null : "is not a file";
        } catch (IOException | IllegalArgumentException e) {
            return "cannot be read: " + e.getMessage();
        }
    }
}
