package io.galapagos.driver.strategy;

import io.galapagos.space.Architecture;
import io.galapagos.space.SearchSpace;
import io.galapagos.trial.Objective;
import io.galapagos.trial.TrialResult;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * NSGA-II (Deb et al. 2002) for several objectives, steady state so that it is asynchronous: the first
 * {@code populationSize} proposals are random (fewer when results told before them, a warm start's, fill the
 * population); each later one is a child of two parents drawn by binary
 * tournament (lower non-domination rank, then larger crowding distance), crossed over (half the time:
 * {@link SearchSpace#crossover}, block by block or edge by edge) and mutated in one choice. Each told result
 * joins the population, and when the population exceeds its size the member of the last front with the
 * smallest crowding distance leaves. Failed and infeasible trials, and trials missing an objective's
 * metric, never join.
 *
 * <p>Every completed result also goes to an archive whose non-dominated set is the front reported by
 * {@link #front()} and measured by {@link #hypervolume(double[])}.
 */
public final class Nsga2 implements SearchStrategy {

    private static final long serialVersionUID = 1L;

    private static final double CROSSOVER_PROBABILITY = 0.5;

    private final SearchSpace space;
    private final List<Objective> objectives;
    private final int populationSize;
    private final Random rng;
    private final ProposalHistory history = new ProposalHistory();
    private final List<Member> population = new ArrayList<>();
    private final List<Member> archive = new ArrayList<>();
    private int asked;

    /** An evaluated architecture and its fitness per objective (larger is better). */
    record Member(Architecture architecture, double[] fitness) implements Serializable {
    }

    public Nsga2(SearchSpace space, List<Objective> objectives, int populationSize, long seed) {
        if (objectives.size() < 2) {
            throw new IllegalArgumentException("NSGA-II needs at least two objectives, got " + objectives);
        }
        if (populationSize < 2) {
            throw new IllegalArgumentException("population must be at least 2, got " + populationSize);
        }
        this.space = space;
        this.objectives = List.copyOf(objectives);
        this.populationSize = populationSize;
        this.rng = new Random(seed);
    }

    @Override
    public Architecture ask() {
        // a warm start's results fill the population before the first ask: offspring come from them at once
        if ((asked++ < populationSize && population.size() < populationSize) || population.size() < 2) {
            return history.propose(() -> space.sample(rng));
        }
        int[] rank = new int[population.size()];
        double[] crowding = new double[population.size()];
        rankAndCrowd(fitnesses(population), rank, crowding);
        // a converged population whose every offspring was proposed falls back to random samples
        return history.propose(() -> {
            Architecture a = tournament(rank, crowding);
            if (rng.nextDouble() < CROSSOVER_PROBABILITY) {
                a = space.crossover(a, tournament(rank, crowding), rng);
            }
            return space.mutate(a, rng);
        }, () -> space.sample(rng));
    }

    private Architecture tournament(int[] rank, double[] crowding) {
        int a = rng.nextInt(population.size());
        int b = rng.nextInt(population.size());
        boolean aWins = rank[a] < rank[b] || (rank[a] == rank[b] && crowding[a] >= crowding[b]);
        return population.get(aWins ? a : b).architecture();
    }

    @Override
    public void tell(TrialResult result) {
        double[] f = new double[objectives.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = objectives.get(i).fitness(result);
            if (f[i] == Double.NEGATIVE_INFINITY) {
                return;
            }
        }
        Member m = new Member(result.candidate().architecture(), f);
        archive.add(m);
        population.add(m);
        if (population.size() > populationSize) {
            int[] rank = new int[population.size()];
            double[] crowding = new double[population.size()];
            rankAndCrowd(fitnesses(population), rank, crowding);
            int worst = 0;
            for (int i = 1; i < population.size(); i++) {
                if (rank[i] > rank[worst] || (rank[i] == rank[worst] && crowding[i] < crowding[worst])) {
                    worst = i;
                }
            }
            population.remove(worst);
        }
    }

    private static double[][] fitnesses(List<Member> members) {
        double[][] f = new double[members.size()][];
        for (int i = 0; i < f.length; i++) {
            f[i] = members.get(i).fitness();
        }
        return f;
    }

    /** The objectives, in order. */
    public List<Objective> objectives() {
        return objectives;
    }

    /**
     * The non-dominated completed results so far: per member the metric values (in each objective's own
     * units and direction, e.g. latency as measured), in objective order.
     */
    public List<double[]> front() {
        double[][] f = fitnesses(archive);
        List<List<Integer>> fronts = nonDominatedSort(f);
        List<double[]> out = new ArrayList<>();
        if (fronts.isEmpty()) {
            return out;
        }
        for (int i : fronts.get(0)) {
            out.add(toMetrics(f[i]));
        }
        out.sort(Comparator.comparingDouble(p -> p[0]));
        return out;
    }

    /** The architectures of {@link #front()}, in the same order. */
    public List<Architecture> frontArchitectures() {
        double[][] f = fitnesses(archive);
        List<Member> members = new ArrayList<>();
        if (!archive.isEmpty()) {
            for (int i : nonDominatedSort(f).get(0)) {
                members.add(archive.get(i));
            }
        }
        members.sort(Comparator.comparingDouble(m -> toMetrics(m.fitness())[0]));
        return members.stream().map(Member::architecture).toList();
    }

    private double[] toMetrics(double[] fitness) {
        double[] v = new double[fitness.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = objectives.get(i).goal() == Objective.Goal.MAXIMIZE ? fitness[i] : -fitness[i];
        }
        return v;
    }

    /**
     * The hypervolume of {@link #front()} with respect to {@code reference}, given in each objective's own
     * units (e.g. the lowest accuracy and the highest latency worth counting); points that do not beat the
     * reference in every objective add nothing.
     */
    public double hypervolume(double[] reference) {
        if (reference.length != objectives.size()) {
            throw new IllegalArgumentException("a reference point has " + objectives.size() + " values, got "
                    + reference.length);
        }
        double[] ref = new double[reference.length];
        for (int i = 0; i < ref.length; i++) {
            ref[i] = objectives.get(i).goal() == Objective.Goal.MAXIMIZE ? reference[i] : -reference[i];
        }
        List<double[]> points = new ArrayList<>();
        for (Member m : archive) {
            points.add(m.fitness());
        }
        return Pareto.hypervolume(points, ref);
    }

    /** Fronts of indices of {@code f} (maximised), best first (Deb's fast non-dominated sort). */
    static List<List<Integer>> nonDominatedSort(double[][] f) {
        return Pareto.nonDominatedSort(f);
    }

    private static void rankAndCrowd(double[][] f, int[] rank, double[] crowding) {
        List<List<Integer>> fronts = Pareto.nonDominatedSort(f);
        for (int r = 0; r < fronts.size(); r++) {
            List<Integer> front = fronts.get(r);
            double[] d = Pareto.crowdingDistance(f, front);
            for (int k = 0; k < front.size(); k++) {
                rank[front.get(k)] = r;
                crowding[front.get(k)] = d[k];
            }
        }
    }
}
