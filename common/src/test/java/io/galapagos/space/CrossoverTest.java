package io.galapagos.space;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Crossover in every space: over many seeded pairs of members, each child is a member, takes every block from the
 * same position of one parent (a macro block within its stage, with its skips re-indexed to the child's stage), is
 * as long as one parent, and is usually new.
 */
class CrossoverTest {

    private static final int PAIRS = 500;

    @Test
    void macroChildrenTakeEachBlockFromItsStagePositionInAParentWithSkipsReindexed() {
        MacroSearchSpace space = TestSpaces.rich();
        SplittableRandom rng = new SplittableRandom(3);
        int novel = 0;
        for (int i = 0; i < PAIRS; i++) {
            MacroArchitecture x = space.sample(rng);
            MacroArchitecture y = space.sample(rng);
            MacroArchitecture child = space.crossover(x, y, rng);
            assertEquals(List.of(), space.violations(child), child.text());
            int features = child.featureBlocks();
            assertTrue(features == x.featureBlocks() || features == y.featureBlocks(), child.text());
            int heads = child.blocks().size() - features;
            assertTrue(heads == head(x).size() || heads == head(y).size(), child.text());
            for (int j = 0; j < features; j++) {
                Block block = child.blocks().get(j);
                assertTrue(at(x.blocks().subList(0, x.featureBlocks()), j, block)
                        || at(y.blocks().subList(0, y.featureBlocks()), j, block), child.text());
            }
            List<Block> childHead = head(child);
            for (int j = 0; j < childHead.size(); j++) {
                assertTrue(at(head(x), j, childHead.get(j)) || at(head(y), j, childHead.get(j)),
                        x.text() + " x " + y.text() + " -> " + child.text());
            }
            novel += child.equals(x) || child.equals(y) ? 0 : 1;
        }
        assertTrue(novel > PAIRS / 2, novel + " new children of " + PAIRS);
    }

    /** Cuts the head off with its skips counted from its first block, as the crossover sees it. */
    private static List<Block> head(MacroArchitecture net) {
        int start = net.featureBlocks();
        return net.blocks().subList(start, net.blocks().size()).stream()
                .map(b -> b.withSkips(b.skips().stream().map(s -> s - start).toList(), b.skipMode())).toList();
    }

    private static <T> boolean at(List<T> parent, int j, T block) {
        return j < parent.size() && parent.get(j).equals(block);
    }

    @Test
    void sequenceChildrenAreMembersWithEveryBlockFromAParentAndResidualsOnlyWhereWidthsMatch() {
        SequenceSearchSpace space = TestSpaces.sequence();
        SplittableRandom rng = new SplittableRandom(5);
        int novel = 0;
        for (int i = 0; i < PAIRS; i++) {
            SequenceArchitecture x = space.sample(rng);
            SequenceArchitecture y = space.sample(rng);
            SequenceArchitecture child = space.crossover(x, y, rng);
            assertEquals(List.of(), space.violations(child), child.text());
            assertTrue(child.embedding() == x.embedding() || child.embedding() == y.embedding());
            assertTrue(child.pooling() == x.pooling() || child.pooling() == y.pooling());
            assertTrue(child.blocks().size() == x.blocks().size() || child.blocks().size() == y.blocks().size());
            for (int j = 0; j < child.blocks().size(); j++) {
                SequenceBlock block = child.blocks().get(j);
                boolean fromParent = false;
                for (SequenceArchitecture parent : List.of(x, y)) {
                    if (j < parent.blocks().size()) {
                        SequenceBlock p = parent.blocks().get(j);
                        // the same block, or the same with its residual dropped
                        fromParent |= p.equals(block) || (!block.residual() && p.residual()
                                && p.layer().equals(block.layer()) && p.dropout() == block.dropout());
                    }
                }
                assertTrue(fromParent, x.text() + " x " + y.text() + " -> " + child.text());
            }
            novel += child.equals(x) || child.equals(y) ? 0 : 1;
        }
        assertTrue(novel > PAIRS / 2, novel + " new children of " + PAIRS);
    }

    @Test
    void cellChildrenTakeEachEdgeFromEitherParent() {
        CellSearchSpace space = CellSearchSpace.nb201();
        SplittableRandom rng = new SplittableRandom(7);
        int fromX = 0;
        for (int i = 0; i < PAIRS; i++) {
            CellArchitecture x = space.sample(rng);
            CellArchitecture y = space.sample(rng);
            CellArchitecture child = space.crossover(x, y, rng);
            for (int e = 0; e < CellArchitecture.EDGES; e++) {
                CellOperation op = child.edges().get(e);
                assertTrue(op == x.edges().get(e) || op == y.edges().get(e));
                fromX += op == x.edges().get(e) ? 1 : 0;
            }
        }
        double share = fromX / (double) (PAIRS * CellArchitecture.EDGES);
        assertTrue(share > 0.5 && share < 0.7, "edges equal to the first parent's: " + share
                + " (half drawn from it, and a sixth of the rest equal by chance)");
    }
}
