/** The {@code galapagos} command line: {@code run}, {@code resume}, {@code validate}, {@code train} and {@code bench}. */
package io.galapagos.driver.cli;
