package io.galapagos.worker.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.galapagos.space.Architecture;

/**
 * Kryo form of an {@link Architecture}: its canonical text, parsed back with {@link Architecture#parse}.
 * Registered for every concrete architecture class. Stateless; immutable values are not copied.
 */
public final class ArchitectureSerializer extends Serializer<Architecture> {

    public ArchitectureSerializer() {
        setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output output, Architecture architecture) {
        output.writeString(architecture.text());
    }

    @Override
    public Architecture read(Kryo kryo, Input input, Class<Architecture> type) {
        Architecture architecture = Architecture.parse(input.readString());
        if (!type.isInstance(architecture)) {
            throw new IllegalStateException("read a " + architecture.getClass().getSimpleName()
                    + " where a " + type.getSimpleName() + " was written: " + architecture.text());
        }
        return architecture;
    }
}
