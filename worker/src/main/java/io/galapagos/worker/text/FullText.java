package io.galapagos.worker.text;

import io.galapagos.config.TextDataConfig;
import io.galapagos.text.TextExample;
import io.galapagos.text.Vocabulary;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A text search's data without its validation split, for retraining the network it chose: the training split and
 * the validation split together (every example its trials trained on or were validated on), and the test split,
 * both encoded with the search's vocabulary (built from the training split alone, as the trials were). Immutable.
 *
 * @param trials the splits as the search's trials used them
 */
public record FullText(TokenDataset train, TextSplit trials) {

    /** Reads and cuts {@code config}'s files as the search did, and encodes them with {@code vocabulary}. */
    public static FullText load(TextDataConfig config, Vocabulary vocabulary, Configuration hadoop) throws IOException {
        TextCorpus corpus = TextCorpus.read(config, hadoop);
        List<TextExample> all = new ArrayList<>(corpus.train());
        all.addAll(corpus.validation());
        return new FullText(TokenDataset.encode(all, vocabulary, corpus.classes()),
                TextSplit.encode(corpus, vocabulary));
    }

    public TokenDataset test() {
        return trials.test();
    }

    public Vocabulary vocabulary() {
        return trials.vocabulary();
    }

    /** Class {@code i} is the label {@code classes().get(i)}, as the files write it. */
    public List<String> classes() {
        return trials.classes();
    }
}
