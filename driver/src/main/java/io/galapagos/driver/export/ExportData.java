package io.galapagos.driver.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.galapagos.config.Dl4jTrainerConfig;
import io.galapagos.config.Dl4jTraining;
import io.galapagos.config.TextTrainerConfig;
import io.galapagos.driver.job.VocabularyFile;
import io.galapagos.driver.results.OutputException;
import io.galapagos.driver.results.RunOutput;
import io.galapagos.worker.data.LabelledExamples;
import io.galapagos.worker.data.Splits;
import io.galapagos.worker.network.NetworkInput;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.util.List;

/**
 * What an export trains and tests on, and what the model folder says about its input: images
 * ({@link ImageExportData}) or text ({@link TextExportData}). Immutable.
 */
sealed interface ExportData permits ImageExportData, TextExportData {

    /**
     * The data of the search in {@code search}, as {@code trainer} (its recorded settings, the export's changes
     * applied) names it.
     *
     * @param location how messages name the search's folder
     * @throws OutputException when its data (or, for text, its {@value VocabularyFile#NAME}) cannot be read here
     */
    static ExportData load(Dl4jTraining trainer, RunOutput search, String location, Configuration hadoop)
            throws IOException {
        try {
            if (trainer instanceof TextTrainerConfig text) {
                if (!search.exists(VocabularyFile.NAME)) {
                    throw new OutputException(location, "has no " + VocabularyFile.NAME + ": the text must be encoded "
                            + "with the vocabulary the search used");
                }
                return TextExportData.load(text, VocabularyFile.read(search), hadoop);
            }
            return ImageExportData.load((Dl4jTrainerConfig) trainer, hadoop);
        } catch (IOException | IllegalArgumentException e) {
            // IllegalArgumentException: a TextFormatException, or a vocabulary file that does not list each token once
            throw new OutputException(location, "its data cannot be read here: " + e.getMessage());
        }
    }

    /** The search's DL4J settings, the export's changes applied. */
    Dl4jTraining trainer();

    /** Every example the search's trials trained or were validated on. */
    LabelledExamples train();

    LabelledExamples test();

    /** The splits the search's trials trained, validated and tested on. */
    Splits trials();

    /** What the network reads and predicts. */
    NetworkInput input();

    /** The provenance's {@code input} (what the model reads, how to make it) and {@code data} (files, SHA-256). */
    void describe(ObjectNode provenance, Configuration hadoop) throws IOException;

    /**
     * Writes what applying the model needs beside {@value ExportJob#MODEL} (a text model's vocabulary).
     *
     * @return the names of the files written
     */
    List<String> writeBeside(RunOutput model) throws IOException;
}
