package io.galapagos.driver.results;

import java.io.IOException;

/** An output folder (or a command's input file) that cannot be used; the message names it and what is wrong. */
public class OutputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public OutputException(String location, String problem) {
        this("output " + location + ": " + problem);
    }

    private OutputException(String message) {
        super(message);
    }

    /** A data file given to a command (predict's images or texts) that cannot be used. */
    public static OutputException input(String location, String problem) {
        return new OutputException("input " + location + ": " + problem);
    }

    /** {@code location} could not be used: the first line of what its file system said. */
    public static OutputException unusable(String location, IOException e) {
        return new OutputException(location, "cannot be used: " + RunOutput.firstLine(e));
    }
}
