package io.galapagos.driver.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.galapagos.config.TextDataConfig;
import io.galapagos.driver.results.RunOutput;
import io.galapagos.text.Vocabulary;
import io.galapagos.worker.text.TextCorpus;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The vocabulary of a text search, built on the driver once from the training split and kept in the output as
 * {@value #NAME}, so that a model can be applied to new text the way it was trained (the same tokens, case and
 * length), and so that a resumed search encodes its data exactly as before: a search whose output holds the file
 * uses it rather than building it again. Stateless.
 */
public final class VocabularyFile {

    public static final String NAME = RunOutput.VOCABULARY;

    private static final ObjectMapper JSON = new ObjectMapper();

    private VocabularyFile() {
    }

    /** The output's vocabulary, or, for a new search, the one built from {@code data}'s training split, written. */
    public static Vocabulary loadOrBuild(TextDataConfig data, RunOutput output, Configuration hadoop,
                                         PrintStream console) throws IOException {
        if (output.exists(NAME)) {
            return read(output);
        }
        TextCorpus corpus = TextCorpus.read(data, hadoop);
        Vocabulary vocabulary = Vocabulary.build(corpus.train(), data.vocabulary());
        output.write(NAME, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json(vocabulary, corpus)) + "\n");
        console.printf(Locale.ROOT, "Text: %,d training, %,d validation and %,d test examples of %d classes; a "
                        + "vocabulary of %,d tokens, texts cut to %d tokens (%s); written to %s%n", corpus.train().size(),
                corpus.validation().size(), corpus.test().size(), corpus.classes().size(), vocabulary.size(),
                vocabulary.maxLength(), data.vocabulary().maxLength() == 0 ? "auto: 99% of training texts fit"
                        : "max_length", NAME);
        return vocabulary;
    }

    /** The vocabulary the search of {@code output} used, from its {@value #NAME}. */
    public static Vocabulary read(RunOutput output) throws IOException {
        return read(JSON.readTree(output.readText(NAME)));
    }

    static ObjectNode json(Vocabulary vocabulary, TextCorpus corpus) {
        ObjectNode root = JSON.createObjectNode();
        root.put("lower_case", vocabulary.lowerCase());
        root.put("max_length", vocabulary.maxLength());
        ArrayNode classes = root.putArray("classes");
        corpus.classes().forEach(classes::add);
        root.put("train_examples", corpus.train().size());
        root.put("validation_examples", corpus.validation().size());
        root.put("test_examples", corpus.test().size());
        ArrayNode tokens = root.putArray("tokens");
        vocabulary.tokens().forEach(tokens::add);
        return root;
    }

    static Vocabulary read(JsonNode root) {
        List<String> tokens = new ArrayList<>();
        root.path("tokens").forEach(t -> tokens.add(t.asText()));
        return new Vocabulary(tokens, root.path("lower_case").asBoolean(), root.path("max_length").asInt());
    }
}
