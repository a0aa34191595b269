package io.galapagos.trial;

import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CandidateTest {

    /** A journal written by a JVM in a Thai or Arabic locale must name trials as every other JVM reads them. */
    @Test
    void trialIdsHaveAsciiDigitsInAnyLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("th-TH-u-nu-thai"));
            assertEquals("trial-0013", Candidate.trialId(13));
        } finally {
            Locale.setDefault(before);
        }
    }
}
