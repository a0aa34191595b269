package io.galapagos.driver.job;

import io.galapagos.config.ConfigException;
import io.galapagos.config.TextDataConfig;
import io.galapagos.driver.results.RunOutput;
import io.galapagos.text.Vocabulary;
import io.galapagos.text.VocabularyRules;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad text data is one line naming the key, the file and the line, before anything starts. */
class TextFilesTest {

    private static final Path TREC = Path.of("..", "data", "text", "trec").toAbsolutePath().normalize();
    private static final VocabularyRules RULES = new VocabularyRules(true, 1, 20_000, VocabularyRules.AUTO_LENGTH);

    @TempDir
    Path dir;

    private Path file(String name, byte[] content) throws Exception {
        return Files.write(dir.resolve(name), content);
    }

    private static TextDataConfig data(Path train, Path test, String encoding) {
        return new TextDataConfig(train.toString(), null, test == null ? null : test.toString(), encoding, 0.1, 0.1,
                RULES, 1);
    }

    private static String failure(TextDataConfig data) {
        ConfigException e = assertThrows(ConfigException.class, () -> TextFiles.check("c.yaml", data,
                new Configuration()));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void theShippedTrecFilesPass() {
        TextFiles.check("c.yaml", data(TREC.resolve("TREC.train.all"), TREC.resolve("TREC.test.all"), "ISO-8859-1"),
                new Configuration());
    }

    @Test
    void eachBadInputNamesTheKeyTheFileAndTheLine() throws Exception {
        Path train = file("train.txt", "1 good\n0 bad\n1 fine\n0 poor\n".getBytes(StandardCharsets.UTF_8));
        Path noLabel = file("nolabel.txt", "1 good\n0 bad\npositive\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("c.yaml: data.train: " + noLabel + ": line 3 'positive' is not '<label> <text>': it has no text "
                + "after its label", failure(data(noLabel, null, "UTF-8")));
        Path otherLabel = file("test.txt", "1 ok\n7 odd\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("c.yaml: data.test: " + otherLabel + ": line 2: label '7' is not one of the training file's "
                + "classes [0, 1]", failure(data(train, otherLabel, "UTF-8")));
        Path empty = file("empty.txt", new byte[0]);
        assertEquals("c.yaml: data.test: " + empty + ": holds no examples (the file is empty)",
                failure(data(train, empty, "UTF-8")));
        assertTrue(failure(data(TREC.resolve("TREC.train.all"), TREC.resolve("TREC.test.all"), "UTF-8"))
                .endsWith("TREC.train.all: line 66 is not valid UTF-8 (byte 0xF0 at column 53); is the data set's "
                        + "encoding set right?"));
        assertEquals("c.yaml: data.test: '" + dir.resolve("missing.txt") + "' does not exist",
                failure(data(train, dir.resolve("missing.txt"), "UTF-8")));
        TextDataConfig rare = new TextDataConfig(train.toString(), null, otherLabel.toString(), "UTF-8", 0.5, 0.1,
                new VocabularyRules(true, 100, 20_000, VocabularyRules.AUTO_LENGTH), 1);
        Files.writeString(otherLabel, "1 ok\n0 no\n");
        assertEquals("c.yaml: data.min_count: 100 leaves no token of " + train + " in the vocabulary (none occurs that "
                + "often in the training split)", failure(rare));
        TextDataConfig trainedOn = new TextDataConfig(train.toString(), "file:" + train, otherLabel.toString(),
                "UTF-8", 0.1, 0.1, RULES, 1);
        assertEquals("c.yaml: data.validation: 'file:" + train + "' is data.train's file too: the splits must be apart, "
                + "or the search chooses or tests its networks on examples they trained or were chosen on; name another "
                + "file, or none to cut this split from data.train", failure(trainedOn));
        TextDataConfig chosenOn = new TextDataConfig(train.toString(), otherLabel.toString(), otherLabel.toString(),
                "UTF-8", 0.1, 0.1, RULES, 1);
        assertTrue(failure(chosenOn).startsWith("c.yaml: data.test: '" + otherLabel + "' is data.validation's file too"),
                failure(chosenOn));
    }

    @Test
    void theVocabularyIsBuiltOnceAndReadBackFromTheOutput() throws Exception {
        TextDataConfig data = data(TREC.resolve("TREC.train.all"), TREC.resolve("TREC.test.all"), "ISO-8859-1");
        RunOutput output = RunOutput.create(dir.resolve("out").toString(), new Configuration());
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Vocabulary built = VocabularyFile.loadOrBuild(data, output, new Configuration(), new PrintStream(console));
        assertTrue(output.exists(VocabularyFile.NAME));
        assertTrue(console.toString().contains("of 6 classes; a vocabulary of " + String.format("%,d", built.size())),
                console.toString());
        output.write("marker", "x");
        Vocabulary again = VocabularyFile.loadOrBuild(data(TREC.resolve("TREC.test.all"), null, "ISO-8859-1"), output,
                new Configuration(), new PrintStream(new ByteArrayOutputStream()));
        assertEquals(built, again, "a resumed search uses the recorded vocabulary, whatever the files now hold");
    }
}
