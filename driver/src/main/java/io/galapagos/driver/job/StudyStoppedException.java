package io.galapagos.driver.job;

/** A study stopped before its trials ran out, for the reason in the message (its reports are written). */
public final class StudyStoppedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StudyStoppedException(String message) {
        super(message);
    }
}
