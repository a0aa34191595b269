package io.galapagos.driver.export;

/** An export whose training diverged: nothing was saved. The command line says so in one line, exit 1. */
public final class ExportDivergedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    ExportDivergedException(String divergence) {
        super("the export's training " + divergence + "; nothing was saved (a lower training.learning_rate, or "
                + "--epochs, may train it)");
    }
}
