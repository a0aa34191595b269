package io.galapagos.benchmark;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchmarkTableTest {

    private static BenchmarkTable table(String csv) throws IOException {
        return BenchmarkTable.read(new StringReader(csv), "t.csv");
    }

    @Test
    void readsAnyNumericColumns() throws IOException {
        BenchmarkTable t = table("arch,acc,cost\na,0.5,3\nb,0.75,1e2\n");
        assertEquals(2, t.size());
        assertEquals(java.util.List.of("acc", "cost"), t.columns());
        assertEquals(1, t.row("b").getAsInt());
        assertTrue(t.row("c").isEmpty());
        assertEquals(100, t.value(1, "cost"));
        assertEquals(0.75, t.metrics(1).require("acc"));
    }

    @Test
    void aByteOrderMarkBeforeTheHeaderIsSkipped() throws IOException {
        BenchmarkTable t = table("\uFEFFarch,acc\na,0.5\n");
        assertEquals(java.util.List.of("acc"), t.columns());
        assertEquals(0.5, t.value(0, "acc"));
    }

    @Test
    void anEmptyCellIsAMissingValueThatFirstGapFinds() throws IOException {
        BenchmarkTable t = table("arch,acc,lat\na,0.5,3\nb,0.75,\nc,0.25,NaN\n");
        assertTrue(Double.isNaN(t.value(1, "lat")));
        assertEquals(1, t.firstGap("lat").getAsInt());
        assertTrue(t.firstGap("acc").isEmpty());
        assertEquals(2, table("arch,acc\na,1\nb,2\nc,Infinity\n").firstGap("acc").getAsInt());
        BenchmarkTable spaced = table("arch,acc\n\na,1\nb,\n");
        assertEquals(4, spaced.line(spaced.firstGap("acc").getAsInt()), "blank lines are skipped, not forgotten");
    }

    @Test
    void badTablesAreRejectedNamingLineAndColumn() {
        assertMessage("t.csv: no 'arch' column in the header name,acc", "name,acc\na,1\n");
        assertMessage("t.csv: line 3, column 'acc': 'high' is not a number", "arch,acc\na,1\nb,high\n");
        assertMessage("t.csv: line 2 has 3 fields, the header has 2", "arch,acc\na,1,2\n");
        assertMessage("t.csv: architecture 'a' appears twice (lines 2 and 3)", "arch,acc\na,1\na,2\n");
        assertMessage("t.csv: the table has no rows", "arch,acc\n");
        assertMessage("t.csv: empty table, expected a header row", "");
    }

    @Test
    void unknownColumnIsNamedWithTheColumnsThereAre() throws IOException {
        BenchmarkTable t = table("arch,acc\na,1\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.column("val_acc_12ep"));
        assertEquals("t.csv: no column 'val_acc_12ep'; it has [acc]", e.getMessage());
    }

    private static void assertMessage(String expected, String csv) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> table(csv));
        assertEquals(expected, e.getMessage());
    }

    @Test
    void theShippedNb201TableHasEveryCellAndItsOptimum() throws IOException {
        try (Reader in = Files.newBufferedReader(Path.of("..", "benchmarks", "nb201", "cifar10.csv"))) {
            BenchmarkTable nb201 = BenchmarkTable.read(in, "cifar10.csv");
            assertEquals(15_625, nb201.size());
            for (String column : nb201.columns()) {
                assertTrue(nb201.firstGap(column).isEmpty(), "a gap in " + column);
            }
            double[] test = nb201.column("test_acc_200ep");
            double best = java.util.Arrays.stream(test).max().orElseThrow();
            assertEquals(94.37, best, 0.005);
            io.galapagos.space.CellSearchSpace space = io.galapagos.space.CellSearchSpace.nb201();
            for (int r = 0; r < nb201.size(); r += 97) {
                assertEquals(nb201.architecture(r), space.parse(nb201.architecture(r)).text());
            }
        }
    }
}
