package io.galapagos.worker.darts;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AlphaAdamTest {

    @Test
    void theFirstStepMovesEveryEntryByTheRateAgainstItsGradientsSign() {
        AlphaAdam adam = new AlphaAdam(0.01, 0.5, 0.999, 0);
        INDArray alpha = Nd4j.zeros(DataType.DOUBLE, 2, 2);
        adam.step(alpha, Nd4j.create(new double[][]{{3, -0.2}, {1e-3, -50}}));
        // bias-corrected moments of one step are g and g*g, so the step is rate * g / |g|
        assertEquals(Nd4j.create(new double[][]{{-0.01, 0.01}, {-0.01, 0.01}}), alpha);
    }

    @Test
    void weightDecayPullsAlphaTowardsZeroWithoutAGradient() {
        AlphaAdam adam = new AlphaAdam(0.01, 0.5, 0.999, 1e-3);
        INDArray alpha = Nd4j.create(new double[]{2, -2});
        adam.step(alpha, Nd4j.zeros(DataType.DOUBLE, 2));
        assertEquals(1.99, alpha.getDouble(0), 1e-5);
        assertEquals(-1.99, alpha.getDouble(1), 1e-5);
    }

    @Test
    void aRestoredOptimiserContinuesExactlyAsTheOriginal() {
        AlphaAdam original = new AlphaAdam(0.003, 0.5, 0.999, 1e-3);
        INDArray alpha = Nd4j.create(new double[]{0.1, -0.3, 0.7});
        INDArray[] gradients = {Nd4j.create(new double[]{1, 2, -1}), Nd4j.create(new double[]{-0.5, 0.1, 0.3}),
                Nd4j.create(new double[]{0.2, -0.2, 2})};
        original.step(alpha, gradients[0]);
        AlphaAdam restored = new AlphaAdam(0.003, 0.5, 0.999, 1e-3);
        restored.restore(original.state());
        INDArray copy = alpha.dup();
        for (int i = 1; i < gradients.length; i++) {
            original.step(alpha, gradients[i]);
            restored.step(copy, gradients[i]);
        }
        assertEquals(alpha, copy);
        assertEquals(3, restored.state().steps());
    }

    @Test
    void refusesSettingsOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> new AlphaAdam(0, 0.5, 0.999, 0));
        assertThrows(IllegalArgumentException.class, () -> new AlphaAdam(1e-3, 1, 0.999, 0));
        assertThrows(IllegalArgumentException.class, () -> new AlphaAdam(1e-3, 0.5, 0.999, -1));
    }
}
