package io.galapagos.space;

import java.io.Serializable;
import java.math.BigInteger;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A set of architectures that strategies draw from. Implementations are immutable and thread-safe;
 * all randomness comes from the generator the caller passes, so results are reproducible.
 */
public sealed interface SearchSpace extends Serializable permits MacroSearchSpace, CellSearchSpace,
        SequenceSearchSpace {

    /** A random member of the space. */
    Architecture sample(RandomGenerator rng);

    /**
     * A member of the space that differs from {@code parent} in exactly one choice; where none is found (in a small
     * space every change of some parents leaves it, and for others the changes that stay can be too rare to be
     * drawn), another member drawn at random, or the parent itself in a space of one architecture.
     */
    Architecture mutate(Architecture parent, RandomGenerator rng);

    /**
     * A member of the space that takes each choice from one of two members, block by block (or edge by edge), with
     * what no longer fits repaired (skips re-indexed, a residual dropped where widths stopped matching). It may equal
     * a parent.
     */
    Architecture crossover(Architecture x, Architecture y, RandomGenerator rng);

    /** Parses canonical text and checks membership; the exception message says what is wrong. */
    Architecture parse(String text);

    /** Why {@code architecture} is not a member of this space; empty when it is. */
    List<String> violations(Architecture architecture);

    /** The number of distinct architectures in the space. */
    BigInteger size();

    /**
     * Up to {@code limit} distinct members one choice away from {@code architecture}, in an order drawn
     * from {@code rng}: all of them when there are no more than {@code limit}.
     */
    List<Architecture> neighbours(Architecture architecture, RandomGenerator rng, int limit);

    /**
     * A fixed-length numeric vector of the choices of {@code architecture}, for predictors; equal
     * architectures get equal vectors, and every member of the space a vector of {@link #encodingLength()}.
     */
    double[] encode(Architecture architecture);

    int encodingLength();
}
