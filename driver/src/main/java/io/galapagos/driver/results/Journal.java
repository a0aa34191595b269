package io.galapagos.driver.results;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.galapagos.driver.study.StudyListener;
import io.galapagos.trial.TrialResult;
import io.galapagos.trial.TrialResultJson;
import org.apache.hadoop.fs.FSDataOutputStream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The append-only {@code journal.jsonl}: one JSON object per line, a {@code study} record first, then
 * one {@code result} record per finished trial, flushed as soon as it is written. Not thread-safe; the
 * study loop writes from one thread.
 */
public final class Journal implements StudyListener, AutoCloseable {

    private final FSDataOutputStream out;

    Journal(FSDataOutputStream out) {
        this.out = out;
    }

    public void append(ObjectNode record) throws IOException {
        out.write((record.toString() + "\n").getBytes(StandardCharsets.UTF_8));
        out.hflush();
    }

    @Override
    public void finished(TrialResult result, int finished, int total) {
        try {
            append(TrialResultJson.toJson(result));
        } catch (IOException e) {
            throw new UncheckedIOException("could not append " + result.candidate().trialId() + " to the journal", e);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
