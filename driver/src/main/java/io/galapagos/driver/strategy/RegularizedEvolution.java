package io.galapagos.driver.strategy;

import io.galapagos.trial.Objective;

import io.galapagos.space.Architecture;
import io.galapagos.space.SearchSpace;
import io.galapagos.trial.TrialResult;

import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;

/**
 * Regularized (aging) evolution, Real et al. 2019: the population is the {@code populationSize} most
 * recent completed trials; a child is a one-choice mutation of the best of {@code sampleSize} members
 * drawn at random without replacement; each new result pushes out the oldest, not the worst. With a crossover
 * probability above 0, that share of children are instead the crossover ({@link SearchSpace#crossover}) of two such
 * tournament winners, then mutated; the paper's evolution mutates only, the default.
 *
 * <p>Asynchronous by design: the first {@code populationSize} proposals are random samples (fewer when results
 * told before them, a warm start's, fill the population), and every later proposal uses whatever population has
 * been told so far. Failed and infeasible trials never enter
 * the population, and a random sample that fails or is refused (screened out) is not replaced: Real et al. start from
 * {@code populationSize} trained models, but drawing samples until that many completed did no better in a side-by-side
 * trial on NB201 with part of the cells refused (2026-12-07; at small budgets slightly worse), so the search starts
 * breeding from those that completed.
 */
public final class RegularizedEvolution implements SearchStrategy {

    private static final long serialVersionUID = 1L;

    private final SearchSpace space;
    private final Objective objective;
    private final int populationSize;
    private final int sampleSize;
    private final double crossoverProbability;
    private final Random rng;
    private final ProposalHistory history = new ProposalHistory();
    private final Deque<Member> population = new ArrayDeque<>();
    private int asked;

    private record Member(Architecture architecture, double score) implements Serializable {
    }

    public RegularizedEvolution(SearchSpace space, Objective objective, int populationSize, int sampleSize,
                                double crossoverProbability, long seed) {
        if (populationSize < 2 || sampleSize < 1 || sampleSize > populationSize) {
            throw new IllegalArgumentException("need population >= 2 and 1 <= sample size <= population, got "
                    + populationSize + " and " + sampleSize);
        }
        if (!(crossoverProbability >= 0 && crossoverProbability <= 1)) {
            throw new IllegalArgumentException("a crossover probability is in [0, 1], got " + crossoverProbability);
        }
        this.crossoverProbability = crossoverProbability;
        this.space = space;
        this.objective = objective;
        this.populationSize = populationSize;
        this.sampleSize = sampleSize;
        this.rng = new Random(seed);
    }

    @Override
    public Architecture ask() {
        // a warm start's results fill the population before the first ask: mutations start from them at once
        boolean seeding = (asked++ < populationSize && population.size() < populationSize) || population.isEmpty();
        // a converged population whose every mutation was proposed falls back to random samples
        return history.propose(seeding ? () -> space.sample(rng) : () -> space.mutate(parent(), rng),
                () -> space.sample(rng));
    }

    /** A tournament's winner, or (with the crossover probability; no draw at all when it is 0) the crossover of two. */
    private Architecture parent() {
        Architecture winner = tournament();
        if (crossoverProbability > 0 && rng.nextDouble() < crossoverProbability) {
            return space.crossover(winner, tournament(), rng);
        }
        return winner;
    }

    /** The best of {@code sampleSize} distinct members drawn uniformly; ties go to the earlier draw. */
    private Architecture tournament() {
        List<Member> members = new ArrayList<>(population);
        int draws = Math.min(sampleSize, members.size());
        Member best = null;
        for (int i = 0; i < draws; i++) {
            int pick = i + rng.nextInt(members.size() - i);
            Member drawn = members.get(pick);
            members.set(pick, members.get(i));
            members.set(i, drawn);
            if (best == null || drawn.score() > best.score()) {
                best = drawn;
            }
        }
        return best.architecture();
    }

    @Override
    public void tell(TrialResult result) {
        double fitness = objective.fitness(result);
        if (fitness == Double.NEGATIVE_INFINITY) {
            return;
        }
        population.addLast(new Member(result.candidate().architecture(), fitness));
        if (population.size() > populationSize) {
            population.removeFirst();
        }
    }
}
