package io.galapagos.worker.data;

/**
 * The three parts a trial uses: {@code train} to fit, {@code validation} to score candidates (what the search
 * optimises), {@code test} to report only. None is empty; all have the same classes.
 */
public interface Splits {

    LabelledExamples train();

    LabelledExamples validation();

    LabelledExamples test();
}
