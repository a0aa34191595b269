package io.galapagos.driver.strategy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;

/**
 * A strategy's whole state as bytes and back, random generators included: restoring a snapshot gives a
 * strategy whose next proposals are those the original would have made. Only classes of the JDK and of
 * Galapagos are accepted when restoring. Stateless; thread-safe.
 */
public final class StrategySnapshots {

    private static final ObjectInputFilter OURS_ONLY = ObjectInputFilter.Config.createFilter(
            "java.**;io.galapagos.**;!*");

    private StrategySnapshots() {
    }

    public static byte[] snapshot(SearchStrategy strategy) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(strategy);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot snapshot " + strategy.getClass().getSimpleName(), e);
        }
        return bytes.toByteArray();
    }

    /**
     * @throws EarlierFormException when the snapshot holds one of our classes in a form this version no longer reads,
     *                              or one it no longer has (another version of Galapagos wrote it)
     */
    public static SearchStrategy restore(byte[] snapshot) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(snapshot))) {
            in.setObjectInputFilter(OURS_ONLY);
            return (SearchStrategy) in.readObject();
        } catch (InvalidClassException e) {
            // one of ours whose serialVersionUID has changed since; the filter's refusals name no class
            if (e.classname != null && e.classname.startsWith("io.galapagos.")) {
                throw new EarlierFormException(e.classname, e);
            }
            throw new IllegalArgumentException("not a strategy snapshot: " + e.getMessage(), e);
        } catch (ClassNotFoundException e) {
            // one of ours renamed or removed since
            if (e.getMessage() != null && e.getMessage().startsWith("io.galapagos.")) {
                throw new EarlierFormException(e.getMessage(), e);
            }
            throw new IllegalArgumentException("not a strategy snapshot: " + e.getMessage(), e);
        } catch (ClassCastException e) {
            throw new IllegalArgumentException("not a strategy snapshot: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restore a strategy snapshot", e);
        }
    }

    /** A snapshot that another version of Galapagos wrote, with a class in a form this one does not read. */
    public static final class EarlierFormException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        EarlierFormException(String className, Exception cause) {
            super(className.substring(className.lastIndexOf('.') + 1), cause);
        }

        /** The class whose form changed, without its package. */
        public String className() {
            return getMessage();
        }
    }
}
