package io.galapagos.driver.results;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.galapagos.driver.study.StudyListener;
import io.galapagos.trial.Candidate;
import io.galapagos.trial.TrialResult;
import io.galapagos.trial.TrialResultJson;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.StreamCapabilities;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * One session's segment of the append-only journal: one JSON object per line; a {@code study} record (or,
 * when resuming, a {@code resume} record) first, then a {@code proposal} record for each candidate handed
 * to an executor and a {@code result} record for each finished trial, in the order they happened, and a
 * closing {@code summary}. Each record is flushed (hflush: in the file system, readable by others, safe
 * from a crash of this process) or, with {@code sync}, synced to disk (hsync) before {@link #append}
 * returns. As a {@link StudyListener} it is told of a result before the strategy is, so that no strategy
 * ever learns of a result the journal could lose. The segment's file is created by its first record, so that a
 * session stopped before it had one to write (Spark failing to start, a kill) leaves no empty segment, which would
 * read as a search without a study record. Not thread-safe; the study loop writes from one thread.
 */
public final class Journal implements StudyListener, AutoCloseable {

    /** The journal's record types. */
    public static final String STUDY = "study";
    public static final String RESUME = "resume";
    public static final String PROPOSAL = "proposal";
    public static final String RESULT = "result";
    public static final String SUMMARY = "summary";

    /** Creates the segment's file. */
    @FunctionalInterface
    interface Segment {
        FSDataOutputStream create() throws IOException;
    }

    /** Fails when this session may no longer write (another driver took its output folder over). */
    @FunctionalInterface
    interface Permission {
        void check() throws IOException;
    }

    private final Segment segment;
    private final boolean sync;
    private final Permission permission;
    private FSDataOutputStream out;
    private long events;

    Journal(Segment segment, boolean sync, Permission permission) {
        this.segment = segment;
        this.sync = sync;
        this.permission = permission;
    }

    public void append(ObjectNode record) throws IOException {
        permission.check();
        if (out == null) {
            out = segment.create();
        }
        out.write((record.toString() + "\n").getBytes(StandardCharsets.UTF_8));
        if (sync) {
            out.hsync();
        } else {
            out.hflush();
        }
    }

    @Override
    public void submitted(Candidate candidate) {
        appendEvent(TrialResultJson.candidateJson(PROPOSAL, candidate), candidate.trialId());
    }

    @Override
    public void finished(TrialResult result, int finished, int total) {
        appendEvent(TrialResultJson.toJson(result), result.candidate().trialId());
    }

    /** Proposals and results this segment holds. */
    public long events() {
        return events;
    }

    private void appendEvent(ObjectNode record, String trial) {
        try {
            append(record);
            events++;
        } catch (IOException e) {
            throw new UncheckedIOException("could not append the " + record.get("type").asText() + " of " + trial
                    + " to the journal", e);
        }
    }

    /**
     * Closes the segment; once this session may no longer write, a segment an object store shows only when closed is
     * abandoned instead: another driver, not seeing it, may have chosen its name.
     */
    @Override
    public void close() throws IOException {
        if (out == null) {
            return;
        }
        try {
            permission.check();
        } catch (IOException lost) {
            if (out.hasCapability(StreamCapabilities.ABORTABLE_STREAM)) {
                out.abort();
            } else {
                out.close();
            }
            throw lost;
        }
        out.close();
    }
}
