package io.galapagos.driver.job;

import io.galapagos.config.ConfigException;
import io.galapagos.config.TextDataConfig;
import io.galapagos.text.TextFormatException;
import io.galapagos.text.Vocabulary;
import io.galapagos.worker.text.TextCorpus;
import io.galapagos.worker.HadoopFileSystems;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checks, before anything starts, that the text files a configuration names can be trained on: each exists and is
 * a readable file ({@link DataFiles#problem}), and the whole corpus reads and splits as the executors will read it
 * ({@link TextCorpus#read}: every line a label and a text in the configured encoding, the validation and test
 * labels among the training file's, at least two classes), and that some token occurs often enough to enter the
 * vocabulary. Every problem is a one-line {@link ConfigException}
 * naming the key, and for a bad line the file and line number. Stateless.
 */
public final class TextFiles {

    private TextFiles() {
    }

    /** The file {@code location} names, as its file system qualifies it (a link to it is not followed). */
    private static String qualified(String location, Configuration hadoop) {
        Path path = new Path(location);
        try {
            return HadoopFileSystems.of(path, hadoop).makeQualified(path).toString();
        } catch (IOException e) {
            return location; // DataFiles.problem has just read it; compared as written if it cannot be qualified now
        }
    }

    public static void check(String source, TextDataConfig data, Configuration hadoop) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("data.train", data.train());
        if (data.validation() != null) {
            files.put("data.validation", data.validation());
        }
        if (data.test() != null) {
            files.put("data.test", data.test());
        }
        Map<String, String> keyOfFile = new HashMap<>();
        files.forEach((key, location) -> {
            String problem = DataFiles.problem(location, hadoop);
            if (problem != null) {
                throw new ConfigException(source, key, "'" + location + "' " + problem);
            }
            String earlier = keyOfFile.putIfAbsent(qualified(location, hadoop), key);
            if (earlier != null) {
                throw new ConfigException(source, key, "'" + location + "' is " + earlier + "'s file too: the splits "
                        + "must be apart, or the search chooses or tests its networks on examples they trained or were "
                        + "chosen on; name another file, or none to cut this split from data.train");
            }
        });
        TextCorpus corpus;
        try {
            corpus = TextCorpus.read(data, hadoop);
        } catch (TextFormatException e) {
            String key = files.entrySet().stream().filter(f -> e.getMessage().startsWith(f.getValue() + ":"))
                    .map(Map.Entry::getKey).findFirst().orElse("data");
            throw new ConfigException(source, key, e.getMessage());
        } catch (IOException e) {
            throw new ConfigException(source, "data", "cannot be read: " + e.getMessage());
        }
        Vocabulary vocabulary = Vocabulary.build(corpus.train(), data.vocabulary());
        if (vocabulary.size() <= Vocabulary.UNKNOWN + 1) {
            // the padding and unknown ids alone: every text would read as unknown, and no network can be built
            throw new ConfigException(source, "data.min_count", data.vocabulary().minCount() + " leaves no token of "
                    + data.train() + " in the vocabulary (none occurs that often in the training split)");
        }
    }
}
