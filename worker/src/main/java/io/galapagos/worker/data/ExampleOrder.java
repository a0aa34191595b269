package io.galapagos.worker.data;

import java.util.SplittableRandom;

/**
 * Seeded orders of examples: the one Fisher-Yates shuffle that both the data split and the per-epoch
 * mini-batch order use, so that the same seed gives the same order on every JVM. Stateless; thread-safe
 * (each caller brings its own random source).
 */
public final class ExampleOrder {

    private ExampleOrder() {
    }

    /** 0..n-1 in an order drawn from {@code random}. */
    public static int[] shuffled(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        shuffle(order, random);
        return order;
    }

    /** Shuffles {@code order} in place. */
    public static void shuffle(int[] order, SplittableRandom random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}
