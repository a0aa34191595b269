/**
 * What a search writes under its output folder, through the Hadoop FileSystem API: the journal, the
 * leaderboard, the best candidate and the effective configuration.
 */
package io.galapagos.driver.results;
