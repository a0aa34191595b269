package io.galapagos.driver.job;

import io.galapagos.config.SparkSettings;
import io.galapagos.config.TrainingConfig;
import io.galapagos.driver.execution.SparkContexts;
import io.galapagos.driver.execution.SparkTrialExecutor;
import io.galapagos.space.Architecture;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialResult;
import io.galapagos.worker.ExecutorIdentity;
import io.galapagos.worker.data.Splits;
import io.galapagos.worker.spark.GuardedTrialRun;
import io.galapagos.worker.training.Dl4jRunnerFactory;
import io.galapagos.worker.training.Dl4jTrialRunner;
import io.galapagos.worker.training.TrainingData;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * Trains one architecture as a search would train a candidate, and says how well and how fast: to re-check
 * a leaderboard entry, to train a hand-written baseline beside a search's winners, and to measure the
 * trainer. The candidate is trial 0 of the configuration's seed, so its weights and example order are those
 * trial 0 of a search would get. By default it runs in this JVM on {@code threads} native threads; with a
 * master URL, as one Spark job on that master, with the task's cores. Stateless.
 */
public final class TrainJob {

    private TrainJob() {
    }

    /**
     * @param master a Spark master URL, or null to train in this JVM
     * @param threads native threads when training in this JVM
     */
    public static TrialResult run(TrainingData<?> data, TrainingConfig training, Architecture architecture, long seed,
                                  String master, int threads, PrintWriter out) throws IOException, InterruptedException {
        Splits split = data.load();
        out.printf(Locale.ROOT, "Training %s on %,d examples (%,d validation, %,d test): %d epochs of batches of %d, %s%n",
                architecture.text(), split.train().size(), split.validation().size(), split.test().size(),
                training.epochs(), training.batchSize(),
                master == null ? threads + " native thread" + (threads == 1 ? "" : "s") + " in this JVM"
                        : "one Spark task on " + master);
        out.flush();
        Candidate candidate = new Candidate(0, architecture, Candidate.seedFor(seed, 0));
        TrialResult result = master == null
                ? GuardedTrialRun.run(new Dl4jTrialRunner(data, training, threads, null), candidate,
                ExecutorIdentity.IN_PROCESS)
                : onSpark(new Dl4jRunnerFactory(data, training, null), candidate, master);
        report(result, split.train().size(), out);
        return result;
    }

    private static TrialResult onSpark(Dl4jRunnerFactory factory, Candidate candidate, String master)
            throws InterruptedException {
        JavaSparkContext sc = SparkContexts.create(new SparkSettings(master, Map.of()), "galapagos train");
        try (SparkTrialExecutor executor = new SparkTrialExecutor(sc, factory)) {
            return executor.submit(candidate).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the Spark job could not train it: " + e.getCause(), e.getCause());
        } finally {
            sc.stop();
        }
    }

    private static void report(TrialResult result, int trainExamples, PrintWriter out) {
        Metrics m = result.metrics();
        if (!(result instanceof TrialResult.Completed)) {
            out.printf(Locale.ROOT, "%s: %s%n", result.status(), result.reason());
        }
        if (m.get(Metrics.VAL_ACCURACY).isPresent()) {
            out.printf(Locale.ROOT, "val_accuracy %.4f  test_accuracy %.4f  params %,d  flops %,d  latency_ms %.3f%n",
                    m.require(Metrics.VAL_ACCURACY), m.require(Metrics.TEST_ACCURACY), (long) m.require(Metrics.PARAMS),
                    (long) m.require(Metrics.FLOPS), m.require(Metrics.LATENCY_MS));
        }
        if (m.get(Metrics.TRAIN_SECONDS).isPresent() && m.require(Metrics.EPOCHS) > 0) {
            double seconds = m.require(Metrics.TRAIN_SECONDS);
            double epochs = m.require(Metrics.EPOCHS);
            out.printf(Locale.ROOT, "training: %.2f epochs in %.2f s: %.2f s per epoch, %,.0f examples/s%s%n", epochs,
                    seconds, seconds / epochs, epochs * trainExamples / seconds,
                    m.get(Metrics.TIME_CAPPED).isPresent() ? " (cut by training.max_seconds)" : "");
        }
        out.flush();
    }
}
