/**
 * Search strategies: ask/tell over immutable values, seeded and deterministic, free of Spark, DL4J
 * and files. The study loop outside runs the trials.
 *
 * <p>Single-objective: {@link io.galapagos.driver.strategy.RandomSearch},
 * {@link io.galapagos.driver.strategy.RegularizedEvolution}, {@link io.galapagos.driver.strategy.LocalSearch},
 * {@link io.galapagos.driver.strategy.Reinforce} and {@link io.galapagos.driver.strategy.Bananas}.
 * Several objectives: {@link io.galapagos.driver.strategy.Nsga2}. Several fidelities:
 * {@link io.galapagos.driver.strategy.Hyperband}, a {@link io.galapagos.driver.strategy.MultiFidelityStrategy}
 * wrapped around any single-objective one. {@link io.galapagos.driver.strategy.Strategies} builds the one a
 * configuration names.
 */
package io.galapagos.driver.strategy;
