package io.galapagos.worker.training;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * A learning rate annealed from {@code initial} to zero along half a cosine over {@code iterations}
 * mini-batches (Loshchilov and Hutter's SGDR without restarts, as NAS-Bench-201 trains its networks); zero
 * after them. ND4J has no cosine schedule. Its fields are its JSON form: a DL4J checkpoint holds the
 * network's configuration, this schedule included.
 *
 * @param initial    the learning rate of the first mini-batch
 * @param iterations the mini-batches of the whole training
 */
public record CosineDecay(@JsonProperty("initial") double initial, @JsonProperty("iterations") int iterations)
        implements ISchedule {

    public CosineDecay {
        if (!(initial > 0) || iterations < 1) {
            throw new IllegalArgumentException("a cosine decay needs a positive learning rate and iterations, got "
                    + initial + " over " + iterations);
        }
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        double done = Math.min(1, Math.max(0, (double) iteration / iterations));
        return initial * 0.5 * (1 + Math.cos(Math.PI * done));
    }

    @Override
    public ISchedule clone() {
        return this;
    }
}
