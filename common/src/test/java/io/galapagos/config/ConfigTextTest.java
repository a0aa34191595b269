package io.galapagos.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A configuration file is UTF-8 text of at most 1 MiB; anything else is refused in one line. */
class ConfigTextTest {

    @TempDir
    Path dir;

    @Test
    void readsUtf8() throws IOException {
        Path file = Files.writeString(dir.resolve("c.yaml"), "name: ü\n");
        assertEquals("name: ü\n", ConfigText.read(file));
    }

    @Test
    void aFileThatIsNotUtf8NamesTheLine() throws IOException {
        Path file = Files.write(dir.resolve("c.yaml"), new byte[]{'a', ':', ' ', '1', '\n', 'b', ':', ' ', (byte) 0xFF});
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigText.read(file));
        assertEquals(file + ": line 2: byte 8 is not UTF-8; save the file as UTF-8 text", e.getMessage());
    }

    @Test
    void aFileLargerThanAnyConfigurationIsRefusedUnread() throws IOException {
        Path file = Files.write(dir.resolve("big.yaml"), new byte[ConfigText.MAX_BYTES + 1]);
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigText.read(file));
        assertEquals(file + ": is larger than 1 MiB, which no configuration is; is it the right file?", e.getMessage());
        Path justSmallEnough = Files.write(dir.resolve("ok.yaml"), new byte[ConfigText.MAX_BYTES]);
        assertEquals(ConfigText.MAX_BYTES, ConfigText.read(justSmallEnough).length());
    }

    @Test
    void aFolderIsNotAFile() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigText.read(dir));
        assertTrue(e.getMessage().startsWith(dir + ": cannot be read: "), e.getMessage());
    }
}
