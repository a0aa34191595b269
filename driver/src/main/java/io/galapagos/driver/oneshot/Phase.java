package io.galapagos.driver.oneshot;

/**
 * The trials of a weight-sharing search, by what they are for. The journal tags every proposal and result with its
 * phase, and those measured on a supernet's shared weights with {@code "fidelity": "supernet"}, so that they are
 * never mistaken for stand-alone results.
 */
enum Phase {
    /** The strategy's search, every candidate measured on shared weights. */
    SEARCH("search", true),
    /** The seeded correlation sample, measured on shared weights. */
    SAMPLE("correlation-sample", true),
    /** Cells trained from scratch: the best of the search, and the correlation sample. */
    RETRAIN("retrain", false);

    /** The journal's {@code fidelity} of a result measured on shared weights. */
    static final String SUPERNET_FIDELITY = "supernet";

    private final String text;
    private final boolean sharedWeights;

    Phase(String text, boolean sharedWeights) {
        this.text = text;
        this.sharedWeights = sharedWeights;
    }

    /** The journal's word for it. */
    String text() {
        return text;
    }

    /** Whether its candidates are measured on shared weights rather than trained. */
    boolean sharedWeights() {
        return sharedWeights;
    }

    /** The phase the journal's word names; null for none. */
    static Phase of(String text) {
        for (Phase phase : values()) {
            if (phase.text.equals(text)) {
                return phase;
            }
        }
        return null;
    }
}
