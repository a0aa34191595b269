package io.galapagos.driver.strategy;

import io.galapagos.space.Architecture;
import io.galapagos.space.SearchSpace;
import io.galapagos.trial.Objective;
import io.galapagos.trial.TrialResult;

import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Asynchronous Hyperband (Li et al. 2018, 2020): brackets of asynchronous successive halving (ASHA) over
 * {@code fidelities} levels, around any single-fidelity strategy {@code inner} that proposes new
 * architectures.
 *
 * <p>Bracket {@code s} starts new architectures at level {@code s}. In each bracket, an architecture told
 * at level {@code k} is promoted to level {@code k + 1} as soon as it is among the best
 * {@code floor(n / eta)} of the {@code n} completed results of its bracket at level {@code k} (ASHA's rule, so no
 * rung waits for stragglers); failed and infeasible results (screened out, over a constraint, diverged), which can
 * never be promoted, do not count in {@code n}, or they would promote the completed ones in their place. Each {@link #propose()} first promotes (highest level first, best first);
 * otherwise it starts a new architecture in a bracket drawn with Hyperband's weights
 * {@code ceil(L / (s + 1) * eta^(L - 1 - s))} for {@code L} levels, so most start cheap and a few start at
 * full fidelity. These are not Li et al.'s bracket sizes ({@code ceil(L * eta^(L - 1 - s) / (L - s))} in this
 * notation: 3 to 2 for two levels at eta 3, where these give 6 to 1), which start more architectures at the higher
 * levels, where random samples cost full price; the README's Hyperband figures were measured with these. Bracket 0's new architectures come from {@code inner}, which is told their level-0
 * results only, so that every value it compares was measured at the same fidelity; the other brackets'
 * come from random samples of the space, as in Hyperband. Failed trials are told and never promoted. An
 * architecture {@code inner} proposes that another bracket already started is withdrawn from {@code inner}
 * ({@link #passOver}) and {@code inner} asked again.
 *
 * <p>A result of no running proposal (a warm start's) enters no bracket; at level 0 it is told to {@code inner}.
 *
 * <p>{@link #best()} is the architecture with the best result at the highest level reached.
 */
public final class Hyperband implements MultiFidelityStrategy {

    // 2 since running proposals are keyed by level too: a snapshot of before is refused, and the journal replayed
    private static final long serialVersionUID = 2L;

    private final SearchSpace space;
    private final SearchStrategy inner;
    private final Objective objective;
    private final int levels;
    private final int eta;
    private final Random rng;
    private final double[] bracketWeights;
    /** Per bracket, per level: the told results (architecture text, fitness). */
    private final List<List<List<Scored>>> rungs = new ArrayList<>();
    /**
     * Running proposals, by architecture text and level ({@link #key}), to their brackets. Keyed by level too, and a
     * queue: once the space is nearly exhausted, {@link #start} can start an architecture that is running already.
     */
    private final Map<String, ArrayDeque<Integer>> running = new HashMap<>();
    private final Map<String, Integer> bracketOf = new HashMap<>();
    private final Map<String, Architecture> architectures = new HashMap<>();
    private final Set<String> promoted = new HashSet<>();
    private Scored best;
    private int bestLevel = -1;

    private record Scored(String text, double fitness) implements Serializable {
    }

    public Hyperband(SearchSpace space, SearchStrategy inner, Objective objective, int fidelities, int eta, long seed) {
        if (inner instanceof MultiFidelityStrategy) {
            throw new IllegalArgumentException("the inner strategy of hyperband proposes at one fidelity");
        }
        if (fidelities < 2 || eta < 2) {
            throw new IllegalArgumentException("need at least 2 fidelities and eta >= 2, got " + fidelities
                    + " and " + eta);
        }
        this.space = space;
        this.inner = inner;
        this.objective = objective;
        this.levels = fidelities;
        this.eta = eta;
        this.rng = new Random(seed);
        this.bracketWeights = new double[levels];
        for (int s = 0; s < levels; s++) {
            bracketWeights[s] = Math.ceil((double) levels / (s + 1) * Math.pow(eta, levels - 1 - s));
            List<List<Scored>> bracket = new ArrayList<>();
            for (int k = 0; k < levels; k++) {
                bracket.add(new ArrayList<>());
            }
            rungs.add(bracket);
        }
    }

    @Override
    public int fidelities() {
        return levels;
    }

    @Override
    public Proposal propose() {
        Proposal promotion = promotion();
        if (promotion != null) {
            return promotion;
        }
        double total = 0;
        for (double w : bracketWeights) {
            total += w;
        }
        double u = rng.nextDouble() * total;
        int s = 0;
        while (s < levels - 1 && u >= bracketWeights[s]) {
            u -= bracketWeights[s++];
        }
        return start(s);
    }

    /**
     * For a loop that trains everything at one fidelity (it calls {@code ask}, not {@link #propose()}):
     * promotions would only repeat architectures there, so this proposes the inner strategy's next new
     * architecture and tells it the result; Hyperband then adds nothing to {@code inner}.
     */
    @Override
    public Architecture ask() {
        return start(0).architecture();
    }

    /** A new architecture entering bracket {@code s} at level {@code s}. */
    private Proposal start(int s) {
        Architecture a = s == 0 ? inner.ask() : space.sample(rng);
        for (int tries = 0; tries < 100 && bracketOf.containsKey(a.text()); tries++) {
            if (s == 0) {
                passOver(a);
            }
            a = s == 0 ? inner.ask() : space.sample(rng);
        }
        bracketOf.put(a.text(), s);
        architectures.put(a.text(), a);
        run(a.text(), s, s);
        return new Proposal(a, s);
    }

    /**
     * Withdraws {@code inner}'s proposal {@code a} when another bracket started {@code a} from a random sample:
     * {@code inner} never hears of that bracket's results, and a strategy that waits for every proposal's result
     * (local search waits for its whole neighbourhood) would otherwise wait for ever. No result is made up for it,
     * which a learning strategy (REINFORCE) would learn from. One that {@code inner} proposed before gets its result
     * from that proposal.
     */
    private void passOver(Architecture a) {
        if (bracketOf.get(a.text()) > 0) {
            inner.withdrawn(a);
        }
    }

    /** The best promotable result, highest level first; {@code null} when none. */
    private Proposal promotion() {
        for (int k = levels - 2; k >= 0; k--) {
            Scored pick = null;
            int pickBracket = -1;
            for (int s = 0; s <= k; s++) {
                List<Scored> rung = new ArrayList<>(rungs.get(s).get(k));
                int quota = (int) rung.stream().filter(r -> r.fitness() > Double.NEGATIVE_INFINITY).count() / eta;
                rung.sort((x, y) -> Double.compare(y.fitness(), x.fitness()));
                for (int i = 0; i < quota; i++) {
                    Scored c = rung.get(i);
                    if (c.fitness() > Double.NEGATIVE_INFINITY && !promoted.contains(key(c.text(), k))
                            && (pick == null || c.fitness() > pick.fitness())) {
                        pick = c;
                        pickBracket = s;
                    }
                }
            }
            if (pick != null) {
                promoted.add(key(pick.text(), k));
                run(pick.text(), pickBracket, k + 1);
                return new Proposal(architectures.get(pick.text()), k + 1);
            }
        }
        return null;
    }

    private static String key(String text, int level) {
        return text + "@" + level;
    }

    private void run(String text, int bracket, int level) {
        running.computeIfAbsent(key(text, level), k -> new ArrayDeque<>()).add(bracket);
    }

    @Override
    public void tell(TrialResult result) {
        String text = result.candidate().architecture().text();
        // a loop that calls ask() trains at one fidelity, which its results name as full: ask() started them at level 0
        int level = result.candidate().fullFidelity() ? 0 : result.candidate().fidelity();
        ArrayDeque<Integer> brackets = running.get(key(text, level));
        if (brackets == null) {
            // an earlier search's result (a warm start): at level 0 it is what inner compares, so inner learns from it
            if (result.candidate().fidelity() == 0) {
                inner.tell(result);
            }
            return;
        }
        int bracket = brackets.remove();
        if (brackets.isEmpty()) {
            running.remove(key(text, level));
        }
        double f = objective.fitness(result);
        rungs.get(bracket).get(level).add(new Scored(text, f));
        if (level == 0) {
            inner.tell(result);
        }
        if (f > Double.NEGATIVE_INFINITY && (level > bestLevel || (level == bestLevel && f > best.fitness()))) {
            best = new Scored(text, f);
            bestLevel = level;
        }
    }

    /** The architecture with the best result at the highest level reached, if any. */
    public java.util.Optional<Architecture> best() {
        return best == null ? java.util.Optional.empty() : java.util.Optional.of(architectures.get(best.text()));
    }
}
