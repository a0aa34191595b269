package io.galapagos.worker.darts;

import java.io.Serializable;

/**
 * One epoch of one DARTS search, as its Spark task reports it.
 *
 * @param search   the search's index in its {@link DartsSpec}
 * @param epoch    what the epoch did
 * @param seconds  the task's time training it; 0 when its checkpoint already held it
 * @param trained  whether this task trained it (false: a checkpoint written before the driver stopped held it)
 * @param executor the executor that ran the task
 */
public record DartsEpochOutcome(int search, DartsSearch.Epoch epoch, double seconds, boolean trained,
                                String executor) implements Serializable {

    private static final long serialVersionUID = 1L;
}
