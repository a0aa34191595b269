package io.galapagos.space;

/** Kinds of pooling. */
public enum PoolKind {
    MAX("maxpool"),
    AVG("avgpool");

    private final String text;

    PoolKind(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }
}
