package io.galapagos.config;

import io.galapagos.space.InvalidValueException;

import java.io.Serializable;

/**
 * Gradient-based search (DARTS), from a config's {@code darts} section, with {@code strategy.kind: darts}: the cell
 * space relaxed to a supernet whose edges mix every operation by {@code softmax(alpha)}, searched by first-order
 * DARTS once per seed, each seed a Spark task an epoch; each seed's derived cell is then retrained stand-alone and
 * the best by validation accuracy is the answer.
 *
 * @param seeds              independent searches, run in parallel ({@code seeds}, default 2)
 * @param epochs             epochs of each search, warm-up included ({@code epochs}, default 4)
 * @param warmupEpochs       the first epochs, in which only the network weights learn and {@code alpha} stays
 *                           uniform ({@code warmup_epochs}, default 0)
 * @param batchSize          examples per step, for the weights' and {@code alpha}'s batches ({@code batch_size},
 *                           default 64)
 * @param learningRate       SGD's initial rate for the network weights, on a cosine schedule ({@code learning_rate},
 *                           default 0.025, as DARTS)
 * @param momentum           SGD's momentum ({@code momentum}, default 0.9)
 * @param weightDecay        the weights' L2 decay ({@code weight_decay}, default 3e-4, as DARTS)
 * @param alphaLearningRate  Adam's rate for {@code alpha} ({@code alpha_learning_rate}, default 3e-4, as DARTS)
 * @param alphaWeightDecay   {@code alpha}'s L2 decay ({@code alpha_weight_decay}, default 1e-3, as DARTS)
 * @param remedy             the guard against DARTS's collapse into parameter-free cells ({@code remedy}, default
 *                           {@code early_stop})
 */
public record DartsConfig(int seeds, int epochs, int warmupEpochs, int batchSize, double learningRate, double momentum,
                          double weightDecay, double alphaLearningRate, double alphaWeightDecay, Remedy remedy)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final DartsConfig DEFAULTS = new DartsConfig(2, 4, 0, 64, 0.025, 0.9, 3e-4, 3e-4, 1e-3,
            Remedy.EARLY_STOP);

    /** What guards the search against collapse. */
    public enum Remedy {
        /** Plain first-order DARTS. */
        NONE,
        /**
         * DARTS- (Chu et al. 2021): every edge also carries a skip connection weighted by a factor that decays
         * linearly from 1 to 0 over the epochs, so that {@code alpha} need not favour {@code skip_connect} to get
         * its easy gradient path.
         */
        AUXILIARY_SKIP,
        /**
         * Early stopping on the dominance of parameter-free operations, as DARTS+ (Liang et al. 2019) stops when
         * skip connections take over: a seed stops after the first epoch (past the warm-up) whose derived cell has
         * more than half of its edges parameter-free, and its answer is the last cell it derived before.
         */
        EARLY_STOP
    }

    public DartsConfig {
        if (seeds < 1) {
            throw new InvalidValueException("seeds", seeds, "must be at least 1");
        }
        if (epochs < 1) {
            throw new InvalidValueException("epochs", epochs, "must be at least 1");
        }
        if (warmupEpochs < 0 || warmupEpochs >= epochs) {
            throw new InvalidValueException("warmup_epochs", warmupEpochs, "must be at least 0 and less than epochs ("
                    + epochs + "): alpha must learn in at least one epoch");
        }
        if (batchSize < 1) {
            throw new InvalidValueException("batch_size", batchSize, "must be at least 1");
        }
        if (!(learningRate > 0 && learningRate <= 10)) {
            throw new InvalidValueException("learning_rate", learningRate, "must be in (0, 10]");
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new InvalidValueException("momentum", momentum, "must be in [0, 1)");
        }
        if (!(alphaLearningRate > 0 && alphaLearningRate <= 10)) {
            throw new InvalidValueException("alpha_learning_rate", alphaLearningRate, "must be in (0, 10]");
        }
        if (!(weightDecay >= 0 && weightDecay <= 1) || !(alphaWeightDecay >= 0 && alphaWeightDecay <= 1)) {
            throw new InvalidValueException(weightDecay >= 0 && weightDecay <= 1 ? "alpha_weight_decay"
                    : "weight_decay", weightDecay >= 0 && weightDecay <= 1 ? alphaWeightDecay : weightDecay,
                    "must be in [0, 1]");
        }
        if (remedy == null) {
            throw new IllegalArgumentException("the remedy is required");
        }
    }
}
