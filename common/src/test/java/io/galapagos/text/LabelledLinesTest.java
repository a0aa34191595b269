package io.galapagos.text;

import org.junit.jupiter.api.Test;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabelledLinesTest {

    private static final Path TREC = Path.of("..", "data", "text", "trec", "TREC.train.all");

    private static List<TextExample> parse(String content, Charset encoding) {
        return LabelledLines.parse(content.getBytes(encoding), encoding, "f.txt");
    }

    private static String failure(byte[] bytes, Charset encoding) {
        return assertThrows(TextFormatException.class, () -> LabelledLines.parse(bytes, encoding, "f.txt"))
                .getMessage();
    }

    @Test
    void readsLabelAndTextPerLineWithEitherLineEndAndWithoutAByteOrderMark() {
        List<TextExample> examples = parse("\uFEFF1 a stirring , funny film\r\n0\tdull .\n2 last line", StandardCharsets.UTF_8);
        assertEquals(List.of(new TextExample("1", "a stirring , funny film"), new TextExample("0", "dull ."),
                new TextExample("2", "last line")), examples);
    }

    @Test
    void readsTrecsTrainingFileAsIsoLatin1WithItsSingleNonAsciiByte() throws Exception {
        List<TextExample> examples = LabelledLines.parse(Files.readAllBytes(TREC), StandardCharsets.ISO_8859_1,
                TREC.toString());
        assertEquals(5452, examples.size());
        Map<String, Integer> counts = new TreeMap<>();
        examples.forEach(e -> counts.merge(e.label(), 1, Integer::sum));
        assertEquals(Map.of("0", 1162, "1", 1250, "2", 86, "3", 1223, "4", 835, "5", 896), counts,
                "TREC-6's coarse counts (the data's README)");
        assertEquals("Which city has the oldest relationship as a sister\u00F0city with Los Angeles ?",
                examples.get(65).text());
    }

    @Test
    void aFileInAnotherEncodingFailsOnItsFirstBadLineNamingTheByte() throws Exception {
        String message = failure(Files.readAllBytes(TREC), StandardCharsets.UTF_8);
        assertEquals("f.txt: line 66 is not valid UTF-8 (byte 0xF0 at column 53); is the data set's encoding set "
                + "right?", message);
    }

    @Test
    void badLinesAndEmptyFilesAreOneLineNamingTheFileAndLine() {
        assertEquals("f.txt: holds no examples (the file is empty)", failure(new byte[0], StandardCharsets.UTF_8));
        assertEquals("f.txt: line 2 'positive' is not '<label> <text>': it has no text after its label",
                failure("1 good\npositive\n".getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
        assertEquals("f.txt: line 1 ' no label here' is not '<label> <text>': it starts with a space, so it has no "
                + "label", failure(" no label here".getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
        assertEquals("f.txt: line 2 is empty: every line is an example, '<label> <text>'",
                failure("1 good\n\n0 bad\n".getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
        String longLine = "x".repeat(200);
        assertTrue(failure(longLine.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)
                .contains("'" + "x".repeat(60) + "...'"), "a long line is quoted in part");
    }
}
