package io.galapagos.worker.darts;

import io.galapagos.config.CellNetworkConfig;
import io.galapagos.config.DataConfig;
import io.galapagos.space.CellOperation;
import io.galapagos.worker.network.InputSpec;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How a DARTS search runs, shipped to the executors with each task: the data, the cell space ({@code operations}),
 * the skeleton, the search's settings, how many independent seeds, the study's seed and the folder their checkpoint
 * files go to. Seed {@code i} of {@code seeds} initialises its supernet and draws its mini-batches from
 * {@link #searchSeed}. Immutable; serialisable.
 *
 * @param folder a Hadoop FileSystem URI every executor reaches, e.g. {@code <output>/darts}
 */
public record DartsSpec(DataConfig data, List<CellOperation> operations, CellNetworkConfig skeleton,
                        DartsSearch.Settings settings, int seeds, long seed, String folder) implements Serializable {

    private static final long serialVersionUID = 1L;

    public DartsSpec {
        operations = List.copyOf(operations);
        if (data == null || skeleton == null || settings == null || operations.isEmpty()) {
            throw new IllegalArgumentException("data, a skeleton, settings and at least one operation are required");
        }
        if (seeds < 1) {
            throw new IllegalArgumentException("seeds must be at least 1, got " + seeds);
        }
        if (folder == null || folder.isBlank()) {
            throw new IllegalArgumentException("a folder for the checkpoint files is required");
        }
    }

    /** The seed that initialises search {@code index}'s supernet and orders its mini-batches. */
    public long searchSeed(int index) {
        checkIndex(index);
        return seed + 1_000_003L * index;
    }

    /** Search {@code index}'s checkpoint file in {@link #folder}: {@code seed-<index>.zip}. */
    public String fileName(int index) {
        checkIndex(index);
        return "seed-" + index + ".zip";
    }

    /**
     * What search {@code index}'s checkpoint must be of, for images of {@code input}: a file of another space,
     * skeleton, input, data (files, validation fraction, training limit: another split), data for {@code alpha}
     * ({@link SearchHalves}), seed or settings is never continued.
     */
    public Map<String, String> identity(int index, InputSpec input) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("operations", operations.stream().map(CellOperation::text).collect(Collectors.joining(",")));
        fields.put("cell_channels", String.valueOf(skeleton.channels()));
        fields.put("cells_per_stage", String.valueOf(skeleton.cellsPerStage()));
        fields.put("cell_reduction", skeleton.reduction().text());
        fields.put("input", input.height() + "x" + input.width() + "x" + input.channels() + ", " + input.classes()
                + " classes");
        fields.put("data", data.toString());
        // where alpha learns from, so that a checkpoint of a search whose alpha learnt elsewhere (the validation split,
        // before) is refused
        fields.put("alpha_data", "second half of the training split");
        fields.put("seed", String.valueOf(searchSeed(index)));
        fields.put("settings", settings.toString());
        return fields;
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= seeds) {
            throw new IllegalArgumentException("search index must be 0 to " + (seeds - 1) + ", got " + index);
        }
    }
}
