package io.galapagos.space;

/** The layer types a macro space may allow; {@link #text()} is the name used in configs. */
public enum LayerType {
    CONV("conv"),
    MAX_POOL("maxpool"),
    AVG_POOL("avgpool"),
    DENSE("dense");

    private final String text;

    LayerType(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    public boolean spatial() {
        return this != DENSE;
    }

    public static LayerType of(Layer layer) {
        if (layer instanceof Layer.Pool pool) {
            return pool.kind() == PoolKind.MAX ? MAX_POOL : AVG_POOL;
        }
        return layer instanceof Layer.Conv ? CONV : DENSE;
    }
}
