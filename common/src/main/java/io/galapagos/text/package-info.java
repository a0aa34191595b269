/**
 * Labelled text for the sequence (NLP) search space: reading {@code label-space-text} files strictly (file and
 * line in every error), tokenising, the vocabulary built once from the training split, and stratified hold-outs.
 * Pure Java: the driver builds the vocabulary, executors apply it.
 */
package io.galapagos.text;
