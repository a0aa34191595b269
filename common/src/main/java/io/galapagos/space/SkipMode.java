package io.galapagos.space;

/** How a block merges the outputs of earlier blocks that skip into it. */
public enum SkipMode {
    /** Element-wise sum; sources are projected to the block input's shape first. */
    ADD("add"),
    /** Concatenation along channels (or features); sources are pooled to the same spatial size first. */
    CONCAT("cat");

    private final String text;

    SkipMode(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    public static SkipMode fromText(String text) {
        return switch (text) {
            case "add" -> ADD;
            case "cat", "concat" -> CONCAT;
            default -> throw new IllegalArgumentException("unknown skip mode '" + text + "' (expected add or concat)");
        };
    }
}
