package io.galapagos.space;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CellSearchSpaceTest {

    private static final CellSearchSpace NB201 = CellSearchSpace.nb201();

    @Test
    void readsAndWritesNb201sOwnTextForm() {
        String text = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|";
        CellArchitecture cell = NB201.parse(text);
        assertEquals(text, cell.text());
        assertEquals(List.of(CellOperation.NOR_CONV_3X3, CellOperation.NOR_CONV_3X3, CellOperation.NOR_CONV_3X3,
                CellOperation.SKIP_CONNECT, CellOperation.NOR_CONV_3X3, CellOperation.NOR_CONV_1X1), cell.edges());
        assertEquals(cell, Architecture.parse(text));
    }

    @Test
    void roundTripsRandomCells() {
        Random rng = new Random(2);
        for (int i = 0; i < 2000; i++) {
            CellArchitecture cell = NB201.sample(rng);
            assertEquals(cell, CellArchitecture.parse(cell.text()));
        }
    }

    @Test
    void theEffectiveCellDropsEdgesOutOfZeroNodesAndIntoNodesTheOutputIgnores() {
        // nodes 1 and 2 are zero (only none into node 1; node 2 pools node 1), so only node 3's convolution counts
        assertEquals("|none~0|+|none~0|none~1|+|nor_conv_3x3~0|none~1|none~2|", CellArchitecture.parse(
                "|none~0|+|none~0|avg_pool_3x3~1|+|nor_conv_3x3~0|avg_pool_3x3~1|skip_connect~2|").effective().text());
        // nodes 1 and 2 compute something no later node reads
        assertEquals("|none~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|", CellArchitecture.parse(
                "|nor_conv_3x3~0|+|nor_conv_1x1~0|nor_conv_3x3~1|+|skip_connect~0|none~1|none~2|").effective().text());
        // a zero output node: nothing counts
        assertEquals("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|", CellArchitecture.parse(
                "|none~0|+|nor_conv_3x3~0|skip_connect~1|+|none~0|avg_pool_3x3~1|none~2|").effective().text());
        String full = "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|";
        assertEquals(full, CellArchitecture.parse(full).effective().text());
    }

    @Test
    void theEffectiveCellIsItsOwnEffectiveCellAndKeepsEveryEdgeOnAPathFromInputToOutput() {
        Random rng = new Random(4);
        for (int i = 0; i < 2000; i++) {
            CellArchitecture cell = NB201.sample(rng);
            CellArchitecture live = cell.effective();
            assertEquals(live, live.effective(), cell.text());
            for (int to = 1; to < CellArchitecture.NODES; to++) {
                for (int from = 0; from < to; from++) {
                    CellOperation kept = live.operation(from, to);
                    assertTrue(kept == CellOperation.NONE || kept == cell.operation(from, to), cell.text());
                    if (kept != CellOperation.NONE) {
                        assertTrue(reaches(live, 0, from) && reaches(live, to, CellArchitecture.NODES - 1),
                                "edge " + from + "->" + to + " of " + cell.text() + " lies on no input-output path");
                    }
                }
            }
        }
    }

    /** Whether {@code cell} has a path of edges other than none from node {@code from} to node {@code to}. */
    private static boolean reaches(CellArchitecture cell, int from, int to) {
        if (from == to) {
            return true;
        }
        for (int next = from + 1; next <= to; next++) {
            if (cell.operation(from, next) != CellOperation.NONE && reaches(cell, next, to)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void rejectsMalformedCellsNamingThePart() {
        assertMessage("unknown cell operation 'conv'", "|conv~0|+|none~0|none~1|+|none~0|none~1|none~2|");
        assertMessage("should read op~1", "|none~0|+|none~0|none~0|+|none~0|none~1|none~2|");
        assertMessage("3 nodes joined by '+'", "|none~0|+|none~0|none~1|");
        assertMessage("node 2", "|none~0|+|none~0|+|none~0|none~1|none~2|");
        assertMessage("node 2 of '|none~0|+|+|none~0|none~1|none~2|' needs 2 inputs", "|none~0|+|+|none~0|none~1|none~2|");
        assertMessage("node 2", "|none~0|++|none~0|none~1|none~2|");
    }

    private static void assertMessage(String expected, String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CellArchitecture.parse(text));
        assertTrue(e.getMessage().contains(expected), () -> e.getMessage() + " should contain " + expected);
    }

    @Test
    void sizeIsFiveToTheSix() {
        assertEquals(BigInteger.valueOf(15_625), NB201.size());
        Set<String> seen = new HashSet<>();
        Random rng = new Random(1);
        for (int i = 0; i < 400_000; i++) {
            seen.add(NB201.sample(rng).text());
        }
        assertEquals(15_625, seen.size());
    }

    @Test
    void mutationChangesExactlyOneEdgeAndNeighboursAreAllOfThem() {
        Random rng = new Random(4);
        CellArchitecture parent = NB201.sample(rng);
        for (int i = 0; i < 500; i++) {
            CellArchitecture child = NB201.mutate(parent, rng);
            assertEquals(1, differingEdges(parent, child), child.text());
        }
        List<Architecture> neighbours = NB201.neighbours(parent, rng, 100);
        assertEquals(24, neighbours.size());
        assertEquals(24, new HashSet<>(neighbours).size());
        neighbours.forEach(n -> assertEquals(1, differingEdges(parent, (CellArchitecture) n)));
        assertEquals(5, NB201.neighbours(parent, rng, 5).size());
    }

    private static int differingEdges(CellArchitecture a, CellArchitecture b) {
        int n = 0;
        for (int e = 0; e < CellArchitecture.EDGES; e++) {
            n += a.edges().get(e) == b.edges().get(e) ? 0 : 1;
        }
        return n;
    }

    @Test
    void encodingIsOneHotPerEdge() {
        CellArchitecture cell = NB201.parse("|none~0|+|skip_connect~0|nor_conv_1x1~1|+|nor_conv_3x3~0|avg_pool_3x3~1|none~2|");
        double[] expected = new double[30];
        int[] ops = {0, 1, 2, 3, 4, 0};
        for (int e = 0; e < 6; e++) {
            expected[e * 5 + ops[e]] = 1;
        }
        assertArrayEquals(expected, NB201.encode(cell));
        assertEquals(30, NB201.encodingLength());
    }

    @Test
    void smallerOperationSetsAreSpacesToo() {
        CellSearchSpace convs = new CellSearchSpace(List.of(CellOperation.NOR_CONV_1X1, CellOperation.NOR_CONV_3X3));
        assertEquals(BigInteger.valueOf(64), convs.size());
        List<String> problems = convs.violations(NB201.parse("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|"));
        assertEquals(6, problems.size());
        assertEquals("edge 0: none is not one of the space's operations", problems.get(0));
        InvalidValueException none = assertThrows(InvalidValueException.class, () -> new CellSearchSpace(List.of()));
        assertTrue(none.getMessage().contains("must list at least two operations"), none.getMessage());
    }
}
