package io.galapagos.config;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Strict YAML: what Jackson alone would quietly misread is an error naming the line and key. */
class YamlTreesTest {

    private static JsonNode read(String text) {
        return YamlTrees.read("c.yaml", "", text);
    }

    private static void assertRefused(String text, String expectedMessage) {
        ConfigException e = assertThrows(ConfigException.class, () -> read(text));
        assertEquals(expectedMessage, e.getMessage());
    }

    @Test
    void readsMappingsListsAndScalars() {
        JsonNode tree = read("a: 1\nb: [x, 2.5, true, ~]\nc: {d: ''}\nempty:\n");
        assertEquals("{\"a\":1,\"b\":[\"x\",2.5,true,null],\"c\":{\"d\":\"\"},\"empty\":null}", tree.toString());
        assertNull(read(""));
        assertNull(read("# only a comment\n"));
        assertEquals(3, read("&anchor 3").asInt(), "an anchor nobody refers to is harmless");
    }

    /**
     * YAML 1.1 reads 010 as 8 and 2024_01_15 as 20240115: a scalar that would read otherwise than it looks is kept as
     * its text (the readers of numbers refuse it, {@code ConfigLoaderTest}); plain numbers stay numbers.
     */
    @Test
    void aNumberThatReadsOtherwiseThanItLooksIsKeptAsWritten() {
        assertEquals("{\"a\":\"010\",\"b\":\"0x10\",\"c\":\"0b11\",\"d\":\"1_000\",\"e\":\"2024_01_15\"}",
                read("a: 010\nb: 0x10\nc: 0b11\nd: 1_000\ne: 2024_01_15\n").toString());
        assertEquals("{\"a\":0,\"b\":0.5,\"c\":-3,\"d\":1.0E-4,\"e\":\"010\",\"f\":10}",
                read("a: 0\nb: 0.5\nc: -3\nd: 1e-4\ne: '010'\nf: 10\n").toString(), "plain numbers and quoted text");
    }

    @Test
    void aKeyGivenTwiceIsNamedWithItsLines() {
        assertRefused("trials: 3\nseed: 1\ntrials: 5\n", "c.yaml: trials: is given twice (lines 1 and 3); keep one");
        assertRefused("space:\n  filters: [16]\n  kind: macro\n  filters: [32]\n",
                "c.yaml: space.filters: is given twice (lines 2 and 4); keep one");
        assertRefused("s: [{a: 1, a: 2}]", "c.yaml: s[0].a: is given twice (lines 1 and 1); keep one");
        assertEquals("{\"a\":{\"x\":1},\"b\":{\"x\":2}}", read("a: {x: 1}\nb: {x: 2}\n").toString(),
                "the same key in two mappings is fine");
    }

    @Test
    void aliasesAreRefusedSoNothingExpands() {
        assertRefused("a: &x [1, 2]\nb: *x\n", "c.yaml: line 2, column 4: YAML aliases are not supported; "
                + "write the value out (in quotes, if it starts with '*')");
        StringBuilder laughs = new StringBuilder("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 30; i++) {
            laughs.append("l").append(i).append(": &l").append(i).append(" [")
                    .append(String.join(", ", java.util.Collections.nCopies(9, "*l" + (i - 1)))).append("]\n");
        }
        // 9^30 strings if expanded: no 10 s would do; a refusal takes milliseconds, a loaded machine's cold classes more
        ConfigException e = assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
                () -> assertThrows(ConfigException.class, () -> read(laughs.toString())));
        assertTrue(e.getMessage().contains("YAML aliases are not supported"), e.getMessage());
    }

    @Test
    void aSecondDocumentIsRefused() {
        assertRefused("trials: 3\n---\ntrials: 5\n", "c.yaml: line 3, column 1: a second YAML document (after ---); "
                + "a configuration is one document");
    }

    @Test
    void deepNestingIsRefusedNotOverflowed() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> read("a: " + "[".repeat(5_000) + "]".repeat(5_000)));
        assertTrue(e.getMessage().contains("nests deeper than 64 levels"), e.getMessage());
    }

    /** A syntax error names where the problem was found and what it is, then where the construct it broke began. */
    @Test
    void syntaxErrorsNameTheProblemAndItsLine() {
        ConfigException e = assertThrows(ConfigException.class, () -> read("name: x\nspace: [1, 2\n"));
        assertEquals("c.yaml: line 3, column 1: YAML syntax error: expected ',' or ']', but got <stream end> (while "
                + "parsing a flow sequence from line 2)", e.getMessage());
        assertEquals("", e.key());
        assertRefused("name: x\nspace:\n\tkind: macro\n", "c.yaml: line 3, column 1: YAML syntax error: found "
                + "character '\\t(TAB)' that cannot start any token. (Do not use \\t(TAB) for indentation) (while "
                + "scanning for the next token)");
        assertRefused("name: \"x\nseed: 1\n", "c.yaml: line 3, column 1: YAML syntax error: found unexpected end "
                + "of stream (while scanning a quoted scalar from line 1)");
    }

    @Test
    void aKeyIsAName() {
        for (String text : List.of("*k : 1\n", "{a: 1}: 2\n", "? [a]\n: 1\n")) {
            ConfigException e = assertThrows(ConfigException.class, () -> read(text), text);
            assertTrue(e.getMessage().endsWith("YAML syntax error: a key must be a name, not a list, mapping or alias"),
                    e.getMessage());
        }
    }

    @Test
    void theKeyPrefixNamesWhereAValueBelongs() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> YamlTrees.read("--set space={a: 1, a: 2}", "space", "{a: 1, a: 2}"));
        assertEquals("space.a", e.key());
    }
}
