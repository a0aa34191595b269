package io.galapagos.driver.results;

/**
 * An output folder another driver holds ({@link DriverLease}): not bad input but a folder busy for now, which a
 * scheduler may try again once that driver has ended.
 */
public final class OutputInUseException extends OutputException {

    private static final long serialVersionUID = 1L;

    OutputInUseException(String location, String problem) {
        super(location, problem);
    }
}
