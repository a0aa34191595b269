package io.galapagos.worker.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.galapagos.space.CellArchitecture;
import io.galapagos.worker.darts.DartsEpochOutcome;
import io.galapagos.worker.darts.DartsSearch;

/**
 * Kryo form of a {@link DartsEpochOutcome}: search and epoch (varints), the skip weight, losses and accuracies,
 * {@code softmax(alpha)} (rows and columns as varints, then the values), the derived cell's text, seconds, whether
 * it was trained, executor. Spark's Kryo 4 cannot write records field by field, hence this. Stateless; immutable
 * values are not copied.
 */
public final class DartsEpochOutcomeSerializer extends Serializer<DartsEpochOutcome> {

    public DartsEpochOutcomeSerializer() {
        setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output output, DartsEpochOutcome outcome) {
        DartsSearch.Epoch e = outcome.epoch();
        output.writeInt(outcome.search(), true);
        output.writeInt(e.epoch(), true);
        output.writeDouble(e.auxiliarySkip());
        output.writeDouble(e.trainLoss());
        output.writeDouble(e.trainAccuracy());
        output.writeDouble(e.heldOutLoss());
        output.writeDouble(e.heldOutAccuracy());
        double[][] mixing = e.mixingWeights();
        output.writeInt(mixing.length, true);
        output.writeInt(mixing.length == 0 ? 0 : mixing[0].length, true);
        for (double[] row : mixing) {
            output.writeDoubles(row);
        }
        output.writeString(e.derived().text());
        output.writeDouble(outcome.seconds());
        output.writeBoolean(outcome.trained());
        output.writeString(outcome.executor());
    }

    @Override
    public DartsEpochOutcome read(Kryo kryo, Input input, Class<DartsEpochOutcome> type) {
        int search = input.readInt(true);
        int epoch = input.readInt(true);
        double auxSkip = input.readDouble();
        double trainLoss = input.readDouble();
        double trainAccuracy = input.readDouble();
        double heldOutLoss = input.readDouble();
        double heldOutAccuracy = input.readDouble();
        double[][] mixing = new double[input.readInt(true)][];
        int columns = input.readInt(true);
        for (int i = 0; i < mixing.length; i++) {
            mixing[i] = input.readDoubles(columns);
        }
        CellArchitecture derived = CellArchitecture.parse(input.readString());
        return new DartsEpochOutcome(search, new DartsSearch.Epoch(epoch, auxSkip, trainLoss, trainAccuracy,
                heldOutLoss, heldOutAccuracy, mixing, derived), input.readDouble(), input.readBoolean(),
                input.readString());
    }
}
