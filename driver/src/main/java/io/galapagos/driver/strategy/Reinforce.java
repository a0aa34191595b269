package io.galapagos.driver.strategy;

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
 * Le 2017), but factorised: an independent softmax per decision instead of an autoregressive RNN.
 *
 * <ul>
 *   <li>Cell spaces: one categorical decision per edge over the space's operations (6 for NB201).</li>
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

    public Reinforce(SearchSpace space, Objective objective, double learningRate, double entropyWeight,
                     double baselineDecay, long seed) {
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
        this.policy = space instanceof CellSearchSpace cells ? new CellPolicy(cells) : new EncodingPolicy(space, rng);
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
        double[] entropy = policy.entropyGradient();
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

        /** d H(p) / d parameters (zero where not tractable). */
        double[] entropyGradient();

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
        public double[] entropyGradient() {
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
        public double[] entropyGradient() {
            return new double[theta.length];
        }
    }
}
