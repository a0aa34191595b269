package io.galapagos.driver.export;

import io.galapagos.driver.results.OutputException;
import io.galapagos.text.LabelledLines;
import io.galapagos.text.TextExample;
import io.galapagos.text.TextFormatException;
import io.galapagos.worker.HadoopFileSystems;
import io.galapagos.worker.text.TokenDataset;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.util.List;

/**
 * A file of texts for a text model to classify, in the encoding of the search's data: one text per line, or, when the
 * user says so, the labelled form of the data files (each line a label of the model's classes, a space or tab and a
 * text), whose labels then score the predictions. Which form is the user's word, not a guess from the lines: a text
 * such as "1 of the best films" starts like a labelled line of a model whose classes are 0 and 1. Encoded with the
 * model's vocabulary. Immutable.
 *
 * @param examples      the texts as the model reads them (every label 0 when the file has none)
 * @param labelled      whether the file gave each text its label
 * @param looksLabelled every line starts with one of the model's classes, a space or tab and a text (always so when
 *                      {@code labelled}; without it, the user may have meant the file labelled)
 */
public record TextsToPredict(TokenDataset examples, boolean labelled, boolean looksLabelled) {

    /**
     * @param labelled whether every line is {@code <label> <text>}
     * @throws OutputException the file cannot be read, is empty, holds an empty line or a line that is not valid in
     *                         the vocabulary's encoding, or, labelled, a line without a label and a text or with a
     *                         label the model does not know (the message names the file and the line)
     */
    static TextsToPredict read(String location, ExportedVocabulary vocabulary, Configuration hadoop,
                               boolean labelled) {
        byte[] bytes;
        try {
            Path path = new Path(location);
            try (InputStream in = HadoopFileSystems.of(path, hadoop).open(path)) {
                bytes = in.readAllBytes();
            }
        } catch (IOException | IllegalArgumentException e) {
            throw OutputException.input(location, "cannot be read: " + e.getMessage());
        }
        try {
            Charset encoding = Charset.forName(vocabulary.encoding());
            List<String> lines = LabelledLines.lines(bytes, encoding, location);
            if (lines.isEmpty()) {
                throw OutputException.input(location, "holds no text (the file is empty)");
            }
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) {
                    throw OutputException.input(location, "line " + (i + 1) + " is empty: every line is a text to "
                            + "classify");
                }
            }
            if (labelled) {
                List<TextExample> examples = LabelledLines.parse(bytes, encoding, location);
                for (int i = 0; i < examples.size(); i++) {
                    if (!vocabulary.classes().contains(examples.get(i).label())) {
                        throw OutputException.input(location, "line " + (i + 1) + "'s label '" + examples.get(i).label()
                                + "' is not one of the model's classes " + vocabulary.classes());
                    }
                }
                return new TextsToPredict(TokenDataset.encode(examples, vocabulary.vocabulary(), vocabulary.classes()),
                        true, true);
            }
            return new TextsToPredict(TokenDataset.unlabelled(lines, vocabulary.vocabulary(),
                    vocabulary.classes().size()), false,
                    lines.stream().allMatch(line -> startsWithAClass(line, vocabulary.classes())));
        } catch (TextFormatException e) {
            // its message starts with the file's name, which OutputException puts first too
            String problem = e.getMessage();
            throw OutputException.input(location, problem.startsWith(location + ": ")
                    ? problem.substring(location.length() + 2) : problem);
        }
    }

    /** Whether {@code line} is a label of {@code classes}, a space or tab, and a text. */
    private static boolean startsWithAClass(String line, List<String> classes) {
        int space = 0;
        while (space < line.length() && line.charAt(space) != ' ' && line.charAt(space) != '\t') {
            space++;
        }
        return space < line.length() && classes.contains(line.substring(0, space))
                && !line.substring(space + 1).isBlank();
    }
}
