package io.galapagos.space;

/** The operations an edge of a NAS-Bench-201 cell may carry; {@link #text()} is NB201's own name. */
public enum CellOperation {
    NONE("none"),
    SKIP_CONNECT("skip_connect"),
    NOR_CONV_1X1("nor_conv_1x1"),
    NOR_CONV_3X3("nor_conv_3x3"),
    AVG_POOL_3X3("avg_pool_3x3");

    private final String text;

    CellOperation(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    /** Whether it has no weights ({@code none}, {@code skip_connect}, pooling): what a collapsed DARTS cell is made of. */
    public boolean parameterFree() {
        return this != NOR_CONV_1X1 && this != NOR_CONV_3X3;
    }

    public static CellOperation fromText(String text) {
        for (CellOperation op : values()) {
            if (op.text.equals(text)) {
                return op;
            }
        }
        throw new IllegalArgumentException("unknown cell operation '" + text
                + "' (expected none, skip_connect, nor_conv_1x1, nor_conv_3x3 or avg_pool_3x3)");
    }
}
