package io.galapagos.worker.synthetic;

import io.galapagos.config.SyntheticTrainerConfig;
import io.galapagos.space.Architecture;
import io.galapagos.space.Block;
import io.galapagos.space.CellArchitecture;
import io.galapagos.space.CellOperation;
import io.galapagos.space.Layer;
import io.galapagos.space.MacroArchitecture;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Execution;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialResult;
import io.galapagos.trial.TrialRunner;
import io.galapagos.worker.ExecutorIdentity;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.LockSupport;

/**
 * The synthetic trainer: a trial waits for a drawn duration, occupying its slot but no CPU, and answers
 * with a score that depends on the architecture alone. For scale tests and scheduling benchmarks.
 *
 * <h2>Duration and failure: functions of the candidate's seed</h2>
 * A {@link SplittableRandom} seeded with {@link Candidate#seed()} gives, always in this order, {@code u1},
 * {@code u2} (a standard normal {@code z} by Box-Muller), {@code u3} and {@code u4}, each uniform in [0, 1):
 * <pre>
 *   duration = median_seconds * exp(sigma * z) * (u3 &lt; straggler_probability ? straggler_factor : 1)
 *   failed   = u4 &lt; failure_probability
 * </pre>
 * so a rerun of the same trial waits as long and fails (or not) alike, and changing one probability does not
 * reshuffle the other draws ({@link #draw}). The wait is {@link Thread#sleep} (the last 2 ms, and waits
 * shorter than that, a {@link LockSupport#parkNanos} loop up to the deadline, so that a 1 ms trial takes
 * about 1 ms). An interrupt during the wait restores the thread's interrupt flag and throws
 * {@link CancellationException}. A median of 0 makes trials take no time at all.
 *
 * <h2>Score: a function of the architecture only</h2>
 * In [0, 0.99): {@code score = 0.98 * structure + 0.01 * h}, where {@code h} in [0, 1) is a 64-bit hash (FNV-1a,
 * then the SplitMix64 finaliser) of the canonical text {@link Architecture#text()}, so that ties are rare, and
 * {@code structure} in [0, 1] is ({@link #structure}):
 * <ul>
 *   <li>NB201 cell ({@link CellArchitecture}): the mean over the six edges of the edge's operation's worth:
 *       {@code nor_conv_3x3} 1, {@code nor_conv_1x1} 0.6, {@code skip_connect} 0.25, {@code avg_pool_3x3}
 *       0.1, {@code none} 0. The all-3x3-convolution cell is best; every swap of an edge towards a
 *       convolution climbs.</li>
 *   <li>Macro ({@link MacroArchitecture}):
 *       {@code 0.70 * (1 - exp(-C / 2)) + 0.15 * min(pools, 2) / 2 + 0.10 * bn + 0.05 * dense}, where
 *       {@code C} sums over the convolution blocks {@code min(1, log2(1 + filters) / 8) * k} with
 *       {@code k} = 1 for 3x3 kernels, 0.9 for 5x5, 0.75 otherwise (more and wider convolutions help, with
 *       diminishing returns); {@code pools} counts pooling blocks; {@code bn} is the fraction of convolution
 *       blocks with batch normalisation (0 without any); {@code dense} is 1 when there is a dense head.</li>
 * </ul>
 *
 * <h2>Result</h2>
 * {@link TrialResult.Completed} with metrics {@value SyntheticTrainerConfig#SCORE} and
 * {@value SyntheticTrainerConfig#DURATION_SECONDS} (the drawn duration, straggling included); or, for a failed
 * draw, after the same wait, {@link TrialResult.Failed} with reason {@value #FAILURE_REASON} and only the
 * duration. The execution records the executor ({@link ExecutorIdentity#executorId()}), this JVM's host and pid, and the
 * real start and finish (the executor stamps its own id afterwards). Thread-safe: it holds only the
 * immutable settings.
 */
public final class SyntheticTrialRunner implements TrialRunner {

    /** The reason of a trial that drew a failure. */
    public static final String FAILURE_REASON = "failed: synthetic failure";

    /** Waits up to this long are parked precisely rather than slept. */
    private static final long PRECISE_WAIT_NANOS = 2_000_000;
    /** Durations beyond this many nanoseconds (about 73 years) are waited as this long. */
    private static final long MAX_WAIT_NANOS = Long.MAX_VALUE / 4;

    private final SyntheticTrainerConfig config;

