package io.galapagos.space;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SequenceSearchSpaceTest {

    private static final SequenceSearchSpace SPACE = TestSpaces.sequence();

    /** Two blocks at most, every type, few values: small enough to enumerate. */
    private static SequenceSearchSpace small() {
        return new SequenceSearchSpace(1, 2, List.of(4, 8), EnumSet.allOf(SequenceLayerType.class), List.of(4),
                List.of(3), List.of(8), List.of(Activation.RELU), List.of(2), List.of(16), List.of(0.0, 0.5),
                List.of(false, true), List.of(SequencePooling.MAX, SequencePooling.LAST));
    }

    private static String failure(String text) {
        return assertThrows(IllegalArgumentException.class, () -> SPACE.parse(text)).getMessage();
    }

    @Test
    void aSpaceOfOneArchitectureMutatesToItsOnlyMember() {
        SequenceSearchSpace one = new SequenceSearchSpace(1, 1, List.of(8), EnumSet.of(SequenceLayerType.MAX_POOL1D),
                List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(0.0), List.of(false),
                List.of(SequencePooling.MAX));
        assertEquals(BigInteger.ONE, one.size());
        SequenceArchitecture only = one.sample(new Random(1));
        assertEquals(only, one.mutate(only, new Random(2)));
        assertEquals(List.of(), one.neighbours(only, new Random(3), 30));
    }

    @Test
    void canonicalTextRoundTripsForEverySample() {
        Random rng = new Random(1);
        for (int i = 0; i < 2000; i++) {
            SequenceArchitecture a = SPACE.sample(rng);
            assertEquals(List.of(), SPACE.violations(a), a.text());
            assertEquals(a, SPACE.parse(a.text()));
            assertEquals(a, Architecture.parse(a.text()), "the generic parser knows sequence networks");
            assertEquals(a.text(), SPACE.parse(a.text()).text());
        }
    }

    @Test
    void theTextFormNamesEveryChoice() {
        SequenceArchitecture a = SequenceArchitecture.parse(
                "embed32/conv1d-k3x16:relu:d0.25/maxpool1d/lstm16:res/bilstm16/transformer4x64:d0.25:res/head-attention");
        assertEquals(32, a.embedding());
        assertEquals(new SequenceLayer.Conv1d(3, 16, Activation.RELU), a.blocks().get(0).layer());
        assertEquals(0.25, a.blocks().get(0).dropout());
        assertTrue(a.blocks().get(2).residual());
        assertEquals(new SequenceLayer.Recurrent(SequenceLayerType.BILSTM, 16), a.blocks().get(3).layer());
        assertEquals(32, a.inputWidth(4), "a bidirectional LSTM writes both directions");
        assertEquals(new SequenceLayer.Transformer(4, 64), a.blocks().get(4).layer());
        assertEquals(SequencePooling.ATTENTION, a.pooling());
    }

    @Test
    void countsTheSpaceExactly() {
        SequenceSearchSpace small = small();
        Set<SequenceArchitecture> members = enumerate(small);
        assertEquals(BigInteger.valueOf(members.size()), small.size());
        Set<SequenceArchitecture> drawn = new HashSet<>();
        Random rng = new Random(3);
        for (int i = 0; i < 100_000; i++) {
            drawn.add(small.sample(rng));
        }
        assertTrue(members.containsAll(drawn), "sampling draws only members");
        assertEquals(members.size(), drawn.size(), "sampling reaches every member");
    }

    /** Every member of {@code space}, by brute force over all block texts. */
    private static Set<SequenceArchitecture> enumerate(SequenceSearchSpace space) {
        List<SequenceBlock> blocks = new ArrayList<>();
        for (String layer : List.of("lstm4", "bilstm4", "rnn4", "conv1d-k3x8:relu", "maxpool1d", "attention2",
                "transformer2x16")) {
            for (String dropout : List.of("", ":d0.5")) {
                for (String residual : List.of("", ":res")) {
                    if (!(layer.equals("maxpool1d") && !residual.isEmpty())) {
                        blocks.add(SequenceBlock.parse(layer + dropout + residual));
                    }
                }
            }
        }
        Set<SequenceArchitecture> all = new HashSet<>();
        for (int embedding : space.embeddingDims()) {
            for (SequencePooling pooling : space.pooling()) {
                for (SequenceBlock first : blocks) {
                    add(all, space, embedding, List.of(first), pooling);
                    for (SequenceBlock second : blocks) {
                        add(all, space, embedding, List.of(first, second), pooling);
                    }
                }
            }
        }
        return all;
    }

    private static void add(Set<SequenceArchitecture> all, SequenceSearchSpace space, int embedding,
                            List<SequenceBlock> blocks, SequencePooling pooling) {
        try {
            SequenceArchitecture a = new SequenceArchitecture(embedding, blocks, pooling);
            if (space.violations(a).isEmpty()) {
                all.add(a);
            }
        } catch (IllegalArgumentException widthsDoNotFit) {
            // not a network
        }
    }

    @Test
    void mutationChangesOneChoiceAndStaysInTheSpace() {
        Random rng = new Random(5);
        Map<String, Integer> kinds = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            SequenceArchitecture parent = SPACE.sample(rng);
            SequenceArchitecture child = SPACE.mutate(parent, rng);
            assertNotEquals(parent, child);
            assertEquals(List.of(), SPACE.violations(child), child.text());
            int lengthChange = child.blocks().size() - parent.blocks().size();
            assertTrue(Math.abs(lengthChange) <= 1, parent + " -> " + child);
            kinds.merge(lengthChange == 0 ? "same length" : lengthChange > 0 ? "inserted" : "removed", 1, Integer::sum);
        }
        assertEquals(3, kinds.size(), "blocks are changed, inserted and removed: " + kinds);
    }

    @Test
    void encodingIsFixedLengthAndTellsMembersApart() {
        Random rng = new Random(7);
        Map<String, String> byVector = new HashMap<>();
        for (int i = 0; i < 2000; i++) {
            SequenceArchitecture a = SPACE.sample(rng);
            double[] v = SPACE.encode(a);
            assertEquals(SPACE.encodingLength(), v.length);
            assertArrayEquals(v, SPACE.encode(SPACE.parse(a.text())));
            String previous = byVector.put(java.util.Arrays.toString(v), a.text());
            assertTrue(previous == null || previous.equals(a.text()), previous + " and " + a.text() + " encode alike");
        }
    }

    @Test
    void badTextQuotesThePartThatIsWrong() {
        assertEquals("'embed32/lstn16/head-max', block 0: unknown block 'lstn16' (blocks: " + SequenceLayer.FORMS + ")",
                failure("embed32/lstn16/head-max"));
        assertEquals("'embed32/lstm16/pool-max' is not 'embed<dimension>/<block>/.../head-<pooling>'",
                failure("embed32/lstm16/pool-max"));
        assertEquals("unknown pooling 'median' (expected one of last, max, mean, attention)",
                failure("embed32/lstm16/head-median"));
        assertEquals("block 0 (lstm16:res): a residual needs the output width (16) to equal the input width (32)",
                failure("embed32/lstm16:res/head-max"));
        assertEquals("'embed32/lstm16:d0.50/head-max', block 0: block 'lstm16:d0.50': dropout 'd0.50' is not in "
                + "(0, 1) in its shortest form", failure("embed32/lstm16:d0.50/head-max"));
        assertEquals("'embed32/lstm24/head-max' is not in the search space: block 0 (lstm24): units 24 is not one of "
                + "[16, 32]", failure("embed32/lstm24/head-max"));
        assertEquals("'embed64/lstm16/head-max' is not in the search space: embedding dimension 64 is not one of "
                + "[16, 32]", failure("embed64/lstm16/head-max"));
        assertEquals("block 0 (attention3): 3 heads do not divide the width 32 it reads",
                assertThrows(IllegalArgumentException.class,
                        () -> SequenceArchitecture.parse("embed32/attention3/head-max")).getMessage());
    }

    @Test
    void aSpaceWhoseHeadsDoNotDivideItsWidthsIsRefusedNamingTheKey() {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> new SequenceSearchSpace(1, 2,
                List.of(32), EnumSet.of(SequenceLayerType.BILSTM, SequenceLayerType.ATTENTION), List.of(25), List.of(),
                List.of(), List.of(), List.of(4), List.of(), List.of(0.0), List.of(false), List.of(SequencePooling.MAX)));
        assertTrue(e.getMessage().contains("heads") && e.getMessage().contains("does not divide 50"), e.getMessage());
        assertInstanceOf(InvalidValueException.class, assertThrows(InvalidValueException.class, () ->
                new SequenceSearchSpace(1, 2, List.of(32), EnumSet.of(SequenceLayerType.LSTM), List.of(16), List.of(),
                        List.of(), List.of(), List.of(), List.of(), List.of(0.0), List.of(true),
                        List.of(SequencePooling.MAX))));
    }
}
