package io.galapagos.space;

import java.util.EnumSet;
import java.util.List;

/** Spaces shared by the tests. */
public final class TestSpaces {

    private TestSpaces() {
    }

    /** Every layer type, activation and skip mode, several values of each. */
    public static MacroSearchSpace rich() {
        return new MacroSearchSpace(1, 8, EnumSet.allOf(LayerType.class), List.of(1, 3, 5), List.of(8, 16, 32),
                List.of(32, 64), List.of(Activation.values()), List.of(false, true), List.of(0.0, 0.1, 0.25),
                List.of(SkipMode.ADD, SkipMode.CONCAT));
    }

    /** Small enough to enumerate by sampling. */
    public static MacroSearchSpace tiny() {
        return new MacroSearchSpace(1, 3, EnumSet.of(LayerType.CONV, LayerType.MAX_POOL, LayerType.DENSE),
                List.of(3), List.of(8), List.of(4), List.of(Activation.RELU), List.of(false), List.of(0.0),
                List.of(SkipMode.ADD));
    }

    /** Every block type and pooling, two values of each setting. */
    public static SequenceSearchSpace sequence() {
        return new SequenceSearchSpace(1, 4, List.of(16, 32), EnumSet.allOf(SequenceLayerType.class), List.of(16, 32),
                List.of(3, 5), List.of(16, 32), List.of(Activation.RELU, Activation.TANH), List.of(2, 4),
                List.of(32, 64), List.of(0.0, 0.25), List.of(false, true), List.of(SequencePooling.values()));
    }
}
