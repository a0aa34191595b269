package io.galapagos.config;

import java.util.Map;
import java.util.TreeMap;

/**
 * Spark settings from the config file. The command line's {@code --master} wins over {@code master}.
 *
 * @param master the master URL, e.g. {@code local[*]} or {@code spark://host:7077}; {@code null} when the
 *               config names none, so that {@code spark-submit --master} (or {@code local[*]}) applies
 * @param conf   extra Spark properties, passed to the SparkConf as they are
 */
public record SparkSettings(String master, Map<String, String> conf) {

    public SparkSettings {
        if (master != null && master.isBlank()) {
            throw new io.galapagos.space.InvalidValueException("master", master, "must name a Spark master URL");
        }
        conf = java.util.Collections.unmodifiableMap(new TreeMap<>(conf));
    }
}
