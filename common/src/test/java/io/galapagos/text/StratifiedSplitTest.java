package io.galapagos.text;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StratifiedSplitTest {

    private static List<TextExample> examples() {
        List<TextExample> all = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            all.add(new TextExample(i % 10 == 0 ? "rare" : i % 2 == 0 ? "a" : "b", "text " + i));
        }
        return all;
    }

    private static long count(List<TextExample> examples, String label) {
        return examples.stream().filter(e -> e.label().equals(label)).count();
    }

    @Test
    void holdsOutTheFractionOfEveryClassAndKeepsTheRestInFileOrder() {
        List<TextExample> all = examples();
        StratifiedSplit.Parts parts = StratifiedSplit.cut(all, 0.2, 7);
        assertEquals(6, count(parts.heldOut(), "rare"), "20% of 30");
        assertEquals(24, count(parts.heldOut(), "a"), "20% of 120");
        assertEquals(30, count(parts.heldOut(), "b"), "20% of 150");
        assertEquals(all.size(), parts.kept().size() + parts.heldOut().size());
        Set<TextExample> union = new HashSet<>(parts.kept());
        union.addAll(parts.heldOut());
        assertEquals(new HashSet<>(all), union);
        assertEquals(parts.kept(), all.stream().filter(parts.kept()::contains).toList(), "file order kept");
        assertEquals(parts.heldOut(), all.stream().filter(parts.heldOut()::contains).toList(), "file order kept");
    }

    /** A class the held-out part would take whole (one example at a half) keeps one example for training. */
    @Test
    void aClassIsNeverHeldOutWhole() {
        List<TextExample> all = List.of(new TextExample("a", "1"), new TextExample("a", "2"),
                new TextExample("a", "3"), new TextExample("b", "4"));
        StratifiedSplit.Parts parts = StratifiedSplit.cut(all, 0.5, 3);
        assertEquals(1, count(parts.kept(), "b"));
        assertEquals(0, count(parts.heldOut(), "b"));
        assertEquals(2, count(parts.heldOut(), "a"), "round(1.5) of the three");
    }

    @Test
    void theSeedChoosesWhichExamples() {
        assertEquals(StratifiedSplit.cut(examples(), 0.2, 7), StratifiedSplit.cut(examples(), 0.2, 7));
        assertNotEquals(StratifiedSplit.cut(examples(), 0.2, 7).heldOut(),
                StratifiedSplit.cut(examples(), 0.2, 8).heldOut());
        assertTrue(StratifiedSplit.cut(examples(), 0.2, 7).heldOut().size() > 0);
    }
}
