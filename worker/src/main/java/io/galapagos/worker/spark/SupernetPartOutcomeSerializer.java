package io.galapagos.worker.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.galapagos.worker.supernet.SupernetPartOutcome;

/**
 * Kryo form of a {@link SupernetPartOutcome}: part, resumed epochs and epochs (varints), seconds, loss, executor.
 * Spark's Kryo 4 cannot write records field by field, hence this. Stateless; immutable values are not copied.
 */
public final class SupernetPartOutcomeSerializer extends Serializer<SupernetPartOutcome> {

    public SupernetPartOutcomeSerializer() {
        setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output output, SupernetPartOutcome outcome) {
        output.writeInt(outcome.part(), true);
        output.writeInt(outcome.resumedEpochs(), true);
        output.writeInt(outcome.epochs(), true);
        output.writeDouble(outcome.seconds());
        output.writeDouble(outcome.loss());
        output.writeString(outcome.executor());
    }

    @Override
    public SupernetPartOutcome read(Kryo kryo, Input input, Class<SupernetPartOutcome> type) {
        return new SupernetPartOutcome(input.readInt(true), input.readInt(true), input.readInt(true),
                input.readDouble(), input.readDouble(), input.readString());
    }
}
