package io.galapagos.text;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the {@code label-space-text} form: one example per line, the label, one space or tab, the text. Strict:
 * every line must decode in the file's encoding (a file in another encoding fails on its first bad line rather
 * than training on mojibake) and carry a label and a text; a file without examples fails. Lines end with
 * {@code \n} or {@code \r\n}; a UTF-8 byte-order mark is skipped. Stateless.
 */
public final class LabelledLines {

    /** How much of a bad line a message quotes. */
    private static final int QUOTED = 60;

    private LabelledLines() {
    }

    /**
     * The examples of {@code bytes}, a whole file.
     *
     * @param name how messages name the file (its path)
     * @throws TextFormatException naming {@code name}, the line and what is wrong with it
     */
    public static List<TextExample> parse(byte[] bytes, Charset encoding, String name) {
        List<String> lines = lines(bytes, encoding, name);
        List<TextExample> examples = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            examples.add(example(lines.get(i), name, i + 1));
        }
        if (examples.isEmpty()) {
            throw new TextFormatException(name + ": holds no examples (the file is empty)");
        }
        return examples;
    }

    /**
     * The lines of {@code bytes}, a whole file, decoded as strictly as {@link #parse} decodes them, without checking
     * their form (texts without labels, to predict).
     *
     * @param name how messages name the file (its path)
     * @throws TextFormatException naming {@code name} and the line that is not valid in {@code encoding}
     */
    public static List<String> lines(byte[] bytes, Charset encoding, String name) {
        List<String> lines = new ArrayList<>();
        int start = startOfText(bytes, encoding);
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            int stop = end > start && bytes[end - 1] == '\r' ? end - 1 : end;
            lines.add(decode(bytes, start, stop, encoding, name, lines.size() + 1));
            start = end + 1;
        }
        return lines;
    }

    private static int startOfText(byte[] bytes, Charset encoding) {
        boolean bom = encoding.equals(StandardCharsets.UTF_8) && bytes.length >= 3
                && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF;
        return bom ? 3 : 0;
    }

    private static String decode(byte[] bytes, int from, int to, Charset encoding, String name, int line) {
        try {
            return encoding.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, from, to - from)).toString();
        } catch (CharacterCodingException e) {
            int at = firstNonAscii(bytes, from, to);
            throw new TextFormatException(name + ": line " + line + " is not valid " + encoding.name()
                    + (at < 0 ? "" : String.format(java.util.Locale.ROOT, " (byte 0x%02X at column %d)",
                    bytes[at] & 0xFF, at - from + 1)) + "; is the data set's encoding set right?");
        }
    }

    private static int firstNonAscii(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] < 0) {
                return i;
            }
        }
        return -1;
    }

    private static TextExample example(String line, String name, int lineNumber) {
        if (line.isBlank()) {
            throw new TextFormatException(name + ": line " + lineNumber + " is empty: every line is an example, "
                    + "'<label> <text>'");
        }
        int space = 0;
        while (space < line.length() && line.charAt(space) != ' ' && line.charAt(space) != '\t') {
            space++;
        }
        String text = space < line.length() ? line.substring(space + 1).strip() : "";
        if (space == 0 || text.isEmpty()) {
            throw new TextFormatException(name + ": line " + lineNumber + " '" + quote(line) + "' is not '<label> "
                    + "<text>': " + (space == 0 ? "it starts with a space, so it has no label" : "it has no text after "
                    + "its label"));
        }
        return new TextExample(line.substring(0, space), text);
    }

    private static String quote(String line) {
        String shown = line.length() > QUOTED ? line.substring(0, QUOTED) + "..." : line;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
