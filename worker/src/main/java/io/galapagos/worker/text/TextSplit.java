package io.galapagos.worker.text;

import io.galapagos.text.Vocabulary;
import io.galapagos.worker.data.Splits;

import java.util.List;

/**
 * The three parts a text trial uses, encoded with one vocabulary: {@code train} to fit, {@code validation} to score
 * candidates, {@code test} to report only. Immutable.
 *
 * @param classes the labels as the files write them; class {@code i} is {@code classes.get(i)}
 */
public record TextSplit(TokenDataset train, TokenDataset validation, TokenDataset test, Vocabulary vocabulary,
                        List<String> classes) implements Splits {

    public TextSplit {
        classes = List.copyOf(classes);
        if (train.size() < 1 || validation.size() < 1 || test.size() < 1) {
            throw new IllegalArgumentException("no part may be empty: train " + train.size() + ", validation "
                    + validation.size() + ", test " + test.size() + " examples");
        }
    }

    /** The splits of {@code corpus}, encoded with {@code vocabulary}. */
    public static TextSplit encode(TextCorpus corpus, Vocabulary vocabulary) {
        return new TextSplit(TokenDataset.encode(corpus.train(), vocabulary, corpus.classes()),
                TokenDataset.encode(corpus.validation(), vocabulary, corpus.classes()),
                TokenDataset.encode(corpus.test(), vocabulary, corpus.classes()), vocabulary, corpus.classes());
    }
}
