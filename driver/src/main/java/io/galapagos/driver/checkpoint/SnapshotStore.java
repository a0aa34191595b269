package io.galapagos.driver.checkpoint;

import io.galapagos.driver.results.RunOutput;
import io.galapagos.driver.strategy.SearchStrategy;
import io.galapagos.driver.strategy.StrategySnapshots;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * The strategy's snapshots in an output's {@value RunOutput#SNAPSHOTS} folder, one file per snapshot,
 * {@code strategy-000000001234.snap} for the state after the journal's first 1234 events, written
 * atomically; the newest {@link #KEEP} are kept. A file holds a magic word, the format version, the event
 * count, the CRC-32 and length of its payload, and the payload: the strategy, serialised
 * ({@link StrategySnapshots}). Not thread-safe.
 */
public final class SnapshotStore {

    /** The format this code writes and reads. */
    public static final int FORMAT_VERSION = 1;
    static final String MAGIC = "GALAPAGOS-STRATEGY-SNAPSHOT";
    static final int KEEP = 3;
    /** A snapshot's name, {@link #name}'s form: the events it covers. */
    private static final Pattern NAME = Pattern.compile(RunOutput.SNAPSHOTS + "/strategy-(\\d{12})\\.snap");

    private final RunOutput output;

    public SnapshotStore(RunOutput output) {
        this.output = output;
    }

    /** A restored strategy and how many journal events its state covers. */
    public record Restored(SearchStrategy strategy, long events, String file) {
    }

    public void write(SearchStrategy strategy, long events) throws IOException {
        byte[] payload = StrategySnapshots.snapshot(strategy);
        CRC32 crc = new CRC32();
        crc.update(payload);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(payload.length + 64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(MAGIC);
            out.writeInt(FORMAT_VERSION);
            out.writeLong(events);
            out.writeLong(crc.getValue());
            out.writeInt(payload.length);
            out.write(payload);
        }
        output.write(name(events), bytes.toByteArray());
        List<String> all = output.list(RunOutput.SNAPSHOTS).stream().filter(f -> NAME.matcher(f).matches()).toList();
        for (String old : all.subList(0, Math.max(0, all.size() - KEEP))) {
            output.delete(old);
        }
    }

    /**
     * The newest snapshot that reads back and covers no more than the journal's {@code journalEvents}, trying older
     * ones when one is damaged (each damaged one is reported to {@code warn}); empty when none does, or when the newest
     * readable one was written by another version of Galapagos in a form this one does not read. A snapshot of
     * more events than the journal holds (the journal lost its last lines: a power loss without
     * {@code sync_journal}, an object store that keeps a segment only once closed) is reported and removed: its
     * state belongs to a history this search will not have, and kept, it would outrank every new snapshot.
     *
     * @throws SnapshotVersionException when a snapshot was written in a format this version does not know
     */
    public Optional<Restored> newest(long journalEvents, Consumer<String> warn) throws IOException {
        List<String> files = new ArrayList<>(output.list(RunOutput.SNAPSHOTS));
        for (int i = files.size() - 1; i >= 0; i--) {
            String file = files.get(i);
            Matcher name = NAME.matcher(file);
            if (!name.matches()) {
                continue; // not a snapshot: a note, a copy
            }
            long events = Long.parseLong(name.group(1));
            if (events > journalEvents) {
                warn.accept(file + " covers " + events + " journal events but the journal holds " + journalEvents
                        + "; removed, and an older snapshot tried");
                output.delete(file);
                continue;
            }
            try {
                return Optional.of(read(file));
            } catch (DamagedSnapshotException e) {
                warn.accept(file + " is damaged (" + e.getMessage() + "); trying an older snapshot");
            } catch (StrategySnapshots.EarlierFormException e) {
                // older snapshots are older still: the journal holds all they could give
                warn.accept(file + " was written by another version of Galapagos, whose " + e.className()
                        + " this one does not read; the strategy is rebuilt from the configuration and the whole"
                        + " journal replayed");
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    Restored read(String file) throws IOException {
        byte[] bytes = output.readBytes(file);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            String magic;
            try {
                magic = in.readUTF();
            } catch (IOException e) {
                throw new DamagedSnapshotException("no header");
            }
            if (!MAGIC.equals(magic)) {
                throw new DamagedSnapshotException("not a strategy snapshot");
            }
            int version = in.readInt();
            if (version != FORMAT_VERSION) {
                throw new SnapshotVersionException(output.folder() + "/" + file, version);
            }
            long events = in.readLong();
            long checksum = in.readLong();
            int length = in.readInt();
            if (length < 0 || length > bytes.length) {
                throw new DamagedSnapshotException("payload length " + length + " of a " + bytes.length + "-byte file");
            }
            byte[] payload = in.readNBytes(length);
            CRC32 crc = new CRC32();
            crc.update(payload);
            if (payload.length != length || crc.getValue() != checksum) {
                throw new DamagedSnapshotException("checksum mismatch");
            }
            try {
                return new Restored(StrategySnapshots.restore(payload), events, file);
            } catch (StrategySnapshots.EarlierFormException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new DamagedSnapshotException(e.getMessage());
            }
        } catch (java.io.EOFException e) {
            throw new DamagedSnapshotException("truncated");
        }
    }

    static String name(long events) {
        return String.format(Locale.ROOT, "%s/strategy-%012d.snap", RunOutput.SNAPSHOTS, events);
    }

    /** A snapshot that cannot be read back: truncated, overwritten, or failing its checksum. */
    static final class DamagedSnapshotException extends IOException {
        private static final long serialVersionUID = 1L;

        DamagedSnapshotException(String message) {
            super(message);
        }
    }
}
