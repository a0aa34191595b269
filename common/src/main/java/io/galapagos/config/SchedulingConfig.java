package io.galapagos.config;

import io.galapagos.space.InvalidValueException;

import java.io.Serializable;
import java.time.Duration;
import java.util.Locale;

/**
 * How the study keeps its slots busy, as read from a config's {@code scheduling} section (every key
 * optional). Immutable; serialisable.
 *
 * @param mode         {@link Mode#STEADY} (the default): one trial per slot in flight, the next asked for the
 *                     moment one finishes; {@link Mode#ORDERED}: the same, but results told in trial order and
 *                     candidates asked at fixed points, so that a seeded search does not depend on timing; or
 *                     {@link Mode#GENERATIONAL}: a whole generation submitted, and all of it awaited before the
 *                     next
 * @param generation   generational mode only (ignored in steady mode): trials per generation, 0 (the default)
 *                     for one per slot
 * @param trialTimeout the wall-clock deadline of one trial, from when it begins to run (its Spark task launched;
 *                     a wait for a core or an executor does not count, but one this long is cancelled too);
 *                     {@link Duration#ZERO} for none
 *                     (see {@link #hasTrialTimeout()}). Config key {@code trial_timeout_seconds}; its default is
 *                     {@link #defaultTrialTimeout(TrainerConfig)}
 * @param batching     {@link Batching#AUTO} (the default): short trials may be batched several to one Spark
 *                     task; {@link Batching#OFF}: one task per trial
 * @param batchWindow  with batching on, the most that batching may delay a result (positive; default 1 s;
 *                     config key {@code batch_window_seconds}); ignored when batching is off
 */
public record SchedulingConfig(Mode mode, int generation, Duration trialTimeout, Batching batching,
                               Duration batchWindow) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The default of {@code batch_window_seconds}. */
    public static final double DEFAULT_BATCH_WINDOW_SECONDS = 1.0;
    /** The longest {@code trial_timeout_seconds} accepted (about 116 days). */
    public static final double MAX_TRIAL_TIMEOUT_SECONDS = 1e7;
    /** The longest {@code batch_window_seconds} accepted (an hour). */
    public static final double MAX_BATCH_WINDOW_SECONDS = 3600;
    /** The least default deadline of a DL4J trial, in seconds. */
    public static final double MIN_DL4J_TRIAL_TIMEOUT_SECONDS = 120;

    /** How trials are submitted. */
    public enum Mode {
        /** Keep one trial per slot in flight; ask for the next the moment one finishes. */
        STEADY,
        /**
         * Steady, but the strategy hears results in trial order and is asked for trial {@code n} right after
         * trial {@code n - lookahead} was told: the same seed gives the same search whatever the machine's load.
         */
        ORDERED,
        /** Submit a whole generation and wait for all of it before the next. */
        GENERATIONAL;

        /** The configuration's word for it: {@code steady}, {@code generational}. */
        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Whether short trials may share a Spark task. */
    public enum Batching {
        /** Short trials may be batched several to one Spark task, delaying a result by at most the window. */
        AUTO,
        /** One Spark task per trial. */
        OFF;

        /** The configuration's word for it: {@code auto}, {@code off}. */
        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Steady state, no deadline, batching within the default window: what code that builds studies starts from. */
    public static final SchedulingConfig STEADY = new SchedulingConfig(Mode.STEADY, 0, Duration.ZERO, Batching.AUTO,
            Duration.ofMillis(Math.round(DEFAULT_BATCH_WINDOW_SECONDS * 1000)));

    public SchedulingConfig {
        if (mode == null || batching == null || trialTimeout == null || batchWindow == null) {
            throw new IllegalArgumentException("mode, trial timeout, batching and batch window are required");
        }
        if (generation < 0) {
            throw new InvalidValueException("generation", generation, "must be 0 (one trial per slot) or positive");
        }
        if (trialTimeout.isNegative()) {
            throw new InvalidValueException("trial_timeout_seconds", seconds(trialTimeout),
                    "must be 0 (no deadline) or positive");
        }
        if (batchWindow.isNegative() || batchWindow.isZero()) {
            throw new InvalidValueException("batch_window_seconds", seconds(batchWindow), "must be positive");
        }
    }

    /** Every key at its default for {@code trainer}: steady, no generation size, the trainer's timeout, batching on. */
    public static SchedulingConfig defaults(TrainerConfig trainer) {
        return new SchedulingConfig(Mode.STEADY, 0, defaultTrialTimeout(trainer), Batching.AUTO,
                ofSeconds(DEFAULT_BATCH_WINDOW_SECONDS));
    }

    /**
     * The default deadline of one trial: for DL4J training, {@code max(120 s, 3 * training.max_seconds)} (the
     * training budget is checked between mini-batches, so a trial that overruns it threefold is stuck), at most
     * {@link #MAX_TRIAL_TIMEOUT_SECONDS}, which the recorded configuration must read back within; otherwise none
     * ({@link Duration#ZERO}).
     */
    public static Duration defaultTrialTimeout(TrainerConfig trainer) {
        if (trainer instanceof Dl4jTraining dl4j) {
            return ofSeconds(Math.min(MAX_TRIAL_TIMEOUT_SECONDS,
                    Math.max(MIN_DL4J_TRIAL_TIMEOUT_SECONDS, 3 * dl4j.training().maxSeconds())));
        }
        return Duration.ZERO;
    }

    public SchedulingConfig withTrialTimeout(Duration timeout) {
        return new SchedulingConfig(mode, generation, timeout, batching, batchWindow);
    }

    public SchedulingConfig withBatching(Batching newBatching) {
        return new SchedulingConfig(mode, generation, trialTimeout, newBatching, batchWindow);
    }

    /** Results told in trial order ({@link Mode#ORDERED}), the other settings kept. */
    public SchedulingConfig ordered() {
        return new SchedulingConfig(Mode.ORDERED, 0, trialTimeout, batching, batchWindow);
    }

    /** Generations of {@code size} trials (0: one per slot). */
    public SchedulingConfig generational(int size) {
        return new SchedulingConfig(Mode.GENERATIONAL, size, trialTimeout, batching, batchWindow);
    }

    /** Whether each generation is awaited whole before the next starts. */
    public boolean isGenerational() {
        return mode == Mode.GENERATIONAL;
    }

    /** Whether trials have a deadline ({@link #trialTimeout()} is positive). */
    public boolean hasTrialTimeout() {
        return !trialTimeout.isZero();
    }

    /** Whether results are told in trial order, at points that do not depend on timing. */
    public boolean isOrdered() {
        return mode == Mode.ORDERED;
    }

    /** Whether short trials may be batched several to one Spark task. */
    public boolean batchingEnabled() {
        return batching == Batching.AUTO;
    }

    /** A duration of {@code seconds} (finite, not negative), to the nanosecond. */
    public static Duration ofSeconds(double seconds) {
        if (!(seconds >= 0 && seconds <= Long.MAX_VALUE / 1e9)) {
            throw new IllegalArgumentException("seconds must be between 0 and " + (Long.MAX_VALUE / 1e9) + ", got "
                    + seconds);
        }
        return Duration.ofNanos(Math.round(seconds * 1e9));
    }

    /** {@code duration} in seconds, as the configuration writes it. */
    public static double seconds(Duration duration) {
        return duration.getSeconds() + duration.getNano() / 1e9;
    }
}
