package io.galapagos.worker.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.galapagos.space.Architecture;
import io.galapagos.trial.Candidate;

/**
 * Kryo form of a {@link Candidate}: number (varint), seed, canonical architecture text, fidelity level + 1
 * (varint, so full fidelity, -1, is one byte 0). Spark's Kryo 4
 * cannot write records field by field, hence this. Stateless; immutable values are not copied.
 */
public final class CandidateSerializer extends Serializer<Candidate> {

    public CandidateSerializer() {
        setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output output, Candidate candidate) {
        output.writeInt(candidate.number(), true);
        output.writeLong(candidate.seed());
        output.writeString(candidate.architecture().text());
        output.writeInt(candidate.fidelity() + 1, true);
    }

    @Override
    public Candidate read(Kryo kryo, Input input, Class<Candidate> type) {
        int number = input.readInt(true);
        long seed = input.readLong();
        Architecture architecture = Architecture.parse(input.readString());
        int fidelity = input.readInt(true) - 1;
        return new Candidate(number, architecture, seed, fidelity);
    }
}
