package io.galapagos.trial;

import io.galapagos.space.Architecture;

import java.util.Locale;

/**
 * An architecture proposed for training, numbered within its study, at a fidelity.
 *
 * @param number       the trial number, from 0, unique within a study
 * @param architecture what to build
 * @param seed         the seed for everything random in its training, derived from (study seed, number)
 * @param fidelity     the fidelity level to train at: 0 the cheapest of the trainer's configured levels (e.g. 12
 *                     epochs), higher ones dearer; or {@link #FULL_FIDELITY}, the trainer's full training (its
 *                     highest level, and what a trainer without levels always does)
 */
public record Candidate(int number, Architecture architecture, long seed, int fidelity) {

    /** The fidelity of a candidate that names no level: the trainer's full training. */
    public static final int FULL_FIDELITY = -1;

    public Candidate {
        if (number < 0) {
            throw new IllegalArgumentException("trial number must be non-negative, got " + number);
        }
        if (architecture == null) {
            throw new IllegalArgumentException("a candidate needs an architecture");
        }
        if (fidelity < FULL_FIDELITY) {
            throw new IllegalArgumentException("a fidelity level is >= 0 (or FULL_FIDELITY), got " + fidelity);
        }
    }

    /** A candidate at full fidelity. */
    public Candidate(int number, Architecture architecture, long seed) {
        this(number, architecture, seed, FULL_FIDELITY);
    }

    /** Whether this candidate names no level, so is trained in full. */
    public boolean fullFidelity() {
        return fidelity == FULL_FIDELITY;
    }

    /** The trial id: a stable name used as Spark job group, journal key and log prefix. */
    public String trialId() {
        return trialId(number);
    }

    /** ASCII digits whatever the JVM's locale: the id names the trial in journals that other JVMs read. */
    public static String trialId(int number) {
        return String.format(Locale.ROOT, "trial-%04d", number);
    }

    /** The per-trial seed: a SplitMix64 mix of study seed and trial number, so trials are independent. */
    public static long seedFor(long studySeed, int number) {
        long z = studySeed + 0x9E3779B97F4A7C15L * (number + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
