package io.galapagos.driver.results;

/** An output folder that cannot be used; the message names the folder and what is wrong. */
public final class OutputException extends RuntimeException {

    public OutputException(String location, String problem) {
        super("output " + location + ": " + problem);
    }
}
