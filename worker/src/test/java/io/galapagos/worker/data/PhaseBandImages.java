package io.galapagos.worker.data;

import io.galapagos.config.CellNetworkConfig;
import io.galapagos.config.Constraints;
import io.galapagos.config.TrainingConfig;
import io.galapagos.space.CellArchitecture;
import io.galapagos.worker.network.InfeasibleNetworkException;
import io.galapagos.worker.network.InputSpec;
import io.galapagos.worker.training.FullDataTraining;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A planted task for cell search on the pool skeleton, which only cells with one structure can learn: each image holds
 * two bands of a checkerboard (the highest frequency an image has), a gap apart ({@value #GAP} columns unless said
 * otherwise), each with a random sign and amplitude, on Gaussian noise; the label says whether the two signs agree.
 *
 * <p>Why only some cells can read it. The pool skeleton's stem and reductions are linear, and 2x2 average pooling
 * maps a checkerboard to zero, so the label must be read in the first stage, and read by a rectification (the ReLU
 * that opens {@code nor_conv_1x1} and {@code nor_conv_3x3}): one band's sign alone tells nothing; where the two
 * bands overlap, the size of their rectified sum depends on whether the signs agree. Each 3x3 operation (the stem, a
 * 3x3 convolution, a 3x3 pooling) widens a band by one column on each side, so at a gap of 4 the bands first overlap
 * after three of them, and a ReLU must come after that: in a cell, only the chain of edge 0 (node 1 from the input)
 * and edge 2 (node 2 from node 1), both spatial, followed by a convolution on edge 5 (node 3 from node 2), has that.
 * At a gap of 2 they overlap after two (the stem and one in the cell), so a 3x3 operation followed by a convolution on
 * any path of the cell reads the label. A 3x3 pooling shrinks the checkerboard to a ninth and the noise only to a
 * third; in practice only 3x3 convolutions carry it.
 */
public final class PhaseBandImages {

    public static final int SIZE = 12;
    public static final int BAND = 3;
    public static final int GAP = 4;
    private static final double NOISE = 0.2;

    private PhaseBandImages() {
    }

    /** {@code n} images from {@code seed}, bands {@value #GAP} columns apart: label 1 when their signs agree. */
    public static ImageDataset draw(int n, long seed) {
        return draw(n, seed, GAP);
    }

    /** {@code n} images from {@code seed}, bands {@code gap} columns apart: label 1 when their signs agree, else 0. */
    public static ImageDataset draw(int n, long seed, int gap) {
        Images images = generate(n, seed, gap);
        return ImageDataset.copyOf(images.pixels(), images.labels(), SIZE, SIZE, 1, 2);
    }

    /**
     * Writes {@link #draw}'s images as the IDX files {@code <name>-images-idx3-ubyte} and {@code
     * <name>-labels-idx1-ubyte} in {@code folder} (pixels quantised to bytes), for code that reads a data
     * configuration; returns the images file.
     */
    public static Path writeIdx(Path folder, String name, int n, long seed, int gap) throws IOException {
        Images images = generate(n, seed, gap);
        byte[] bytes = new byte[images.pixels().length];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Math.round(Math.max(0, Math.min(1, images.pixels()[i])) * 255);
        }
        IdxFiles.writeLabels(folder.resolve(name + "-labels-idx1-ubyte"), images.labels(), false);
        return IdxFiles.writeImages(folder.resolve(name + "-images-idx3-ubyte"), n, SIZE, SIZE, bytes, false);
    }

    private record Images(float[] pixels, int[] labels) {
    }

    private static Images generate(int n, long seed, int gap) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] pixels = new float[n * SIZE * SIZE];
        int[] labels = new int[n];
        for (int k = 0; k < n; k++) {
            int leftSign = random.nextBoolean() ? 1 : -1;
            int rightSign = random.nextBoolean() ? 1 : -1;
            labels[k] = leftSign == rightSign ? 1 : 0;
            double leftAmplitude = 0.6 + 0.4 * random.nextDouble();
            double rightAmplitude = 0.6 + 0.4 * random.nextDouble();
            // the bands' positions vary, so that where a band starts cannot stand in for its sign
            int left = random.nextInt(SIZE - 2 * BAND - gap + 1);
            int right = left + BAND + gap;
            int top = random.nextInt(3);
            int bottom = SIZE - 4 + top + random.nextInt(5 - top);
            for (int row = 0; row < SIZE; row++) {
                for (int column = 0; column < SIZE; column++) {
                    double value = NOISE * gaussian(random);
                    int checker = (row + column) % 2 == 0 ? 1 : -1;
                    if (row >= top && row < bottom) {
                        if (column >= left && column < left + BAND) {
                            value += leftAmplitude * leftSign * checker;
                        } else if (column >= right && column < right + BAND) {
                            value += rightAmplitude * rightSign * checker;
                        }
                    }
                    pixels[(k * SIZE + row) * SIZE + column] = (float) (0.5 + 0.25 * value);
                }
            }
        }
        return new Images(pixels, labels);
    }

    /**
     * The validation accuracy of {@code cell}'s network on {@code skeleton} after training from scratch as a trial
     * trains (Adam at 0.01 on a cosine schedule, batches of 64, 3 epochs, seed 3).
     */
    public static double standAlone(CellArchitecture cell, CellNetworkConfig skeleton, ImageDataset train,
                             ImageDataset validation) throws InfeasibleNetworkException {
        TrainingConfig training = new TrainingConfig(3, Double.MAX_VALUE, 64, 0.01, 10, 1, Constraints.NONE, List.of(),
                skeleton, TrainingConfig.LearningRateSchedule.COSINE);
        ComputationGraph network = FullDataTraining.network(cell, InputSpec.of(train), training, 3);
        Optional<String> diverged = FullDataTraining.inProcess(network, train, training, 3, (graph, done) -> { });
        if (diverged.isPresent()) {
            throw new IllegalStateException(cell.text() + ": " + diverged.get());
        }
        return FullDataTraining.accuracy(network, validation);
    }

    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
