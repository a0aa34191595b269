package io.galapagos.driver.results;

import java.io.IOException;

/** An output folder that cannot be used; the message names the folder and what is wrong. */
public class OutputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public OutputException(String location, String problem) {
        super("output " + location + ": " + problem);
    }

    /** {@code location} could not be used: the first line of what its file system said. */
    public static OutputException unusable(String location, IOException e) {
        return new OutputException(location, "cannot be used: " + RunOutput.firstLine(e));
    }
}
