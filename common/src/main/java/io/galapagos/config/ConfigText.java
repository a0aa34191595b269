package io.galapagos.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The text of a configuration file: UTF-8, and at most {@value #MAX_BYTES} bytes, read without holding more than that
 * (so that a wrong argument such as {@code /dev/zero} or a multi-gigabyte log is refused, not read into memory).
 * Problems are {@link ConfigException}s naming the file. Thread-safe (stateless).
 */
final class ConfigText {

    /** 1 MiB: a configuration is a few hundred bytes. */
    static final int MAX_BYTES = 1 << 20;

    private ConfigText() {
    }

    static String read(Path file) {
        String source = file.toString();
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new ConfigException(source, "", "no such file");
        } catch (IOException e) {
            throw new ConfigException(source, "", "cannot be read: " + e.getMessage());
        }
        if (bytes.length > MAX_BYTES) {
            throw new ConfigException(source, "", "is larger than " + MAX_BYTES / (1 << 20)
                    + " MiB, which no configuration is; is it the right file?");
        }
        return decode(source, bytes);
    }

    /** The UTF-8 text of {@code bytes}; a malformed byte is an error naming its line, not a replacement character. */
    private static String decode(String source, byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int line = 1;
            for (int i = 0; i < in.position(); i++) {
                line += bytes[i] == '\n' ? 1 : 0;
            }
            throw new ConfigException(source, "", "line " + line + ": byte " + in.position()
                    + " is not UTF-8; save the file as UTF-8 text");
        }
        decoder.flush(out);
        return out.flip().toString();
    }
}
