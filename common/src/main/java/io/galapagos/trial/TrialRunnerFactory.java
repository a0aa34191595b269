package io.galapagos.trial;

import java.io.Serializable;

/**
 * Creates the {@link TrialRunner} on whichever JVM runs trials: shipped inside Spark functions, so it
 * holds only serialisable settings, never driver objects.
 */
public interface TrialRunnerFactory extends Serializable {

    TrialRunner create();
}
