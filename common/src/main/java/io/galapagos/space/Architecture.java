package io.galapagos.space;

import java.io.Serializable;

/**
 * A candidate network: an immutable value whose {@link #text()} is its one canonical form. Equal
 * architectures have equal text, so the text is the key for de-duplication, caching and journals.
 */
public sealed interface Architecture extends Serializable permits MacroArchitecture, CellArchitecture,
        SequenceArchitecture {

    /** The canonical text; {@link SearchSpace#parse} of it gives back an equal architecture. */
    String text();

    /** Parses the canonical text of any kind of architecture. */
    static Architecture parse(String text) {
        if (text != null && text.startsWith("|")) {
            return CellArchitecture.parse(text);
        }
        return text != null && text.startsWith(SequenceArchitecture.EMBED) ? SequenceArchitecture.parse(text)
                : MacroArchitecture.parse(text);
    }
}