    public SyntheticTrialRunner(SyntheticTrainerConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("synthetic settings are required");
        }
        this.config = config;
    }

    /**
     * What a trial with this seed does.
     *
     * @param seconds   how long it takes, straggling included
     * @param straggler whether it straggles (its duration multiplied by the straggler factor)
     * @param failed    whether it fails
     */
    public record Draw(double seconds, boolean straggler, boolean failed) {
    }

    /** The draws of the trial with seed {@code seed}: a pure function of the settings and the seed. */
    public static Draw draw(SyntheticTrainerConfig config, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double u1 = random.nextDouble();
        double u2 = random.nextDouble();
        double u3 = random.nextDouble();
        double u4 = random.nextDouble();
        double z = Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
        boolean straggler = u3 < config.stragglerProbability();
        double seconds = config.medianSeconds() == 0 ? 0
                : config.medianSeconds() * Math.exp(config.sigma() * z) * (straggler ? config.stragglerFactor() : 1);
        return new Draw(seconds, straggler, u4 < config.failureProbability());
    }

    /** How long the trial with seed {@code seed} takes, in seconds: {@code draw(config, seed).seconds()}. */
    public static double duration(SyntheticTrainerConfig config, long seed) {
        return draw(config, seed).seconds();
    }

    /** The architecture's score, in [0, 0.99): see the class comment. */
    public static double score(Architecture architecture) {
        return 0.98 * structure(architecture) + 0.01 * hash(architecture.text());
    }

    /** The structural part of the score, in [0, 1]: see the class comment. */
    public static double structure(Architecture architecture) {
        if (architecture instanceof CellArchitecture cell) {
            double sum = 0;
            for (CellOperation op : cell.edges()) {
                sum += worth(op);
            }
            return sum / cell.edges().size();
        }
        if (architecture instanceof MacroArchitecture macro) {
            double capacity = 0;
            int convs = 0;
            int normalised = 0;
            int pools = 0;
            boolean dense = false;
            for (Block block : macro.blocks()) {
                Layer layer = block.layer();
                if (layer instanceof Layer.Conv conv) {
                    convs++;
                    normalised += block.batchNorm() ? 1 : 0;
                    double width = Math.min(1, Math.log(1 + conv.filters()) / Math.log(2) / 8);
                    double kernel = conv.kernel() == 3 ? 1 : conv.kernel() == 5 ? 0.9 : 0.75;
                    capacity += width * kernel;
                } else if (layer instanceof Layer.Pool) {
                    pools++;
                } else if (layer instanceof Layer.Dense) {
                    dense = true;
                }
            }
            double bn = convs == 0 ? 0 : (double) normalised / convs;
            return 0.70 * (1 - Math.exp(-capacity / 2)) + 0.15 * Math.min(pools, 2) / 2.0 + 0.10 * bn
                    + 0.05 * (dense ? 1 : 0);
        }
        throw new IllegalArgumentException("unknown kind of architecture: " + architecture);
    }

    private static double worth(CellOperation op) {
        switch (op) {
            case NOR_CONV_3X3:
                return 1;
            case NOR_CONV_1X1:
                return 0.6;
            case SKIP_CONNECT:
                return 0.25;
            case AVG_POOL_3X3:
                return 0.1;
            default:
                return 0;
        }
    }

    /** A uniform value in [0, 1) from the text: FNV-1a over its UTF-8 bytes, then the SplitMix64 finaliser. */
    static double hash(String text) {
        long h = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
        h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
        h ^= h >>> 31;
        return (h >>> 11) * 0x1.0p-53;
    }

    @Override
    public TrialResult run(Candidate candidate) {
        Draw draw = draw(config, candidate.seed());
        Instant started = Instant.now();
        await(draw.seconds(), candidate);
        Instant finished = Instant.now();
        if (finished.isBefore(started)) {
            finished = started; // the wall clock stepped back
        }
        Execution execution = ExecutorIdentity.execution(started, finished);
        if (draw.failed()) {
            return new TrialResult.Failed(candidate, FAILURE_REASON,
                    new Metrics(Map.of(SyntheticTrainerConfig.DURATION_SECONDS, draw.seconds())), execution);
        }
        return new TrialResult.Completed(candidate, new Metrics(Map.of(
                SyntheticTrainerConfig.SCORE, score(candidate.architecture()),
                SyntheticTrainerConfig.DURATION_SECONDS, draw.seconds())), execution);
    }

    /**
     * Waits {@code seconds}: sleeps while more than {@link #PRECISE_WAIT_NANOS} remain, then parks up to the
     * deadline. Interrupted, it restores the interrupt flag and throws {@link CancellationException}.
     */
    private static void await(double seconds, Candidate candidate) {
        if (!(seconds > 0)) {
            return;
        }
        long nanos = seconds * 1e9 >= MAX_WAIT_NANOS ? MAX_WAIT_NANOS : (long) (seconds * 1e9);
        long deadline = System.nanoTime() + nanos;
        for (long remaining = nanos; remaining > 0; remaining = deadline - System.nanoTime()) {
            if (remaining > PRECISE_WAIT_NANOS) {
                try {
                    Thread.sleep((remaining - PRECISE_WAIT_NANOS / 2) / 1_000_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw cancelled(candidate, seconds, e);
                }
            } else {
                LockSupport.parkNanos(remaining);
                if (Thread.currentThread().isInterrupted()) {
                    throw cancelled(candidate, seconds, null);
                }
            }
        }
    }

    private static CancellationException cancelled(Candidate candidate, double seconds, InterruptedException cause) {
        CancellationException e = new CancellationException(candidate.trialId() + " was interrupted during its "
                + seconds + " s synthetic wait");
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }
}
