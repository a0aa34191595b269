package io.galapagos.driver.results;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CsvFieldTest {

    /** A field with a comma, a quote or a line break is quoted, its quotes doubled; a plain one is left as it is. */
    @Test
    void quotesWhatWouldBreakARecord() {
        assertEquals("ABBR", CsvField.of("ABBR"));
        assertEquals("\"a,b\"", CsvField.of("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", CsvField.of("say \"hi\""));
        assertEquals("\"two lines \"", CsvField.of("two\nlines\r"));
    }
}
