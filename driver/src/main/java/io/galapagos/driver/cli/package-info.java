/** The {@code galapagos} command line: {@code run}, {@code validate} and {@code bench}. */
package io.galapagos.driver.cli;
