package io.galapagos.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code --set KEY=VALUE} overrides of one configuration file: applies them to the file's tree, and makes each
 * error name where its value came from, so that a typo in {@code --set trails=3} is reported as
 * {@code --set trails=3: unknown key}, not as the file's. An error at a key an override set, or inside or above it,
 * is the override's (the last such one: it won); an error that weighs one key against others (a record's check, two
 * sections that exclude each other) names the file with the overrides among those keys; any other the file. KEY is
 * dotted ({@code training.epochs}); below {@code spark.conf} the rest of it is one name
 * ({@code spark.conf.spark.executor.memory=2g}), as Spark's keys hold dots. VALUE is read as YAML, so {@code [3,5]}
 * is a list. Messages show a {@linkplain Secrets secret} override's value redacted. Immutable.
 */
public final class Overrides {

    private static final Pattern KEY = Pattern.compile("[^.\\s]+(\\.[^.\\s]+)*");
    private static final Pattern INDEX = Pattern.compile("\\[\\d+]");
    /** Mappings whose own keys are free-form names with dots, such as Spark's. */
    private static final List<String> FREE_FORM = List.of("spark.conf");

    /** One {@code --set}: its key as written, its value's text, and how messages show it. */
    private record Override(String key, String value, String shown) {

        /** Whether an error at {@code plainKey} (list indexes removed) is about this override's value. */
        boolean covers(String plainKey) {
            String own = plain(key);
            return plainKey.equals(own) || plainKey.startsWith(own + ".") || own.startsWith(plainKey + ".");
        }
    }

    private final String file;
    private final List<Override> overrides;

    private Overrides(String file, List<Override> overrides) {
        this.file = file;
        this.overrides = overrides;
    }

    /**
     * The overrides of {@code file}, each {@code KEY=VALUE}; a malformed one is a {@link ConfigException}.
     *
     * @param file where the other values come from, as messages name it
     */
    public static Overrides of(String file, List<String> texts) {
        List<Override> parsed = new ArrayList<>();
        for (String text : texts) {
            int eq = text.indexOf('=');
            String key = eq < 0 ? text : text.substring(0, eq).strip();
            String shown = "--set " + ConfigException.shown(Secrets.redactOverride(text), false);
            if (eq < 0 || !KEY.matcher(key).matches()) {
                throw new ConfigException(shown, "", "expected KEY=VALUE with a dotted KEY, e.g. training.epochs=3");
            }
            if (text.substring(eq + 1).isBlank()) {
                // an unset shell variable (--set training.epochs=$EPOCHS) would otherwise bring back the default
                throw new ConfigException(shown, "", "has no value after '='; give one, or KEY=null to unset the key");
            }
            parsed.add(new Override(key, text.substring(eq + 1), shown));
        }
        return new Overrides(file, List.copyOf(parsed));
    }

    /**
     * The Spark properties these overrides set ({@code spark.conf.KEY=VALUE}, later ones winning), as a configuration's
     * {@code spark.conf} section gives them: what reaching a recorded configuration's own file system may need (its
     * s3a keys, say) before that configuration is read.
     */
    public Map<String, String> sparkConf() {
        ObjectNode tree = JsonNodeFactory.instance.objectNode();
        applyTo(tree);
        Map<String, String> conf = new LinkedHashMap<>();
        tree.path("spark").path("conf").fields().forEachRemaining(e -> {
            if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                conf.put(e.getKey(), e.getValue().asText());
            }
        });
        return conf;
    }

    /** The dotted keys these overrides set, in order. */
    public List<String> keys() {
        return overrides.stream().map(Override::key).toList();
    }

    /** No overrides: every error is {@code source}'s. */
    static Overrides none(String source) {
        return new Overrides(source, List.of());
    }

    /** Sets each override's value in {@code tree}, in order, replacing whatever (mapping or value) is in the way. */
    void applyTo(ObjectNode tree) {
        for (Override o : overrides) {
            JsonNode value = YamlTrees.read(o.shown(), o.key(), o.value());
            List<String> path = path(o.key());
            ObjectNode node = tree;
            for (String part : path.subList(0, path.size() - 1)) {
                JsonNode next = node.get(part);
                node = next != null && next.isObject() ? (ObjectNode) next : node.putObject(part);
            }
            node.set(path.get(path.size() - 1), value == null ? JsonNodeFactory.instance.nullNode() : value);
        }
    }

    /** The key's names from the root; below a free-form mapping, the rest is one name. */
    private static List<String> path(String key) {
        for (String freeForm : FREE_FORM) {
            if (key.startsWith(freeForm + ".")) {
                List<String> path = new ArrayList<>(List.of(freeForm.split("\\.")));
                path.add(key.substring(freeForm.length() + 1));
                return path;
            }
        }
        return List.of(key.split("\\."));
    }

    /**
     * The error at {@code key}, named after the override that set it, or else after the file (with the overrides of
     * {@code weighed}, keys or sections the check compared the value with).
     */
    ConfigException error(String key, String detail, String... weighed) {
        Override owner = owner(key);
        if (owner != null) {
            return new ConfigException(owner.shown(), key, key.equals(owner.key()) ? "" : key, detail);
        }
        List<String> involved = new ArrayList<>();
        for (Override o : overrides) {
            for (String other : weighed) {
                if (o.covers(plain(other)) && !involved.contains(o.shown())) {
                    involved.add(o.shown());
                }
            }
        }
        return new ConfigException(involved.isEmpty() ? file : file + " with " + String.join(" ", involved), key, detail);
    }

    /** The override that gave the value at {@code key}: the last one at, inside or above it; or null. */
    private Override owner(String key) {
        String plain = plain(key);
        for (int i = overrides.size() - 1; i >= 0; i--) {
            if (overrides.get(i).covers(plain)) {
                return overrides.get(i);
            }
        }
        return null;
    }

    private static String plain(String key) {
        return INDEX.matcher(key).replaceAll("");
    }

    /**
     * {@code e} as this file's overrides would have reported it: an error raised against the file by a check made
     * after loading (the data files a key names, say) becomes the override's when an override set that key.
     */
    public ConfigException blame(ConfigException e) {
        return e.source().equals(file) && !e.key().isEmpty() && owner(e.key()) != null ? error(e.key(), e.detail()) : e;
    }
}
