package io.galapagos.worker.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.galapagos.space.Architecture;
import io.galapagos.trial.TrialResult;
import io.galapagos.trial.TrialResultJson;

/**
 * Kryo form of a {@link TrialResult} (all three kinds): its one JSON line, {@link TrialResultJson}, so that
 * the wire and the journal cannot disagree. A result crosses the wire once per trial, so the few hundred
 * bytes of JSON cost nothing that matters. Stateless; immutable values are not copied.
 */
public final class TrialResultSerializer extends Serializer<TrialResult> {

    public TrialResultSerializer() {
        setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output output, TrialResult result) {
        output.writeString(TrialResultJson.toLine(result));
    }

    @Override
    public TrialResult read(Kryo kryo, Input input, Class<TrialResult> type) {
        TrialResult result = TrialResultJson.fromLine(input.readString(), Architecture::parse);
        if (!type.isInstance(result)) {
            throw new IllegalStateException("read a " + result.status() + " result where a "
                    + type.getSimpleName() + " was written");
        }
        return result;
    }
}
