/** The {@code galapagos} command line: {@code run} and {@code validate}. */
package io.galapagos.driver.cli;
