package io.galapagos.driver.export;

import io.galapagos.config.TrainingConfig;
import io.galapagos.worker.data.Splits;
import io.galapagos.worker.training.FullDataTraining;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How many epochs an export trains, and why: the number asked ({@code --epochs}), or the epoch at which the trial's
 * own training split, trained as the export trains, scored best on the trial's validation split (early stopping, then
 * retraining on all the data for as many epochs: Goodfellow, Bengio and Courville, "Deep Learning", 2016, algorithm
 * 7.2). The retraining anneals its learning rate over the epochs chosen, so that the export is the one {@code --epochs}
 * would give with that number and ends its schedule; stopping instead at the best epoch of the curve's own, longer
 * schedule measured the same within the noise, on two answers (README, "Export"). A network trained twice as long
 * as its trial, annealed, lifted one image export to its search's figure and cost a text export 8 points; the curve
 * is there to tell the two apart. Immutable.
 *
 * @param epochs  the epochs to train
 * @param most    the most epochs the curve tried ({@code epochs} when asked)
 * @param curve   the validation accuracy after each of those epochs, empty when asked
 * @param seconds how long measuring the curve took
 */
record EpochChoice(int epochs, int most, List<Double> curve, double seconds) {

    EpochChoice {
        curve = List.copyOf(curve);
        if (epochs < 1 || epochs > most) {
            throw new IllegalArgumentException("epochs must be in [1, " + most + "], got " + epochs);
        }
    }

    static EpochChoice asked(int epochs) {
        return new EpochChoice(epochs, epochs, List.of(), 0);
    }

    /** Whether the epochs come from a validation curve. */
    boolean validated() {
        return !curve.isEmpty();
    }

    /**
     * Trains {@code graph} on {@code trials}' training split for all of {@code settings}' epochs, measures it on the
     * validation split after each, and chooses the first epoch with the best accuracy.
     */
    static EpochChoice validate(ComputationGraph graph, Splits trials, TrainingConfig settings, long seed,
                                ExportTraining training, PrintStream out) {
        out.printf(Locale.ROOT, "Choosing the epochs: up to %d on the trial's %,d training examples, measured on its "
                + "%,d validation examples after each%n", settings.epochs(), trials.train().size(),
                trials.validation().size());
        long started = System.nanoTime();
        List<Double> curve = new ArrayList<>();
        training.train(graph, trials.train(), settings, seed, (network, done) -> {
            double accuracy = FullDataTraining.accuracy(network, trials.validation());
            curve.add(accuracy);
            out.printf(Locale.ROOT, "  epoch %d: validation accuracy %.4f%n", done, accuracy);
        });
        int best = 0;
        for (int i = 1; i < curve.size(); i++) {
            best = curve.get(i) > curve.get(best) ? i : best;
        }
        return new EpochChoice(best + 1, settings.epochs(), curve, (System.nanoTime() - started) / 1e9);
    }
}
