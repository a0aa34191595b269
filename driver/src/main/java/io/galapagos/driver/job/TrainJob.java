package io.galapagos.driver.job;

import io.galapagos.config.SparkSettings;
import io.galapagos.config.TrainingConfig;
import io.galapagos.driver.execution.SparkContexts;
import io.galapagos.driver.execution.SparkTrialExecutor;
import io.galapagos.driver.results.Spread;
import io.galapagos.space.Architecture;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialResult;
import io.galapagos.worker.ExecutorIdentity;
import io.galapagos.worker.HadoopFileSystems;
import io.galapagos.worker.data.Splits;
import io.galapagos.worker.spark.GuardedTrialRun;
import io.galapagos.worker.training.Dl4jRunnerFactory;
import io.galapagos.worker.training.Dl4jTrialRunner;
import io.galapagos.worker.training.HardwareSignature;
import io.galapagos.worker.training.TrainingData;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Trains one architecture as a search would train a candidate, and says how well and how fast: to re-check
 * a leaderboard entry, to train a hand-written baseline beside a search's winners, and to measure the
 * trainer. The candidate is trial 0 of the configuration's seed, so its weights and example order are those
 * trial 0 of a search would get; with {@code repeats} above one, trials 0 to {@code repeats - 1}, the same network
 * trained from as many seeds, and the spread of their accuracies: a search's best trial is the best of many draws,
 * and a retraining is one more draw. By default it runs in this JVM on {@code threads} native threads; with a
 * master URL, as Spark jobs on that master, one task per training, with the task's cores. Stateless.
 */
public final class TrainJob {

    private TrainJob() {
    }

    /**
     * @param repeats trainings of the architecture, from the seeds of trials 0 to {@code repeats - 1}
     * @param master  a Spark master URL, or null to train in this JVM
     * @param sparkConf the configuration's {@code spark.conf}: the Spark context starts with it, as a search's does
     * @param threads native threads when training in this JVM
     * @return the results, in trial order
     */
    public static List<TrialResult> run(TrainingData<?> data, TrainingConfig training, Architecture architecture,
                                        long seed, int repeats, String master, Map<String, String> sparkConf,
                                        int threads, PrintWriter out)
            throws IOException, InterruptedException {
        // loaded here with the configuration's Hadoop settings, which training in this JVM then finds loaded
        Splits split = data.load(HadoopFileSystems.configuration(sparkConf));
        out.printf(Locale.ROOT, "Training %s on %,d examples (%,d validation, %,d test): %d epochs of batches of %d, "
                        + "%s%s%n",
                architecture.text(), split.train().size(), split.validation().size(), split.test().size(),
                training.epochs(), training.batchSize(),
                master == null ? threads + " native thread" + (threads == 1 ? "" : "s") + " in this JVM"
                        + HardwareSignature.blasKernels().map(k -> ", " + k).orElse("")
                        : "one Spark task each on " + master,
                repeats == 1 ? "" : "; " + repeats + " times, from the seeds of trials 0 to " + (repeats - 1));
        out.flush();
        List<Candidate> candidates = IntStream.range(0, repeats)
                .mapToObj(i -> new Candidate(i, architecture, Candidate.seedFor(seed, i))).toList();
        List<TrialResult> results = new ArrayList<>();
        Consumer<TrialResult> done = result -> {
            report(result, repeats, split.train().size(), out);
            results.add(result);
        };
        if (master == null) {
            Dl4jTrialRunner runner = new Dl4jTrialRunner(data, training, threads, null);
            for (Candidate candidate : candidates) {
                done.accept(GuardedTrialRun.run(runner, candidate, ExecutorIdentity.IN_PROCESS));
            }
        } else {
            onSpark(new Dl4jRunnerFactory(data, training, null), candidates, new SparkSettings(master, sparkConf), done);
        }
        if (repeats > 1) {
            summarise(results, out);
        }
        return results;
    }

    /** Trains every candidate at once, as many at a time as the master has task slots; tells each in order. */
    private static void onSpark(Dl4jRunnerFactory factory, List<Candidate> candidates, SparkSettings spark,
                                Consumer<TrialResult> done) throws InterruptedException {
        JavaSparkContext sc = SparkContexts.create(spark, "galapagos train");
        try (SparkTrialExecutor executor = new SparkTrialExecutor(sc, factory)) {
            List<Future<TrialResult>> running = new ArrayList<>();
            for (Candidate candidate : candidates) {
                running.add(executor.submit(candidate));
            }
            for (Future<TrialResult> result : running) {
                done.accept(result.get());
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("the Spark job could not train it: " + e.getCause(), e.getCause());
        } finally {
            sc.stop();
        }
    }

    private static void report(TrialResult result, int repeats, int trainExamples, PrintWriter out) {
        Metrics m = result.metrics();
        String which = repeats == 1 ? "" : result.candidate().trialId() + ": ";
        if (!(result instanceof TrialResult.Completed)) {
            out.printf(Locale.ROOT, "%s%s: %s%n", which, result.status(), result.reason());
        }
        if (m.get(Metrics.VAL_ACCURACY).isPresent()) {
            out.printf(Locale.ROOT, "%sval_accuracy %.4f  test_accuracy %.4f  params %,d  flops %,d  latency_ms %.3f%n",
                    which, m.require(Metrics.VAL_ACCURACY), m.require(Metrics.TEST_ACCURACY),
                    (long) m.require(Metrics.PARAMS), (long) m.require(Metrics.FLOPS), m.require(Metrics.LATENCY_MS));
        }
        if (m.get(Metrics.TRAIN_SECONDS).isPresent() && m.require(Metrics.EPOCHS) > 0) {
            double seconds = m.require(Metrics.TRAIN_SECONDS);
            double epochs = m.require(Metrics.EPOCHS);
            out.printf(Locale.ROOT, "%straining: %.2f epochs in %.2f s: %.2f s per epoch, %,.0f examples/s%s%n", which,
                    epochs, seconds, seconds / epochs, epochs * trainExamples / seconds,
                    m.get(Metrics.TIME_CAPPED).isPresent() ? " (cut by training.max_seconds)" : "");
        }
        out.flush();
    }

    /** The mean, sample standard deviation and range of the completed trainings' accuracies. */
    private static void summarise(List<TrialResult> results, PrintWriter out) {
        List<Metrics> completed = results.stream().filter(r -> r instanceof TrialResult.Completed)
                .map(TrialResult::metrics).toList();
        out.printf(Locale.ROOT, "Over %d of %d trainings that completed:", completed.size(), results.size());
        for (String metric : List.of(Metrics.VAL_ACCURACY, Metrics.TEST_ACCURACY)) {
            if (!completed.isEmpty()) {
                Spread spread = Spread.of(completed.stream().mapToDouble(m -> m.require(metric)).toArray());
                out.printf(Locale.ROOT, "  %s mean %.4f sd %.4f (%.4f to %.4f)", metric, spread.mean(), spread.sd(),
                        spread.min(), spread.max());
            }
        }
        out.println();
        out.flush();
    }
}
