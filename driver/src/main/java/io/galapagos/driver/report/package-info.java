/**
 * The search report: reads an output folder (journal, configuration) and writes one self-contained HTML file with
 * its charts; and what it computes for them (which decisions matter).
 */
package io.galapagos.driver.report;
