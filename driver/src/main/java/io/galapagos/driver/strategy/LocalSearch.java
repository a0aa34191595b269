package io.galapagos.driver.strategy;

import io.galapagos.space.Architecture;
import io.galapagos.space.SearchSpace;
import io.galapagos.trial.Objective;
import io.galapagos.trial.TrialResult;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Best-improvement local search with random restarts (White et al. 2021, "Local search is state of the
 * art for NAS benchmarks"). It starts from the best of {@code initialSamples} random architectures, proposes
 * every one-choice neighbour of the current centre ({@link SearchSpace#neighbours}, at most
 * {@value #NEIGHBOURHOOD}), and once all of them are told moves to the best one if it beats the centre. At a
 * local optimum it restarts from the best random sample told since the last (re)start, or from a fresh one when
 * there is none.
 *
 * <p>Asynchronous: while the neighbourhood of the centre is proposed but not yet fully told, extra asks
 * explore random samples, which also compete to be the next restart point. Failed and infeasible
 * neighbours count as evaluated and never become the centre.
 */
public final class LocalSearch implements SearchStrategy {

    private static final long serialVersionUID = 1L;

    /** Most neighbours examined per centre (all of them in NB201, where a cell has 24). */
    static final int NEIGHBOURHOOD = 30;

    private final SearchSpace space;
    private final Objective objective;
    private final int initialSamples;
    private final Random rng;
    private final ProposalHistory history = new ProposalHistory();
    /** Fitness of every told architecture, by text. */
    private final Map<String, Double> fitness = new HashMap<>();
    /** Random samples told since the last (re)start; the best becomes the next centre. */
    private final List<Architecture> restartPool = new ArrayList<>();
    private final Deque<Architecture> queue = new ArrayDeque<>();
    private List<Architecture> neighbourhood = List.of();
    private Architecture centre;
    private int restartSamplesAsked;
    private int restartSamplesNeeded;

    public LocalSearch(SearchSpace space, Objective objective, int initialSamples, long seed) {
        if (initialSamples < 1) {
            throw new IllegalArgumentException("initial samples must be at least 1, got " + initialSamples);
        }
        this.space = space;
        this.objective = objective;
        this.initialSamples = initialSamples;
        this.restartSamplesNeeded = initialSamples;
        this.rng = new Random(seed);
    }

    @Override
    public Architecture ask() {
        if (centre == null) {
            startIfReady();
        }
        if (centre != null) {
            while (!queue.isEmpty()) {
                Architecture next = queue.removeFirst();
                if (!history.contains(next)) {
                    return history.add(next);
                }
            }
            if (neighbourhoodTold()) {
                move();
                return ask();
            }
        }
        restartSamplesAsked++;
        return history.propose(() -> space.sample(rng));
    }

    /** Makes the best told restart sample the centre once enough restart samples are told. */
    private void startIfReady() {
        if (restartPool.size() >= restartSamplesNeeded
                || (restartSamplesAsked >= restartSamplesNeeded && !restartPool.isEmpty())) {
            Architecture best = null;
            for (Architecture a : restartPool) {
                if (best == null || fitness.get(a.text()) > fitness.get(best.text())) {
                    best = a;
                }
            }
            restartPool.clear();
            restartSamplesAsked = 0;
            centreOn(best);
        }
    }

    private void centreOn(Architecture a) {
        centre = a;
        neighbourhood = List.copyOf(space.neighbours(a, rng, NEIGHBOURHOOD));
        queue.clear();
        queue.addAll(neighbourhood);
    }

    private boolean neighbourhoodTold() {
        for (Architecture n : neighbourhood) {
            if (!fitness.containsKey(n.text()) && history.contains(n)) {
                return false;
            }
        }
        return true;
    }

    /** Best improvement: the best told neighbour if it beats the centre, else a restart. */
    private void move() {
        Architecture best = null;
        double bestFitness = fitness.getOrDefault(centre.text(), Double.NEGATIVE_INFINITY);
        for (Architecture n : neighbourhood) {
            double f = fitness.getOrDefault(n.text(), Double.NEGATIVE_INFINITY);
            if (f > bestFitness) {
                best = n;
                bestFitness = f;
            }
        }
        if (best != null) {
            centreOn(best);
        } else {
            // the random samples told while this neighbourhood ran stay in the pool: the best of them is the next
            // centre, and only with none does the restart ask a fresh sample
            centre = null;
            neighbourhood = List.of();
            queue.clear();
            restartSamplesAsked = 0;
            restartSamplesNeeded = 1;
        }
    }

    /** A withdrawn neighbour counts as evaluated and never becomes the centre, as a failed one. */
    @Override
    public void withdrawn(Architecture architecture) {
        fitness.putIfAbsent(architecture.text(), Double.NEGATIVE_INFINITY);
    }

    @Override
    public void tell(TrialResult result) {
        Architecture a = result.candidate().architecture();
        double f = objective.fitness(result);
        fitness.put(a.text(), f);
        boolean inNeighbourhood = centre != null && neighbourhood.contains(a);
        if (!inNeighbourhood && f > Double.NEGATIVE_INFINITY && !a.equals(centre)) {
            restartPool.add(a);
        }
    }
}
