package io.galapagos.space;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MacroSearchSpaceTest {

    @Test
    void sizeEqualsTheNumberOfDistinctSamples() {
        MacroSearchSpace space = TestSpaces.tiny();
        Set<String> seen = new HashSet<>();
        Random rng = new Random(3);
        for (int i = 0; i < 200_000; i++) {
            seen.add(space.sample(rng).text());
        }
        assertEquals(BigInteger.valueOf(seen.size()), space.size());
    }

    @Test
    void sizeCountsEveryChoiceAndSkipOption() {
        // 1 block: 2 feature choices (conv, pool) + 1 head choice = 3.
        MacroSearchSpace oneBlock = new MacroSearchSpace(1, 1, EnumSet.of(LayerType.CONV, LayerType.MAX_POOL,
                LayerType.DENSE), List.of(3), List.of(8), List.of(4), List.of(Activation.RELU), List.of(false),
                List.of(0.0), List.of(SkipMode.ADD));
        assertEquals(BigInteger.valueOf(3), oneBlock.size());
        // Only conv, 3 blocks: 2 kernels x 2 activations = 4 choices per block; block 2 may skip from 0 in 2 modes.
        MacroSearchSpace convs = new MacroSearchSpace(3, 3, EnumSet.of(LayerType.CONV), List.of(3, 5), List.of(8),
                List.of(), List.of(Activation.RELU, Activation.TANH), List.of(false), List.of(0.0),
                List.of(SkipMode.ADD, SkipMode.CONCAT));
        assertEquals(BigInteger.valueOf(4 * 4 * 4 * 3), convs.size());
    }

    @Test
    void samplesAndMutationsStayInTheSpace() {
        MacroSearchSpace space = TestSpaces.rich();
        Random rng = new Random(5);
        for (int i = 0; i < 3000; i++) {
            MacroArchitecture parent = space.sample(rng);
            assertEquals(List.of(), space.violations(parent), parent.text());
            MacroArchitecture child = space.mutate(parent, rng);
            assertEquals(List.of(), space.violations(child), child.text());
            assertNotEquals(parent, child);
            assertTrue(oneChoiceApart(parent, child), parent.text() + " -> " + child.text());
        }
    }

    /** Evolution, local search, BANANAS and REINFORCE mutate whatever they are told: a small space must not fail them. */
    @Test
    void aParentWithoutAFoundSingleChoiceChangeMutatesToAnotherMemberOrItself() {
        MacroSearchSpace one = new MacroSearchSpace(1, 1, EnumSet.of(LayerType.MAX_POOL), List.of(3), List.of(8),
                List.of(4), List.of(Activation.RELU), List.of(false), List.of(0.0), List.of());
        assertEquals(BigInteger.ONE, one.size());
        MacroArchitecture only = one.sample(new Random(1));
        assertEquals(only, one.mutate(only, new Random(2)), "a space of one architecture");
        assertEquals(List.of(), one.neighbours(only, new Random(3), 30));

        // 32 architectures of three blocks, in which most single-choice draws leave the space
        MacroSearchSpace small = new MacroSearchSpace(3, 3, EnumSet.of(LayerType.CONV, LayerType.MAX_POOL,
                LayerType.DENSE), List.of(3), List.of(32), List.of(64, 128), List.of(Activation.RELU), List.of(true),
                List.of(0.25), List.of());
        Random rng = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            MacroArchitecture parent = small.sample(rng);
            MacroArchitecture child = small.mutate(parent, rng);
            assertEquals(List.of(), small.violations(child), parent.text() + " -> " + child.text());
            assertNotEquals(parent, child, "there are other members");
        }
    }

    @Test
    void mutationIsDeterministicForASeed() {
        MacroSearchSpace space = TestSpaces.rich();
        MacroArchitecture parent = space.sample(new Random(9));
        assertEquals(space.mutate(parent, new Random(11)), space.mutate(parent, new Random(11)));
    }

    /** Same length with exactly one block changed, or one block inserted or removed. */
    private static boolean oneChoiceApart(MacroArchitecture a, MacroArchitecture b) {
        List<Block> x = a.blocks();
        List<Block> y = b.blocks();
        if (x.size() == y.size()) {
            int differing = 0;
            for (int i = 0; i < x.size(); i++) {
                differing += x.get(i).equals(y.get(i)) ? 0 : 1;
            }
            return differing == 1;
        }
        List<Block> longer = x.size() > y.size() ? x : y;
        List<Block> shorter = x.size() > y.size() ? y : x;
        if (longer.size() != shorter.size() + 1) {
            return false;
        }
        for (int removed = 0; removed < longer.size(); removed++) {
            boolean same = true;
            for (int i = 0, j = 0; i < shorter.size(); i++, j++) {
                if (j == removed) {
                    j++;
                }
                // Skips are re-indexed around the edit, so compare the blocks' own choices only.
                if (!shorter.get(i).withSkips(List.of(), null).equals(longer.get(j).withSkips(List.of(), null))) {
                    same = false;
                    break;
                }
            }
            if (same) {
                return true;
            }
        }
        return false;
    }

    @Test
    void violationsNameTheBlockAndTheChoice() {
        MacroSearchSpace space = TestSpaces.tiny();
        MacroArchitecture outside = MacroArchitecture.parse("conv5x5x8:relu/avgpool/dense4:tanh");
        List<String> problems = space.violations(outside);
        assertTrue(problems.contains("block 0 (conv5x5x8:relu): kernel size 5 is not one of [3]"), problems.toString());
        assertTrue(problems.contains("block 1 (avgpool): layer type avgpool is not in the space"), problems.toString());
        assertTrue(problems.contains("block 2 (dense4:tanh): activation tanh is not one of [relu]"), problems.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> space.parse("conv3x3x8:relu/conv3x3x8:relu/conv3x3x8:relu/conv3x3x8:relu"));
        assertTrue(e.getMessage().contains("4 blocks, the space allows 1 to 3"), e.getMessage());
    }

    @Test
    void invalidSpacesNameTheKeyAndValue() {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> new MacroSearchSpace(1, 3,
                EnumSet.of(LayerType.CONV), List.of(4), List.of(8), List.of(), List.of(Activation.RELU),
                List.of(false), List.of(0.0), List.of()));
        assertEquals("kernel_sizes", e.key());
        assertEquals("4", e.value());
        e = assertThrows(InvalidValueException.class, () -> new MacroSearchSpace(1, 3,
                EnumSet.of(LayerType.CONV), List.of(3), List.of(), List.of(), List.of(Activation.RELU),
                List.of(false), List.of(0.0), List.of()));
        assertEquals("filters", e.key());
        assertEquals("must list at least one choice", e.reason());
    }
}
