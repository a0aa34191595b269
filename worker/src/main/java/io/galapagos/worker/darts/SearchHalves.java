package io.galapagos.worker.darts;

import io.galapagos.worker.data.ImageDataset;

/**
 * The data a DARTS search learns from, both halves of the training split, as DARTS holds out half of CIFAR-10's
 * training set for {@code alpha} (Liu et al. 2019, section 3.1): {@code weights} for the network weights' steps,
 * {@code alpha} for {@code alpha}'s. The study's validation split stays unseen until the retrained cells are ranked
 * on it, so that ranking (and the answer's validation accuracy) is not biased by {@code alpha} having been fitted to
 * the same examples.
 */
public record SearchHalves(ImageDataset weights, ImageDataset alpha) {

    /**
     * Cuts {@code train} in its own order, which the split has already shuffled with its seed: the first half (the
     * larger, for an odd count) for the weights, the rest for {@code alpha}.
     *
     * @throws IllegalArgumentException when {@code train} has fewer than 2 examples
     */
    public static SearchHalves of(ImageDataset train) {
        if (train.size() < 2) {
            throw new IllegalArgumentException("DARTS needs at least 2 training examples, one for each half, got "
                    + train.size());
        }
        int cut = (train.size() + 1) / 2;
        return new SearchHalves(train.range(0, cut), train.range(cut, train.size()));
    }
}
