package io.galapagos.driver.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.galapagos.config.DataConfig;
import io.galapagos.config.Dl4jTrainerConfig;
import io.galapagos.driver.results.RunOutput;
import io.galapagos.worker.data.DataSplit;
import io.galapagos.worker.data.FullData;
import io.galapagos.worker.data.ImageDataset;
import io.galapagos.worker.network.InputSpec;
import io.galapagos.worker.network.NetworkInput;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.util.List;

/** An image search's export: its IDX files, the {@code train_limit} training images its trials used. */
record ImageExportData(Dl4jTrainerConfig trainer, FullData data) implements ExportData {

    static ImageExportData load(Dl4jTrainerConfig trainer, Configuration hadoop) throws IOException {
        return new ImageExportData(trainer, FullData.load(trainer.data(), hadoop));
    }

    @Override
    public ImageDataset train() {
        return data.train();
    }

    @Override
    public ImageDataset test() {
        return data.test();
    }

    @Override
    public DataSplit trials() {
        return data.trials();
    }

    @Override
    public NetworkInput input() {
        return InputSpec.of(data.train());
    }

    @Override
    public void describe(ObjectNode provenance, Configuration hadoop) throws IOException {
        ObjectNode input = provenance.putObject("input");
        input.put("kind", "images").put("height", data.train().height()).put("width", data.train().width())
                .put("channels", data.train().channels()).put("classes", data.train().classes())
                .put("layout", "rows of height x width x channels values, row-major ([n, channels, height, width] too)")
                .put("scaling", "pixel / 255, in [0, 1]");
        DataConfig files = trainer.data();
        ObjectNode dataNode = provenance.putObject("data");
        for (String[] file : new String[][]{{"train_images", files.trainImages()},
                {"train_labels", files.trainLabels()}, {"test_images", files.testImages()},
                {"test_labels", files.testLabels()}}) {
            dataNode.putObject(file[0]).put("path", file[1]).put("sha256", Provenance.fileSha256(file[1], hadoop));
        }
        dataNode.put("train_examples", data.train().size()).put("test_examples", data.test().size());
    }

    @Override
    public List<String> writeBeside(RunOutput model) {
        // an image model needs nothing but its provenance's input section
        return List.of();
    }
}
