package io.galapagos.driver.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import io.galapagos.config.Dl4jTrainerConfig;
import io.galapagos.config.TextTrainerConfig;
import io.galapagos.config.TrainerConfig;
import io.galapagos.config.SearchConfig;
import io.galapagos.driver.results.OutputException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A hash of everything that decides what training an architecture yields: the trainer's configuration (data,
 * budget, optimiser settings, constraints; or the benchmark table and its columns; or the synthetic settings), not
 * what the search optimises, and the seed policy (each trial's seed derives from the study seed and the trial
 * number), and for a search with a {@code train_limit} how the limit picks its examples. Two searches with equal keys
 * would train an architecture alike, so one's result can answer the other's candidate.
 */
public final class TrainingKey {

    /** Names the seed policy in the key, so that changing the policy changes every key. */
    static final String SEED_POLICY = "trial seed = seedFor(study seed, trial number)";
    /**
     * Names how {@code train_limit} picks its examples, in the keys of searches with a limit only: they took the first
     * of the file before, and a result trained on those answers nothing now.
     */
    static final String LIMIT_POLICY = "train_limit: the first of one seeded shuffle of all examples";

    private TrainingKey() {
    }

    public static String of(SearchConfig config) {
        return hash(config, limited(config.trainer()));
    }

    /**
     * Refuses to go on with a search whose study record ({@code study}) was written when {@code train_limit} took the
     * first examples of the file: its trials trained on other examples than this version's would.
     *
     * @param location the search's output, as messages name it
     */
    public static void checkLimitPolicy(JsonNode study, SearchConfig config, String location) {
        if (limited(config.trainer()) && study.path("training_key").asText("").equals(hash(config, false))) {
            throw new OutputException(location, "was searched when train_limit took the first examples of the training "
                    + "file; this version draws them at random, so its trials would train on other examples: go on with "
                    + "the version that started it, or start a new search (--warm-start still tells it these results)");
        }
    }

    private static boolean limited(TrainerConfig trainer) {
        return trainer instanceof Dl4jTrainerConfig images && images.data().trainLimit() > 0;
    }

    private static String hash(SearchConfig config, boolean limitPolicy) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(training(config.trainer()).getBytes(StandardCharsets.UTF_8));
            sha.update(SEED_POLICY.getBytes(StandardCharsets.UTF_8));
            if (limitPolicy) {
                sha.update(LIMIT_POLICY.getBytes(StandardCharsets.UTF_8));
            }
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
