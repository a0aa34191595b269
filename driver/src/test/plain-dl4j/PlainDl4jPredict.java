import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.StringJoiner;

/**
 * What a user of an exported text model writes, with DeepLearning4J and ND4J 1.0.0-M2.1 and the export's layers.jar on
 * the classpath and no Galapagos jar: restore model.zip, feed it token ids, print each text's class probabilities.
 * TextExportJobTest runs it in a JVM of its own as a single-file program ({@code java -cp ... PlainDl4jPredict.java}).
 *
 * <p>Arguments: model.zip, the vocabulary's max_length, a file of token ids (one text a line, separated by spaces,
 * as vocabulary.json maps tokens to ids). Prints one line per text, its probabilities separated by commas; first a
 * line saying whether any Galapagos class other than the layers is on the classpath.
 */
public class PlainDl4jPredict {

    public static void main(String[] args) throws Exception {
        System.out.println("galapagos-classes: " + loadable("io.galapagos.worker.network.NetworkBuilder"));
        ComputationGraph model = ModelSerializer.restoreComputationGraph(new File(args[0]), false);
        int maxLength = Integer.parseInt(args[1]);
        List<String> texts = Files.readAllLines(Path.of(args[2]));
        int n = texts.size();
        float[] ids = new float[n * maxLength];
        float[] mask = new float[n * maxLength];
        for (int i = 0; i < n; i++) {
            String[] tokens = texts.get(i).trim().split(" ");
            for (int t = 0; t < Math.min(tokens.length, maxLength); t++) {
                ids[i * maxLength + t] = Integer.parseInt(tokens[t]);
                mask[i * maxLength + t] = 1;
            }
        }
        INDArray features = Nd4j.create(ids, new long[]{n, 1, maxLength}, DataType.FLOAT);
        INDArray featuresMask = Nd4j.create(mask, new long[]{n, maxLength}, DataType.FLOAT);
        INDArray probabilities = model.output(false, new INDArray[]{features}, new INDArray[]{featuresMask})[0];
        for (int i = 0; i < n; i++) {
            StringJoiner line = new StringJoiner(",");
            for (int c = 0; c < probabilities.columns(); c++) {
                line.add(Float.toString(probabilities.getFloat(i, c)));
            }
            System.out.println(line);
        }
    }

    private static boolean loadable(String name) {
        try {
            Class.forName(name);
            return true;
        } catch (ClassNotFoundException absent) {
            return false;
        }
    }
}
