package io.galapagos.driver.oneshot;

import io.galapagos.worker.spark.TrainSupernetPartFunction;
import io.galapagos.worker.supernet.SupernetPartOutcome;
import io.galapagos.worker.supernet.SupernetSpec;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Trains the supernets of a {@link SupernetSpec} on the cluster: one Spark job of one task per part (the one-shot
 * supernet, or each few-shot sub-supernet), so K sub-supernets train at once on K slots and few-shot costs about
 * the wall time of one-shot. Each task continues its part's checkpoint under the spec's folder, so running this
 * again after a killed driver trains only the epochs not yet done. Stateless.
 */
public final class SupernetTraining {

    private SupernetTraining() {
    }

    /**
     * What a training did: the warm-up's outcome (empty without one) and each part's, in part order.
     */
    public record Trained(Optional<SupernetPartOutcome> warmUp, List<SupernetPartOutcome> parts) {

        /** Slot-seconds of the warm-up and every part: the training's total compute. */
        public double slotSeconds() {
            return warmUp.map(SupernetPartOutcome::seconds).orElse(0.0)
                    + parts.stream().mapToDouble(SupernetPartOutcome::seconds).sum();
        }
    }

    /**
     * Trains every part to the spec's epochs, after the spec's warm-up (one task training the one-shot supernet the
     * parts start from) when it has one.
     */
    public static Trained run(JavaSparkContext sc, SupernetSpec spec) {
        Optional<SupernetPartOutcome> warmUp = spec.warmupEpochs() > 0
                ? Optional.of(train(sc, spec.warmUp()).get(0)) : Optional.empty();
        return new Trained(warmUp, train(sc, spec));
    }

    private static List<SupernetPartOutcome> train(JavaSparkContext sc, SupernetSpec spec) {
        List<Integer> parts = IntStream.range(0, spec.parts()).boxed().toList();
        sc.setJobGroup("supernets", "train " + parts.size() + " supernet" + (parts.size() == 1 ? "" : "s") + " of "
                + spec.epochs() + " epochs", true);
        try {
            return sc.parallelize(parts, parts.size()).map(new TrainSupernetPartFunction(spec)).collect().stream()
                    .sorted(Comparator.comparingInt(SupernetPartOutcome::part)).toList();
        } finally {
            sc.clearJobGroup();
        }
    }
}
