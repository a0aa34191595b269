package io.galapagos.driver.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.galapagos.config.TextDataConfig;
import io.galapagos.config.TextTrainerConfig;
import io.galapagos.driver.results.RunOutput;
import io.galapagos.text.Vocabulary;
import io.galapagos.text.VocabularyRules;
import io.galapagos.worker.network.NetworkInput;
import io.galapagos.worker.network.TokenInput;
import io.galapagos.worker.text.FullText;
import io.galapagos.worker.text.TextSplit;
import io.galapagos.worker.text.TokenDataset;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.util.List;

/**
 * A text search's export: its files cut as the search cut them, encoded with the search's own vocabulary, which the
 * model folder keeps as {@value ExportedVocabulary#NAME}.
 */
record TextExportData(TextTrainerConfig trainer, FullText data) implements ExportData {

    static TextExportData load(TextTrainerConfig trainer, Vocabulary vocabulary, Configuration hadoop)
            throws IOException {
        return new TextExportData(trainer, FullText.load(trainer.data(), vocabulary, hadoop));
    }

    @Override
    public TokenDataset train() {
        return data.train();
    }

    @Override
    public TokenDataset test() {
        return data.test();
    }

    @Override
    public TextSplit trials() {
        return data.trials();
    }

    @Override
    public NetworkInput input() {
        return new TokenInput(data.vocabulary().size(), data.vocabulary().maxLength(), data.classes().size());
    }

    @Override
    public void describe(ObjectNode provenance, Configuration hadoop) throws IOException {
        Vocabulary vocabulary = data.vocabulary();
        TextDataConfig files = trainer.data();
        ObjectNode input = provenance.putObject("input");
        input.put("kind", "text").put("vocabulary", ExportedVocabulary.NAME)
                .put("vocabulary_size", vocabulary.size()).put("max_length", vocabulary.maxLength())
                .put("lower_case", vocabulary.lowerCase()).put("padding_id", Vocabulary.PAD)
                .put("unknown_id", Vocabulary.UNKNOWN).put("encoding", files.encoding())
                .put("classes", data.classes().size())
                .put("layout", "features [n, 1, max_length]: token ids as floats, padded with padding_id; features "
                        + "mask [n, max_length]: 1 at a token, 0 at padding (" + ExportedVocabulary.NAME + " says how "
                        + "text becomes ids)");
        ObjectNode dataNode = provenance.putObject("data");
        dataNode.put("format", TextDataConfig.FORMAT).put("encoding", files.encoding());
        dataNode.putObject("train").put("path", files.train())
                .put("sha256", Provenance.fileSha256(files.train(), hadoop));
        split(dataNode, "validation", files.validation(), files.validationFraction(), hadoop);
        split(dataNode, "test", files.test(), files.testFraction(), hadoop);
        dataNode.put("split_seed", files.seed());
        ObjectNode rules = dataNode.putObject("vocabulary_rules").put("lower_case", files.vocabulary().lowerCase())
                .put("min_count", files.vocabulary().minCount()).put("max_vocabulary", files.vocabulary().maxSize());
        if (files.vocabulary().maxLength() == VocabularyRules.AUTO_LENGTH) {
            rules.put("max_length", "auto");
        } else {
            rules.put("max_length", files.vocabulary().maxLength());
        }
        dataNode.put("train_examples", data.train().size()).put("test_examples", data.test().size());
    }

    /** A split's own file, or the share of the training file it was cut from (stratified, with the split seed). */
    private static void split(ObjectNode dataNode, String name, String file, double fraction, Configuration hadoop)
            throws IOException {
        if (file != null) {
            dataNode.putObject(name).put("path", file).put("sha256", Provenance.fileSha256(file, hadoop));
        } else {
            dataNode.putObject(name).put("cut_from_train", fraction);
        }
    }

    @Override
    public List<String> writeBeside(RunOutput model) throws IOException {
        model.write(ExportedVocabulary.NAME, new ExportedVocabulary(data.vocabulary(), data.classes(),
                trainer.data().encoding()).toJson().toPrettyString() + "\n");
        return List.of(ExportedVocabulary.NAME);
    }
}
