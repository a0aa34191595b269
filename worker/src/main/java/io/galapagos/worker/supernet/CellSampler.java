package io.galapagos.worker.supernet;

import io.galapagos.space.CellArchitecture;

import java.util.random.RandomGenerator;

/**
 * Draws the cell a supernet step trains: uniformly from a cell space (one-shot), or from the part of it a
 * few-shot sub-supernet covers. Stateless apart from the generator it is given.
 */
@FunctionalInterface
public interface CellSampler {

    CellArchitecture sample(RandomGenerator random);
}
