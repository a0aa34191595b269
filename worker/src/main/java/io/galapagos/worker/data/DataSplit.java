package io.galapagos.worker.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The three parts a trial uses: {@code train} to fit, {@code validation} to score candidates (what the
 * search optimises), {@code test} to report only. None is empty, and all three have the same image shape
 * and number of classes, at least 2. Immutable; thread-safe.
 */
public record DataSplit(ImageDataset train, ImageDataset validation, ImageDataset test) implements Splits {

    public DataSplit {
        if (train == null || validation == null || test == null) {
            throw new IllegalArgumentException("train, validation and test are required");
        }
        if (train.size() < 1 || validation.size() < 1 || test.size() < 1) {
            throw new IllegalArgumentException("no part may be empty: train " + train.size() + ", validation "
                    + validation.size() + ", test " + test.size() + " examples");
        }
        if (!train.sameShape(validation) || !train.sameShape(test)) {
            throw new IllegalArgumentException("images differ in shape: train " + train.shapeText() + ", validation "
                    + validation.shapeText() + ", test " + test.shapeText());
        }
        if (train.classes() != validation.classes() || train.classes() != test.classes()) {
            throw new IllegalArgumentException("class counts differ: train " + train.classes() + ", validation "
                    + validation.classes() + ", test " + test.classes());
        }
        if (train.classes() < 2) {
            throw new IllegalArgumentException("a classifier needs at least 2 classes, the labels give "
                    + train.classes());
        }
    }

    /**
     * Splits {@code trainingExamples}: keeps {@code trainLimit} of them drawn at random (all when 0; {@link #kept}),
     * in their shuffled order, and holds out the last {@code validationFraction} share (rounded, at least one
     * example, and at least one left to train on) for validation. The same inputs always give the same
     * split. Classes become the larger of the two sets' counts, so a label missing from one set still
     * has its output.
     *
     * @throws IllegalArgumentException when the shapes differ, the fraction is not in (0, 1), the test
     *                                  set is empty, or fewer than two training examples remain
     */
    public static DataSplit of(ImageDataset trainingExamples, ImageDataset test, double validationFraction,
                               int trainLimit, long seed) {
        if (!trainingExamples.sameShape(test)) {
            throw new IllegalArgumentException("training images are " + trainingExamples.shapeText()
                    + " but test images are " + test.shapeText());
        }
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in (0, 1), got " + validationFraction);
        }
        int[] order = kept(trainingExamples.size(), trainLimit, seed);
        int n = order.length;
        if (n < 2) {
            throw new IllegalArgumentException("need at least 2 training examples to hold some out for "
                    + "validation, have " + n);
        }
        int held = (int) Math.min(n - 1, Math.max(1, Math.round(n * validationFraction)));
        int[] trainIndices = new int[n - held];
        int[] validationIndices = new int[held];
        System.arraycopy(order, 0, trainIndices, 0, n - held);
        System.arraycopy(order, n - held, validationIndices, 0, held);
        int classes = Math.max(trainingExamples.classes(), test.classes());
        return new DataSplit(trainingExamples.select(trainIndices, classes),
                trainingExamples.select(validationIndices, classes), test.withClasses(classes));
    }

    /**
     * The indices of the {@code trainLimit} examples of {@code size} that a split with {@code seed} keeps (all when
     * 0), in their shuffled order: the first of one seeded shuffle of all, so that a limit draws its examples at
     * random (a file sorted by class keeps its classes) and no limit shuffles as before.
     */
    public static int[] kept(int size, int trainLimit, long seed) {
        if (trainLimit < 0) {
            throw new IllegalArgumentException("train limit must be 0 (all) or positive, got " + trainLimit);
        }
        int[] order = ExampleOrder.shuffled(size, new SplittableRandom(seed));
        return trainLimit == 0 || trainLimit >= size ? order : Arrays.copyOf(order, trainLimit);
    }
}
