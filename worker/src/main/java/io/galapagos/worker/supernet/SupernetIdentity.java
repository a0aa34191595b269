package io.galapagos.worker.supernet;

import io.galapagos.config.CellNetworkConfig;
import io.galapagos.config.OneShotConfig;
import io.galapagos.space.CellArchitecture;
import io.galapagos.space.CellOperation;
import io.galapagos.worker.network.InputSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a supernet is of, written into its file so that a file of another supernet is never taken for this one: the
 * cell space's operations, the part of it the supernet covers (all of it for one-shot; for a few-shot
 * sub-supernet, the cells whose {@code splitEdge} carries {@code splitOperation}), the skeleton and the input; the
 * optimiser whose state the file holds, so that a training is never continued from another optimiser's state; and
 * how it is trained, so that a search resumed with other supernet settings (more epochs, another rate) neither
 * continues a file on another schedule nor measures cells on a supernet trained otherwise than it says.
 *
 * @param splitEdge      the edge a few-shot split fixes, or -1 for the whole space
 * @param splitOperation the operation that edge carries in this part; null for the whole space
 * @param training       its training settings as text ({@link SupernetSpec#training})
 * @param data           the data it is trained on, as text ({@link SupernetSpec#trainingData}): its files, the
 *                       validation share it is not trained on and the limit, so that a search resumed on other data
 *                       never scores cells on a supernet that saw their validation examples
 */
public record SupernetIdentity(List<CellOperation> operations, int splitEdge, CellOperation splitOperation,
                               CellNetworkConfig skeleton, InputSpec input, OneShotConfig.Optimiser optimiser,
                               String training, String data) {

    public SupernetIdentity {
        operations = List.copyOf(operations);
        if (splitEdge < -1 || splitEdge >= CellArchitecture.EDGES || (splitEdge == -1) != (splitOperation == null)) {
            throw new IllegalArgumentException("a part is the whole space (edge -1, no operation) or one of edges 0 to "
                    + (CellArchitecture.EDGES - 1) + " with an operation, got edge " + splitEdge + " and "
                    + splitOperation);
        }
        if (skeleton == null || input == null || optimiser == null || training == null || data == null) {
            throw new IllegalArgumentException("a supernet's skeleton, input, optimiser, training and data are "
                    + "required");
        }
    }

    /** The identity's fields as text, in a fixed order: what a supernet file records and is compared by. */
    Map<String, String> fields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("operations", operations.stream().map(CellOperation::text).collect(Collectors.joining(",")));
        fields.put("part", splitEdge < 0 ? "all" : "edge " + splitEdge + " = " + splitOperation.text());
        fields.put("cell_channels", String.valueOf(skeleton.channels()));
        fields.put("cells_per_stage", String.valueOf(skeleton.cellsPerStage()));
        fields.put("cell_reduction", skeleton.reduction().text());
        fields.put("input", input.height() + "x" + input.width() + "x" + input.channels() + ", " + input.classes()
                + " classes");
        fields.put("optimiser", optimiser.name().toLowerCase(java.util.Locale.ROOT));
        fields.put("training", training);
        fields.put("data", data);
        return fields;
    }
}
