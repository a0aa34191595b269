/**
 * Search spaces and the architectures they contain. An {@link io.galapagos.space.Architecture} is an
 * immutable value with one canonical text form that parses back; a {@link io.galapagos.space.SearchSpace}
 * samples, mutates, validates and counts them. Nothing here knows Spark or DL4J.
 */
package io.galapagos.space;
