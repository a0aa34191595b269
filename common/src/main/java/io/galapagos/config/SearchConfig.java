package io.galapagos.config;

import io.galapagos.space.InvalidValueException;
import io.galapagos.space.SearchSpace;
import io.galapagos.trial.Objective;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Everything a search needs, as loaded from YAML by {@link ConfigLoader}.
 *
 * @param name        a label for logs and reports, and the default output folder's name ({@code runs/<name>-<time>}):
 *                    so a plain name (see {@link #NAME})
 * @param seed        the study seed; per-trial seeds derive from it
 * @param trials      how many candidates to train in total
 * @param maxTime     the wall-clock budget of a session ({@code max_minutes}): once it has passed, no new trial
 *                    starts and those in flight finish; {@link Duration#ZERO} for none
 * @param parallelism how many trials run at once; 0 means the number of Spark task slots (or, in process,
 *                    of available processors)
 * @param executor    where trials run: Spark tasks, or threads of the driver's JVM
 * @param strategy    how candidates are proposed
 * @param space       the architectures to search: the macro space or the NB201 cell space
 * @param trainer     DL4J training, a tabular benchmark's look-up, or synthetic trials
 * @param spark       the Spark master and settings
 * @param scheduling  how trials are submitted to the slots: steady or by generation, the trial deadline,
 *                    batching of short trials (the {@code scheduling} section; see {@link SchedulingConfig})
 * @param recovery    snapshots, journal durability and the failure rate that stops a study (the
 *                    {@code recovery} section; see {@link RecoveryConfig})
 * @param oneshot     weight sharing (the {@code oneshot} section; see {@link OneShotConfig}): candidates are
 *                    measured on supernets and the best retrained; empty when every candidate is trained
 */
public record SearchConfig(String name, long seed, int trials, Duration maxTime, int parallelism,
                           ExecutorKind executor, StrategyConfig strategy, SearchSpace space, TrainerConfig trainer,
                           SparkSettings spark, SchedulingConfig scheduling, RecoveryConfig recovery,
                           Optional<OneShotConfig> oneshot, Optional<DartsConfig> darts) {

    /** Where trials run. */
    public enum ExecutorKind {
        /** One Spark job per trial, on whatever master the configuration or command line names. */
        SPARK,
        /** A pool of threads in the driver's JVM, no Spark at all: for tabular benchmarks and tests. */
        IN_PROCESS;

        /** The configuration's word for it: {@code spark}, {@code in_process}. */
        public String text() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * What a name may be: letters, digits, '.', '_' and '-', not starting with '.', at most 100 characters. It becomes a
     * folder name, so no separators ({@code ../../elsewhere} would put the output two folders above {@code runs/}),
     * no hidden or {@code ..} folder, nothing a file system or shell treats specially.
     */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}");

    public SearchConfig {
        if (name == null || !NAME.matcher(name).matches()) {
            throw InvalidValueException.ofText("name", String.valueOf(name), "is not a plain name: use letters, digits, '.', "
                    + "'_' and '-', not starting with '.', at most 100 characters (it names the output folder)");
        }
        if (trials < 1 || trials > 1_000_000) {
            throw new InvalidValueException("trials", trials, "must be between 1 and 1000000");
        }
        if (maxTime == null || maxTime.isNegative()) {
            throw new IllegalArgumentException("the time budget must be zero (none) or positive, got " + maxTime);
        }
        if (parallelism < 0 || parallelism > 100_000) {
            throw new InvalidValueException("parallelism", parallelism, "must be 0 (one per task slot) or positive");
        }
        if (executor == null || space == null || trainer == null || scheduling == null || recovery == null
                || oneshot == null || darts == null) {
            throw new IllegalArgumentException("executor, space, trainer, scheduling, recovery, oneshot and darts "
                    + "(empty without weight sharing) are required");
        }
        if (darts.isPresent() != (strategy.kind() == StrategyConfig.Kind.DARTS) || (darts.isPresent()
                && oneshot.isPresent())) {
            throw new IllegalArgumentException("darts settings go with strategy.kind darts, and without oneshot");
        }
    }

    /** The study's objectives (see {@link TrainerConfig#objectives()}). */
    public List<Objective> objectives() {
        return trainer.objectives();
    }

    /** The primary objective: what single-objective strategies, progress and leaderboard rank by. */
    public Objective objective() {
        return trainer.objective();
    }
}
