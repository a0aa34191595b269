package io.galapagos.driver.oneshot;

import io.galapagos.config.SchedulingConfig;
import io.galapagos.config.SearchConfig;
import io.galapagos.driver.checkpoint.CachingTrialExecutor;
import io.galapagos.driver.execution.SparkTrialExecutor;
import io.galapagos.driver.execution.TrialExecutor;
import io.galapagos.driver.job.StudyStoppedException;
import io.galapagos.driver.results.Journal;
import io.galapagos.driver.strategy.SearchStrategy;
import io.galapagos.driver.study.FailureGuard;
import io.galapagos.driver.study.ProgressPrinter;
import io.galapagos.driver.study.Study;
import io.galapagos.driver.study.StudyOutcome;
import io.galapagos.driver.study.StudyStart;
import io.galapagos.driver.study.TrialBudget;
import io.galapagos.trial.TrialResult;
import io.galapagos.trial.TrialRunnerFactory;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * Runs one phase's trials of a weight-sharing search as an ordinary study over Spark: journaled with the phase's
 * tag, printed as they end, stopped by the configuration's failure guard, and answered from an earlier session's
 * results where the journal holds them (nothing is measured or trained twice). Stateless.
 */
final class PhaseStudy {

    private PhaseStudy() {
    }

    /**
     * @param firstNumber the number of the phase's first trial (trial ids run on across phases)
     * @throws StudyStoppedException when too many trials failed
     */
    static List<TrialResult> run(JavaSparkContext sc, SearchConfig config, TrialRunnerFactory factory,
                                 SearchStrategy strategy, int trials, int firstNumber, Phase phase,
                                 EarlierResults earlier, Journal journal, PrintStream out)
            throws InterruptedException {
        FailureGuard guard = new FailureGuard(config.recovery().maxFailureRate(), config.recovery().failureRateAfter());
        Map<String, TrialResult> recorded = earlier.of(phase);
        try (TrialExecutor spark = new SparkTrialExecutor(sc, factory)) {
            TrialExecutor executor = recorded.isEmpty() ? spark : new CachingTrialExecutor(spark, recorded.values());
            Study study = new Study(strategy, executor, TrialBudget.of(trials), config.parallelism(), config.seed(),
                    List.of(new PhaseJournal(journal, phase), new ProgressPrinter(out, config.objectives(), List.of()), guard),
                    guard, scheduling(config, phase), new StudyStart(List.of(), List.of(), firstNumber));
            StudyOutcome outcome = study.run();
            if (guard.verdict().isPresent()) {
                throw new StudyStoppedException(guard.verdict().get());
            }
            return outcome.results();
        }
    }

    /**
     * The search phase tells its strategy results in trial order whatever the configuration's mode: resumed, its
     * results come back from the journal in trial order, and its strategy must be asked what the first session asked
     * it. The other phases train fixed lists, whose order no result changes, so they keep the configuration's mode.
     */
    private static SchedulingConfig scheduling(SearchConfig config, Phase phase) {
        return phase == Phase.SEARCH ? config.scheduling().ordered() : config.scheduling();
    }
}
