package io.galapagos.space;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MacroArchitectureTest {

    @Test
    void canonicalTextParsesBackForRandomArchitectures() {
        MacroSearchSpace space = TestSpaces.rich();
        Random rng = new Random(1);
        for (int i = 0; i < 5000; i++) {
            MacroArchitecture a = i % 2 == 0 ? space.sample(rng) : space.mutate(space.sample(rng), rng);
            MacroArchitecture back = MacroArchitecture.parse(a.text());
            assertEquals(a, back, a.text());
            assertEquals(a.text(), back.text());
            assertEquals(a, Architecture.parse(a.text()));
        }
    }

    @Test
    void textSpellsEveryChoice() {
        MacroArchitecture a = new MacroArchitecture(List.of(
                Block.of(new Layer.Conv(3, 32), Activation.RELU, true, 0.25),
                Block.of(new Layer.Pool(PoolKind.MAX), null, false, 0),
                new Block(new Layer.Conv(5, 16), Activation.SWISH, false, 0, List.of(0), SkipMode.CONCAT),
                Block.of(new Layer.Dense(128), Activation.LEAKY_RELU, false, 0.5)));
        assertEquals("conv3x3x32:relu:bn:d0.25/maxpool/conv5x5x16:swish:cat(0)/dense128:leakyrelu:d0.5", a.text());
        assertEquals(3, a.featureBlocks());
    }

    @Test
    void malformedTextIsRejectedNamingThePart() {
        assertMessage("unknown layer 'conv3x5x8'", "conv3x5x8:relu");
        assertMessage("lacks an activation", "conv3x3x8");
        assertMessage("unknown activation 'gelu'", "dense8:gelu");
        assertMessage("maxpool takes no activation", "maxpool:bn");
        assertMessage("unexpected 'bn'", "dense8:relu:d0.5:bn");
        assertMessage("bad number 'x'", "dense8:relu:dx");
        assertMessage("comes after a dense block", "dense8:relu/conv3x3x8:relu");
        assertMessage("skip sources must be earlier than block 1", "conv3x3x8:relu/conv3x3x8:relu/conv3x3x8:relu:add(1)");
        assertMessage("of the other stage", "conv3x3x8:relu/dense8:relu/dense8:relu:add(0)");
        assertMessage("empty architecture text", "");
        assertMessage("dropout must be in [0, 1)", "dense8:relu:d1.5");
    }

    private static void assertMessage(String expected, String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MacroArchitecture.parse(text));
        assertTrue(e.getMessage().contains(expected), () -> "'" + e.getMessage() + "' should contain '" + expected + "'");
    }
}
