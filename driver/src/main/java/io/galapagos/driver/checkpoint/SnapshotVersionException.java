package io.galapagos.driver.checkpoint;

import io.galapagos.driver.results.OutputException;

/** A snapshot written in a format this version of Galapagos does not know: bad input, not damage. */
public final class SnapshotVersionException extends OutputException {

    private static final long serialVersionUID = 1L;

    public SnapshotVersionException(String file, int version) {
        super(file, "is a strategy snapshot of format version " + version + "; this Galapagos reads version "
                + SnapshotStore.FORMAT_VERSION + " only (resume with the version that wrote it)");
    }
}
