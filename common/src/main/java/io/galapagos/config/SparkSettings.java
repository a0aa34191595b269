package io.galapagos.config;

import java.util.Map;
import java.util.TreeMap;

/**
 * Spark settings from the config file. The command line's {@code --master} wins over {@code master}.
 *
 * @param master the master URL, e.g. {@code local[*]} or {@code spark://host:7077}; {@code null} when the
 *               config names none, so that {@code spark-submit --master} (or {@code local[*]}) applies
 * @param conf   extra Spark properties, passed to the SparkConf as they are; a property that names classes may
 *               name only those {@link ClassPolicy} allows
 */
public record SparkSettings(String master, Map<String, String> conf) {

    public SparkSettings {
        if (master != null && master.isBlank()) {
            throw new io.galapagos.space.InvalidValueException("master", master, "must name a Spark master URL");
        }
        conf = java.util.Collections.unmodifiableMap(new TreeMap<>(conf));
        for (Map.Entry<String, String> e : conf.entrySet()) {
            String refused = ClassPolicy.refusedClass(e.getKey(), e.getValue());
            if (refused != null) {
                throw io.galapagos.space.InvalidValueException.ofText("conf." + e.getKey(), refused,
                        "is refused: " + ClassPolicy.reason(e.getKey()));
            }
        }
    }
}
