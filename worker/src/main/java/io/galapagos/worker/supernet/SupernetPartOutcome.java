package io.galapagos.worker.supernet;

/**
 * How the training of one (sub-)supernet ended, as its Spark task reports it.
 *
 * @param part          the part's index in its {@link SupernetSpec}
 * @param resumedEpochs epochs its checkpoint held when the task started (0 for a fresh training); no epoch is
 *                      trained twice
 * @param epochs        epochs trained in all when the task ended
 * @param seconds       the task's training time
 * @param loss          the mean training loss of the last epoch trained by this task; NaN when none was
 * @param executor      the executor that trained it
 */
public record SupernetPartOutcome(int part, int resumedEpochs, int epochs, double seconds, double loss,
                                  String executor) {
}
