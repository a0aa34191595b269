package io.galapagos.driver.strategy;

import io.galapagos.config.StrategyConfig;
import io.galapagos.space.Architecture;
import io.galapagos.space.CellArchitecture;
import io.galapagos.space.CellOperation;
import io.galapagos.space.CellSearchSpace;
import io.galapagos.space.SearchSpace;
import io.galapagos.trial.Objective;
import io.galapagos.trial.TrialResult;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * REINFORCE (Williams 1992) with a policy over the space's decisions, as in NASNet's controller (Zoph and
 * Le 2017), by default factorised: an independent softmax per decision instead of an autoregressive RNN.
 *
 * <ul>
 *   <li>Cell spaces, {@link StrategyConfig.Policy#FACTORISED factorised} (the default): one categorical
 *       decision per edge over the space's operations (6 for NB201).</li>
 *   <li>Cell spaces, {@link StrategyConfig.Policy#AUTOREGRESSIVE autoregressive}: the edges are chosen in
 *       order, and edge {@code i}'s logits are {@code b[i] + sum over j < i of W[i][j][a_j]}, a bias plus an
 *       embedding of each earlier edge's choice (a linear stand-in for the controller RNN's hidden state).</li>
 *   <li>Other spaces (the macro space, whose decisions depend on each other): a log-linear policy
 *       {@code p(a) ~ exp(theta . encode(a))} over the space's encoding, sampled by a Metropolis chain whose
 *       moves are the space's own one-choice mutations ({@value #CHAIN_STEPS} steps per proposal); the
 *       expected encoding in the score-function gradient is a running average over the chain. For a cell
 *       space's one-hot encoding this is exactly the factorised softmax.</li>
 * </ul>
 *
 * <p>Each told result is one REINFORCE step with Adam: advantage {@code (r - b) / s}, where {@code b} is an
 * exponential moving average of rewards (decay {@code baselineDecay}) and {@code s} a moving standard
 * deviation, so the step does not depend on the metric's units; plus {@code entropyWeight} times the
 * gradient of the policy's entropy. Failed and infeasible trials get the lowest reward seen so far.
 * Proposals already made are skipped; when the policy keeps drawing them, mutations of its draws and then
 * random samples are proposed instead.
 */
public final class Reinforce implements SearchStrategy {

    private static final long serialVersionUID = 1L;

    static final int CHAIN_STEPS = 10;
    private static final int POLICY_DRAWS = 64;

    private final SearchSpace space;
    private final Objective objective;
    private final double learningRate;
    private final double entropyWeight;
    private final double baselineDecay;
    private final Random rng;
    private final ProposalHistory history = new ProposalHistory();
    private final Policy policy;
    private final Adam adam;
    private double baseline = Double.NaN;
    private double variance;
    private double worstReward = Double.NaN;

    /** With the factorised policy on cell spaces. */
    public Reinforce(SearchSpace space, Objective objective, double learningRate, double entropyWeight,
                     double baselineDecay, long seed) {
        this(space, objective, learningRate, entropyWeight, baselineDecay, StrategyConfig.Policy.FACTORISED, seed);
    }

    /** {@code cellPolicy} picks the policy on cell spaces; other spaces always use the encoding policy. */
    public Reinforce(SearchSpace space, Objective objective, double learningRate, double entropyWeight,
                     double baselineDecay, StrategyConfig.Policy cellPolicy, long seed) {
        if (!(learningRate > 0) || !(entropyWeight >= 0) || !(baselineDecay >= 0 && baselineDecay < 1)) {
            throw new IllegalArgumentException("need learning rate > 0, entropy weight >= 0 and baseline decay in"
                    + " [0, 1), got " + learningRate + ", " + entropyWeight + ", " + baselineDecay);
        }
        this.space = space;
        this.objective = objective;
        this.learningRate = learningRate;
        this.entropyWeight = entropyWeight;
        this.baselineDecay = baselineDecay;
        this.rng = new Random(seed);
        if (space instanceof CellSearchSpace cells) {
            this.policy = cellPolicy == StrategyConfig.Policy.AUTOREGRESSIVE
                    ? new AutoregressiveCellPolicy(cells) : new CellPolicy(cells);
        } else {
            this.policy = new EncodingPolicy(space, rng);
        }
        this.adam = new Adam(policy.parameters().length, learningRate);
    }

    @Override
    public Architecture ask() {
        for (int draw = 0; draw < POLICY_DRAWS; draw++) {
            Architecture a = policy.sample(rng);
            if (!history.contains(a)) {
                return history.add(a);
            }
        }
        for (int draw = 0; draw < POLICY_DRAWS; draw++) {
            Architecture a = space.mutate(policy.sample(rng), rng);
            if (!history.contains(a)) {
                return history.add(a);
            }
        }
        return history.propose(() -> space.sample(rng));
    }

    @Override
    public void tell(TrialResult result) {
        double reward = objective.fitness(result);
        if (reward == Double.NEGATIVE_INFINITY) {
            if (Double.isNaN(worstReward)) {
                return;
            }
            reward = worstReward;
        }
        worstReward = Double.isNaN(worstReward) ? reward : Math.min(worstReward, reward);
        if (Double.isNaN(baseline)) {
            baseline = reward;
            return;
        }
        double scale = Math.sqrt(variance) + 1e-9;
        double advantage = variance > 0 ? (reward - baseline) / scale : 0;
        double delta = reward - baseline;
        baseline += (1 - baselineDecay) * delta;
        variance = baselineDecay * (variance + (1 - baselineDecay) * delta * delta);
        if (variance == 0) {
            variance = delta * delta;
        }
        double[] gradient = policy.logProbGradient(result.candidate().architecture());
        double[] entropy = policy.entropyGradient(result.candidate().architecture());
        for (int i = 0; i < gradient.length; i++) {
            gradient[i] = advantage * gradient[i] + entropyWeight * entropy[i];
        }
        adam.ascend(policy.parameters(), gradient);
        policy.updated();
    }

    /** The policy's probabilities of each operation per edge (cell spaces), for tests and reports. */
    double[][] edgeProbabilities() {
        return policy instanceof CellPolicy cells ? cells.probabilities() : new double[0][];
    }

    /** A parametric distribution over architectures. */
    private interface Policy extends Serializable {
        double[] parameters();

        Architecture sample(Random rng);

        /** d log p(a) / d parameters. */
        double[] logProbGradient(Architecture a);

        /**
         * d H / d parameters, H the policy's entropy (zero where not tractable); for an autoregressive policy,
         * the sum of the entropies of its conditionals along {@code a}'s choices.
         */
        double[] entropyGradient(Architecture a);

        /** Called after the parameters changed. */
        default void updated() {
        }
    }

    /** An independent softmax over the operations of each edge. */
    private static final class CellPolicy implements Policy {
        private static final long serialVersionUID = 1L;
        private final List<CellOperation> operations;
        private final double[] logits;

        CellPolicy(CellSearchSpace space) {
            operations = space.operations();
            logits = new double[CellArchitecture.EDGES * operations.size()];
        }

        @Override
        public double[] parameters() {
            return logits;
        }

        double[][] probabilities() {
            int k = operations.size();
            double[][] p = new double[CellArchitecture.EDGES][k];
            for (int e = 0; e < CellArchitecture.EDGES; e++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int o = 0; o < k; o++) {
                    max = Math.max(max, logits[e * k + o]);
                }
                double sum = 0;
                for (int o = 0; o < k; o++) {
                    p[e][o] = Math.exp(logits[e * k + o] - max);
                    sum += p[e][o];
                }
                for (int o = 0; o < k; o++) {
                    p[e][o] /= sum;
                }
            }
            return p;
        }

        @Override
        public Architecture sample(Random rng) {
            double[][] p = probabilities();
            List<CellOperation> edges = new ArrayList<>(CellArchitecture.EDGES);
            for (double[] edge : p) {
                double u = rng.nextDouble();
                int o = 0;
                for (double acc = edge[0]; o < edge.length - 1 && u >= acc; acc += edge[++o]) {
                    // walk the cumulative distribution
                }
                edges.add(operations.get(o));
            }
            return new CellArchitecture(edges);
        }

        @Override
        public double[] logProbGradient(Architecture a) {
            CellArchitecture cell = (CellArchitecture) a;
            double[][] p = probabilities();
            int k = operations.size();
            double[] g = new double[logits.length];
            for (int e = 0; e < CellArchitecture.EDGES; e++) {
                int chosen = operations.indexOf(cell.edges().get(e));
                for (int o = 0; o < k; o++) {
                    g[e * k + o] = (o == chosen ? 1 : 0) - p[e][o];
                }
            }
            return g;
        }

        @Override
        public double[] entropyGradient(Architecture a) {
            double[][] p = probabilities();
            int k = operations.size();
            double[] g = new double[logits.length];
            for (int e = 0; e < CellArchitecture.EDGES; e++) {
                double h = 0;
                for (int o = 0; o < k; o++) {
                    h -= p[e][o] * Math.log(p[e][o] + 1e-300);
                }
                for (int o = 0; o < k; o++) {
                    g[e * k + o] = -p[e][o] * (Math.log(p[e][o] + 1e-300) + h);
                }
            }
            return g;
        }
    }

    /** A softmax over the logits, in place; returns it. */
    private static double[] softmax(double[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (double l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        for (int o = 0; o < logits.length; o++) {
            logits[o] = Math.exp(logits[o] - max);
            sum += logits[o];
        }
        for (int o = 0; o < logits.length; o++) {
            logits[o] /= sum;
        }
        return logits;
    }

    /**
     * An autoregressive softmax over the edges' operations: edges are chosen in order 0, 1, ..., and edge
     * {@code i}'s logits over the {@code k} operations are {@code b[i] + sum over j < i of W[i][j][a_j]}, where
     * {@code a_j} is the operation chosen at edge {@code j}. With {@code W = 0} it is the factorised policy
     * (both start uniform). Parameters, flat: {@code b} ({@code EDGES x k}), then for each pair {@code j < i}
     * (in the order (1,0), (2,0), (2,1), ...) a {@code k x k} table indexed by {@code a_j} then the operation.
     * {@code log p(a)} is the sum of the conditionals' log probabilities, and each conditional's logit
     * gradient {@code onehot(a_i) - p_i} goes to {@code b[i]} and to the rows {@code W[i][j][a_j]} it used; the
     * entropy term is the same with each conditional's entropy gradient {@code -p (log p + H)}.
     */
    private static final class AutoregressiveCellPolicy implements Policy {
        private static final long serialVersionUID = 1L;
        private static final int EDGES = CellArchitecture.EDGES;
        private final List<CellOperation> operations;
        private final int k;
        private final double[] parameters;

        AutoregressiveCellPolicy(CellSearchSpace space) {
            operations = space.operations();
            k = operations.size();
            parameters = new double[EDGES * k + EDGES * (EDGES - 1) / 2 * k * k];
        }

        @Override
        public double[] parameters() {
            return parameters;
        }

        /** Where the row {@code W[i][j][c]} starts. */
        private int row(int i, int j, int c) {
            return EDGES * k + ((i * (i - 1) / 2 + j) * k + c) * k;
        }

        /** Edge {@code i}'s probabilities given the earlier choices {@code chosen[0..i-1]}. */
        private double[] conditional(int i, int[] chosen) {
            double[] logits = new double[k];
            System.arraycopy(parameters, i * k, logits, 0, k);
            for (int j = 0; j < i; j++) {
                int r = row(i, j, chosen[j]);
                for (int o = 0; o < k; o++) {
                    logits[o] += parameters[r + o];
                }
            }
            return softmax(logits);
        }

        @Override
        public Architecture sample(Random rng) {
            int[] chosen = new int[EDGES];
            List<CellOperation> edges = new ArrayList<>(EDGES);
            for (int i = 0; i < EDGES; i++) {
                double[] p = conditional(i, chosen);
                double u = rng.nextDouble();
                int o = 0;
                for (double acc = p[0]; o < k - 1 && u >= acc; acc += p[++o]) {
                    // walk the cumulative distribution
                }
                chosen[i] = o;
                edges.add(operations.get(o));
            }
            return new CellArchitecture(edges);
        }

        private int[] choices(Architecture a) {
            CellArchitecture cell = (CellArchitecture) a;
            int[] chosen = new int[EDGES];
            for (int i = 0; i < EDGES; i++) {
                chosen[i] = operations.indexOf(cell.edges().get(i));
            }
            return chosen;
        }

        /** Adds a per-edge logit gradient to {@code b[i]} and to each {@code W[i][j][a_j]}. */
        private void scatter(double[] g, int i, int[] chosen, double[] logitGradient) {
            for (int o = 0; o < k; o++) {
                g[i * k + o] += logitGradient[o];
            }
            for (int j = 0; j < i; j++) {
                int r = row(i, j, chosen[j]);
                for (int o = 0; o < k; o++) {
                    g[r + o] += logitGradient[o];
                }
            }
        }

        @Override
        public double[] logProbGradient(Architecture a) {
            int[] chosen = choices(a);
            double[] g = new double[parameters.length];
            for (int i = 0; i < EDGES; i++) {
                double[] p = conditional(i, chosen);
                double[] d = new double[k];
                for (int o = 0; o < k; o++) {
                    d[o] = (o == chosen[i] ? 1 : 0) - p[o];
                }
                scatter(g, i, chosen, d);
            }
            return g;
        }

        @Override
        public double[] entropyGradient(Architecture a) {
            int[] chosen = choices(a);
            double[] g = new double[parameters.length];
            for (int i = 0; i < EDGES; i++) {
                double[] p = conditional(i, chosen);
                double h = 0;
                for (int o = 0; o < k; o++) {
                    h -= p[o] * Math.log(p[o] + 1e-300);
                }
                double[] d = new double[k];
                for (int o = 0; o < k; o++) {
                    d[o] = -p[o] * (Math.log(p[o] + 1e-300) + h);
                }
                scatter(g, i, chosen, d);
            }
            return g;
        }
    }

    /**
     * {@code p(a) ~ exp(theta . encode(a))}, sampled by a Metropolis chain over one-choice mutations; the
     * gradient's expectation term is a running average of the chain's encodings. No entropy gradient (it
     * is not tractable here); the chain's own randomness keeps exploring.
     */
    private static final class EncodingPolicy implements Policy {
        private static final long serialVersionUID = 1L;
        private final SearchSpace space;
        private final double[] theta;
        private final double[] meanEncoding;
        private Architecture state;

        EncodingPolicy(SearchSpace space, Random rng) {
            this.space = space;
            this.theta = new double[space.encodingLength()];
            this.meanEncoding = new double[theta.length];
            this.state = space.sample(rng);
            System.arraycopy(space.encode(state), 0, meanEncoding, 0, theta.length);
        }

        @Override
        public double[] parameters() {
            return theta;
        }

        private double energy(Architecture a) {
            double[] x = space.encode(a);
            double s = 0;
            for (int i = 0; i < x.length; i++) {
                s += theta[i] * x[i];
            }
            return s;
        }

        @Override
        public Architecture sample(Random rng) {
            double current = energy(state);
            for (int step = 0; step < CHAIN_STEPS; step++) {
                Architecture next = rng.nextInt(20) == 0 ? space.sample(rng) : space.mutate(state, rng);
                double e = energy(next);
                if (e >= current || rng.nextDouble() < Math.exp(e - current)) {
                    state = next;
                    current = e;
                }
            }
            double[] x = space.encode(state);
            for (int i = 0; i < x.length; i++) {
                meanEncoding[i] += 0.1 * (x[i] - meanEncoding[i]);
            }
            return state;
        }

        @Override
        public double[] logProbGradient(Architecture a) {
            double[] x = space.encode(a);
            double[] g = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                g[i] = x[i] - meanEncoding[i];
            }
            return g;
        }

        @Override
        public double[] entropyGradient(Architecture a) {
            return new double[theta.length];
        }
    }
}
