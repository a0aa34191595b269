package io.galapagos.driver.results;

/** An output folder that cannot be used; the message names the folder and what is wrong. */
public class OutputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public OutputException(String location, String problem) {
        super("output " + location + ": " + problem);
    }
}
