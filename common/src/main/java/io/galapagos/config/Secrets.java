package io.galapagos.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which configuration values are secrets, and how they are hidden wherever a configuration is written down or shown
 * (an output's {@code config.yaml}, the report, an export's provenance, messages that quote a {@code --set}). A key is
 * secret when its full dotted name ({@code spark.conf.spark.hadoop.fs.s3a.secret.key}), case-insensitively, contains
 * {@code secret}, {@code password}, {@code token}, {@code account.key.} or {@code fs.azure.sas.} (Azure's account keys
 * and SAS tokens, which name the account after them), or ends with {@code .key}. Its value is replaced by
 * {@value #REDACTED}, the text Spark's own redaction writes; a configuration read back with that text still in a
 * secret key cannot be run ({@link ConfigLoader.Loaded#withSecrets()}): the value must be given again. Stateless.
 */
public final class Secrets {

    public static final String REDACTED = "*********(redacted)";

    /**
     * Parts of a key that make it secret: besides the words, Azure's account keys and SAS tokens, which name the
     * account after them ({@code fs.azure.account.key.<account>.dfs.core.windows.net},
     * {@code fs.azure.sas.<container>.<account>.blob.core.windows.net}).
     */
    private static final List<String> WORDS = List.of("secret", "password", "token", "account.key.", "fs.azure.sas.");

    private Secrets() {
    }

    /** Whether the value at the dotted {@code key} is a secret. */
    public static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.endsWith(".key") || WORDS.stream().anyMatch(k::contains);
    }

    /** A copy of {@code tree} with the value of every secret key (a whole mapping or list, if that is the value) redacted. */
    public static ObjectNode redact(ObjectNode tree) {
        ObjectNode copy = tree.deepCopy();
        redact(copy, "");
        return copy;
    }

    private static void redact(ObjectNode node, String prefix) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = prefix + field.getKey();
            if (isSecret(key) && !field.getValue().isNull()) {
                field.setValue(TextNode.valueOf(REDACTED));
            } else if (field.getValue() instanceof ObjectNode child) {
                redact(child, key + ".");
            }
        }
    }

    /** The dotted keys in {@code tree} whose value is still {@link #REDACTED}: secrets a saved configuration lacks. */
    public static List<String> missing(JsonNode tree) {
        List<String> keys = new ArrayList<>();
        missing(tree, "", keys);
        return keys;
    }

    private static void missing(JsonNode node, String prefix, List<String> keys) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = prefix + field.getKey();
            if (field.getValue().isTextual() && field.getValue().asText().equals(REDACTED)) {
                keys.add(key);
            } else {
                missing(field.getValue(), key + ".", keys);
            }
        }
    }

    /** A {@code KEY=VALUE} override as it may be shown: its value redacted when KEY is secret. */
    public static String redactOverride(String text) {
        int eq = text.indexOf('=');
        return eq < 0 || !isSecret(text.substring(0, eq).strip()) ? text : text.substring(0, eq + 1) + REDACTED;
    }
}
