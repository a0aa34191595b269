package io.galapagos.driver.checkpoint;

import io.galapagos.config.Dl4jTrainerConfig;
import io.galapagos.config.TextTrainerConfig;
import io.galapagos.config.TrainerConfig;
import io.galapagos.config.SearchConfig;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A hash of everything that decides what training an architecture yields: the trainer's configuration (data,
 * budget, optimiser settings, constraints; or the benchmark table and its columns; or the synthetic settings), not
 * what the search optimises, and the seed policy (each trial's seed derives from the study seed and the trial
 * number). Two searches with equal keys would train an architecture alike, so one's result can answer the other's
 * candidate.
 */
public final class TrainingKey {

    /** Names the seed policy in the key, so that changing the policy changes every key. */
    static final String SEED_POLICY = "trial seed = seedFor(study seed, trial number)";

    private TrainingKey() {
    }

    public static String of(SearchConfig config) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(training(config.trainer()).getBytes(StandardCharsets.UTF_8));
            sha.update(SEED_POLICY.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /**
     * A DL4J trainer's data and training settings without its objectives, in the text its record had before it had
     * objectives, so that outputs written then keep their keys; any other trainer's whole configuration.
     */
    private static String training(TrainerConfig trainer) {
        if (trainer instanceof Dl4jTrainerConfig images) {
            return "Dl4jTrainerConfig[data=" + images.data() + ", training=" + images.training() + "]";
        }
        if (trainer instanceof TextTrainerConfig text) {
            return "TextTrainerConfig[data=" + text.data() + ", training=" + text.training() + "]";
        }
        return trainer.toString();
    }
}
