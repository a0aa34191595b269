package io.galapagos.driver.oneshot;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.galapagos.benchmark.RankCorrelation;
import io.galapagos.benchmark.TauInterval;
import io.galapagos.trial.Metrics;
import io.galapagos.trial.TrialResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How well shared weights rank the correlation sample like stand-alone training (Yu et al. 2020; Ning et al. 2020):
 * Kendall's tau, Spearman's rho and the top-5 overlap between the validation accuracy each cell reaches on its
 * supernet and after training from scratch, with tau's 95% bootstrap interval over the sample (how far tau would
 * move with another sample of as many cells). A cell infeasible either way is left out.
 *
 * @param cells       the cells compared, in sample order
 * @param leftOut     sampled cells without a completed result both ways
 * @param correlation over {@code cells}
 * @param tauInterval Kendall's tau's bootstrap interval over {@code cells}
 */
record Ranking(List<Pair> cells, int leftOut, RankCorrelation correlation, TauInterval tauInterval) {

    /** The written report's name in the output folder. */
    static final String FILE = "ranking.json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TOP = 5;

    /** One sampled cell's validation accuracy both ways. */
    record Pair(String architecture, double supernet, double standAlone) {
    }

    /**
     * @param sampled    the sample's results on shared weights
     * @param standAlone stand-alone results by architecture text (holding every sampled cell's)
     * @return empty when fewer than two cells completed both ways
     */
    static Optional<Ranking> of(List<TrialResult> sampled, Map<String, TrialResult> standAlone) {
        List<Pair> pairs = new ArrayList<>();
        for (TrialResult shared : sampled) {
            String cell = shared.candidate().architecture().text();
            TrialResult trained = standAlone.get(cell);
            if (shared instanceof TrialResult.Completed && trained instanceof TrialResult.Completed) {
                pairs.add(new Pair(cell, shared.metrics().require(Metrics.VAL_ACCURACY),
                        trained.metrics().require(Metrics.VAL_ACCURACY)));
            }
        }
        if (pairs.size() < 2) {
            return Optional.empty();
        }
        double[] x = pairs.stream().mapToDouble(Pair::supernet).toArray();
        double[] y = pairs.stream().mapToDouble(Pair::standAlone).toArray();
        return Optional.of(new Ranking(List.copyOf(pairs), sampled.size() - pairs.size(),
                RankCorrelation.of(x, y, Math.min(TOP, pairs.size())), TauInterval.of(x, y)));
    }

    /** The console's line. */
    String line() {
        return String.format(Locale.ROOT, "Ranking of %d sampled cells, shared weights against stand-alone training: "
                        + "Kendall's tau %.3f (95%% bootstrap interval %.3f to %.3f), Spearman's rho %.3f, top-%d "
                        + "overlap %.2f%s", cells.size(), correlation.kendallTau(), tauInterval.low(),
                tauInterval.high(), correlation.spearmanRho(), correlation.k(), correlation.topOverlap(),
                leftOut == 0 ? "" : " (" + leftOut + " left out: not completed both ways)");
    }

    String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("metric", Metrics.VAL_ACCURACY);
        root.put("sample", cells.size());
        root.put("left_out", leftOut);
        putFinite(root, "kendall_tau", correlation.kendallTau());
        ObjectNode interval = root.putObject("kendall_tau_95");
        putFinite(interval, "low", tauInterval.low());
        putFinite(interval, "high", tauInterval.high());
        putFinite(root, "spearman_rho", correlation.spearmanRho());
        root.put("top_k", correlation.k());
        root.put("top_k_overlap", correlation.topOverlap());
        ArrayNode list = root.putArray("cells");
        for (Pair pair : cells) {
            list.addObject().put("architecture", pair.architecture()).put("supernet", pair.supernet())
                    .put("stand_alone", pair.standAlone());
        }
        return root.toPrettyString() + "\n";
    }

    /** NaN (one scoring ties every cell) is written as null. */
    private static void putFinite(ObjectNode node, String key, double value) {
        if (Double.isFinite(value)) {
            node.put(key, value);
        } else {
            node.putNull(key);
        }
    }
}
