package io.galapagos.driver.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.galapagos.text.Tokenizer;
import io.galapagos.text.Vocabulary;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@value #NAME} of an exported text model: the search's vocabulary (built from its training split alone) in a form
 * anyone can apply without Galapagos: the tokenisation rule in words, lower-casing, the map from token to id, the
 * padding and unknown ids, the length texts are cut and padded to, the files' encoding and the class each output
 * stands for. Immutable.
 *
 * @param classes  output {@code i} is the probability of the label {@code classes.get(i)}, as the data files write it
 * @param encoding the character encoding of the search's data files
 */
public record ExportedVocabulary(Vocabulary vocabulary, List<String> classes, String encoding) {

    public static final String NAME = "vocabulary.json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOW = "A text becomes the model's input so: tokenise it as 'tokenisation' says; map "
            + "each token to ids[token], or to unknown_id when ids lacks it; keep the first max_length ids. The model "
            + "reads features of shape [n, 1, max_length], the ids as floats after each other and padding_id after "
            + "them, with a features mask of shape [n, max_length]: 1 at each token, 0 at each padding position "
            + "(ComputationGraph.output(false, new INDArray[]{features}, new INDArray[]{mask})). Its output [n, "
            + "classes] holds each class's probability, in the order of 'classes'.";

    public ExportedVocabulary {
        classes = List.copyOf(classes);
    }

    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("how", HOW);
        root.put("tokenisation", Tokenizer.RULE);
        root.put("lower_case", vocabulary.lowerCase());
        root.put("max_length", vocabulary.maxLength());
        root.put("padding_id", Vocabulary.PAD);
        root.put("unknown_id", Vocabulary.UNKNOWN);
        root.put("encoding", encoding);
        classes.forEach(root.putArray("classes")::add);
        root.put("size", vocabulary.size());
        ObjectNode ids = root.putObject("ids");
        List<String> tokens = vocabulary.tokens();
        for (int id = 0; id < tokens.size(); id++) {
            ids.put(tokens.get(id), id);
        }
        return root;
    }

    /**
     * @throws IllegalArgumentException when {@code root} is not such a file (ids that are not 0, 1, 2, ... in
     *                                  some order, no classes, no length)
     */
    public static ExportedVocabulary fromJson(JsonNode root) {
        JsonNode ids = root.path("ids");
        String[] tokens = new String[ids.size()];
        for (Iterator<Map.Entry<String, JsonNode>> it = ids.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            int id = entry.getValue().asInt(-1);
            if (!entry.getValue().isInt() || id < 0 || id >= tokens.length || tokens[id] != null) {
                throw new IllegalArgumentException("the ids are not 0 to " + (tokens.length - 1) + ", each once: '"
                        + entry.getKey() + "' has " + entry.getValue());
            }
            tokens[id] = entry.getKey();
        }
        List<String> classes = new ArrayList<>();
        root.path("classes").forEach(c -> classes.add(c.asText()));
        if (classes.size() < 2 || !root.path("max_length").isInt()) {
            throw new IllegalArgumentException("it names no classes or no max_length");
        }
        String encoding = root.path("encoding").asText("UTF-8");
        if (!Charset.isSupported(encoding)) {
            throw new IllegalArgumentException("this JVM does not know its encoding " + encoding);
        }
        return new ExportedVocabulary(new Vocabulary(List.of(tokens), root.path("lower_case").asBoolean(),
                root.path("max_length").asInt()), classes, encoding);
    }
}
