package io.galapagos.config;

import io.galapagos.space.InvalidValueException;
import io.galapagos.text.VocabularyRules;

import java.io.Serializable;
import java.nio.charset.Charset;
import java.util.Arrays;

/**
 * Where labelled text lives and how it becomes token ids: line files in the {@code label-space-text} form, one per
 * split, on any Hadoop FileSystem URI or local path. A data set shipped without a validation or a test file has that
 * split cut from the training file, class by class, with {@code seed}: the test split first, then the validation
 * split from what remains.
 *
 * @param train              the training file
 * @param validation         the validation file, or {@code null} to cut {@code validationFraction} from training
 * @param test               the test file, or {@code null} to cut {@code testFraction} from training
 * @param encoding           the files' character encoding (a {@link Charset} name: UTF-8, ISO-8859-1, ...)
 * @param validationFraction the share of the training file held out for validation when there is no validation file
 * @param testFraction       the share of the training file held out for testing when there is no test file
 * @param vocabulary         how tokens and lengths are chosen from the training split
 * @param seed               the seed of the cuts (the study's)
 */
public record TextDataConfig(String train, String validation, String test, String encoding, double validationFraction,
                             double testFraction, VocabularyRules vocabulary, long seed) implements Serializable {

    /** The one {@code format} a text data section has. */
    public static final String FORMAT = "label-space-text";

    public TextDataConfig {
        if (train == null || encoding == null || vocabulary == null) {
            throw new IllegalArgumentException("train, encoding and vocabulary are required");
        }
        if (!supported(encoding)) {
            throw new InvalidValueException("encoding", encoding, "is not an encoding this JVM knows (UTF-8, "
                    + "ISO-8859-1, windows-1252, ...)");
        }
        if (!Charset.forName(encoding).canEncode()) {
            // a detecting decoder (x-JISAutoDetect, ISO-2022-CN): which bytes end a line is not known before decoding
            throw new InvalidValueException("encoding", encoding, "is an encoding Java only decodes; name the files' "
                    + "own encoding (UTF-8, ISO-8859-1, windows-1252, ...)");
        }
        if (!Arrays.equals("a\n".getBytes(Charset.forName(encoding)), new byte[]{'a', '\n'})) {
            // the files are split into lines at the byte \n before they are decoded
            throw new InvalidValueException("encoding", encoding, "writes 'a' and a line end in other bytes than ASCII "
                    + "does; the text files must be in an ASCII-compatible encoding (UTF-8, ISO-8859-1, windows-1252, ...)");
        }
        if (validation == null && !(validationFraction > 0 && validationFraction <= 0.5)) {
            throw new InvalidValueException("validation_fraction", validationFraction, "must be in (0, 0.5]");
        }
        if (test == null && !(testFraction > 0 && testFraction <= 0.5)) {
            throw new InvalidValueException("test_fraction", testFraction, "must be in (0, 0.5]");
        }
    }

    private static boolean supported(String encoding) {
        try {
            return Charset.isSupported(encoding);
        } catch (IllegalArgumentException illegalName) {
            return false;
        }
    }

    public Charset charset() {
        return Charset.forName(encoding);
    }
}
