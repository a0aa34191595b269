/**
 * Search strategies: ask/tell over immutable values, seeded and deterministic, free of Spark, DL4J
 * and files. The study loop outside runs the trials.
 */
package io.galapagos.driver.strategy;
