package io.galapagos.worker.text;

import io.galapagos.config.TextDataConfig;
import io.galapagos.text.Vocabulary;
import io.galapagos.worker.data.OncePerJvm;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;

/**
 * The encoded splits of each text configuration and vocabulary, read and encoded at most once per JVM
 * ({@link OncePerJvm}). Thread-safe.
 */
public final class TextDatasetCache {

    /** What a split depends on: the files and their cuts, and the vocabulary that encodes them. */
    private record Key(TextDataConfig data, Vocabulary vocabulary) {
    }

    private static final OncePerJvm<Key, TextSplit> LOADED = new OncePerJvm<>();

    private TextDatasetCache() {
    }

    /**
     * The splits of {@code data} encoded by {@code vocabulary}, reading the files on first use through the file
     * systems {@code hadoop} configures.
     */
    public static TextSplit get(TextDataConfig data, Vocabulary vocabulary, Configuration hadoop) throws IOException {
        return LOADED.get(new Key(data, vocabulary), key -> TextSplit.encode(TextCorpus.read(key.data(), hadoop),
                key.vocabulary()));
    }
}
