package io.galapagos.driver.job;

import io.galapagos.config.ConfigException;
import io.galapagos.config.Constraints;
import io.galapagos.config.TrainingConfig;
import io.galapagos.space.SearchSpace;
import io.galapagos.worker.network.InfeasibleNetworkException;
import io.galapagos.worker.network.NetworkBuilder;
import io.galapagos.worker.network.NetworkInput;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Checks, before anything starts, that some architecture of the space meets the analytic constraints (parameters,
 * FLOPs, the memory figures): draws up to {@value #SAMPLES} architectures, seeded, and costs each from its layout as
 * the driver's screen and the executors do; the first that fits ends the check. A bound out of the space's reach
 * (max_params given in millions, say) would otherwise have every candidate refused, and the search end having trained
 * nothing. Only for constraints that {@link Constraints#boundTheLayout() bound the layout}. Stateless.
 */
final class ConstraintReach {

    /** How many architectures are drawn before the bounds are taken to be out of reach. */
    static final int SAMPLES = 500;

    private ConstraintReach() {
    }

    /**
     * @throws ConfigException naming the bound that no drawn architecture met, with the least figure drawn; or the
     *                         {@code constraints} section when each bound is met by some architecture but none meets
     *                         them all
     */
    static void check(String source, SearchSpace space, NetworkInput input, TrainingConfig training, long seed) {
        Constraints constraints = training.constraints();
        NetworkBuilder builder = NetworkBuilder.costing(training);
        SplittableRandom rng = new SplittableRandom(seed);
        Map<Constraints.Limit, Double> least = new EnumMap<>(Constraints.Limit.class);
        for (int drawn = 0; drawn < SAMPLES; drawn++) {
            try {
                builder.cost(space.sample(rng), input, training.batchSize());
                return;
            } catch (InfeasibleNetworkException e) {
                for (Constraints.Bound bound : constraints.bounds()) {
                    e.metrics().get(bound.limit().metric).ifPresent(value ->
                            least.merge(bound.limit(), value / bound.limit().unit, Math::min));
                }
            }
        }
        for (Constraints.Bound bound : constraints.bounds()) {
            Double smallest = least.get(bound.limit());
            if (bound.limit().analytic && smallest != null && smallest > bound.maximum()) {
                throw new ConfigException(source, "constraints." + bound.limit().key, String.format(Locale.ROOT,
                        "%s is below every one of %d architectures drawn from the space (the least had %s): no "
                                + "candidate could be trained; is it in the key's unit?",
                        Constraints.number(bound.maximum()), SAMPLES, Constraints.number(smallest)));
            }
        }
        throw new ConfigException(source, "constraints", "none of " + SAMPLES + " architectures drawn from the space "
                + "meets these bounds together, or builds at all: no candidate could be trained");
    }
}
