package io.galapagos.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.galapagos.space.InvalidValueException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Reads one section of a YAML tree strictly: every read names the key, checks the type and range, and
 * records the effective value (default included) into a mirror tree, which becomes {@code config.yaml}.
 * {@link #finish()} rejects keys nobody read. Errors name the file or the {@code --set} a value came from
 * ({@link Overrides}). Not thread-safe; one per load.
 */
final class ConfigReader {

    private final Overrides sources;
    private final String prefix;
    private final JsonNode node;
    private final ObjectNode effective;
    private final TreeSet<String> known = new TreeSet<>();
    private final List<ConfigReader> children = new ArrayList<>();

    private ConfigReader(Overrides sources, String prefix, JsonNode node, ObjectNode effective) {
        this.sources = sources;
        this.prefix = prefix;
        this.node = node;
        this.effective = effective;
    }

    static ConfigReader root(Overrides sources, JsonNode node, ObjectNode effective) {
        ConfigReader reader = new ConfigReader(sources, "", node, effective);
        if (!node.isObject()) {
            throw reader.error("", node, "expected a mapping of keys at the top level");
        }
        return reader;
    }

    String key(String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    /**
     * The error of {@code value} at {@code name} (this section's own key when empty), named after the value's source.
     *
     * @param weighed the full keys or sections the check compared the value with, if any: their overrides are named
     *                too when the value itself is the file's
     */
    ConfigException error(String name, Object value, String reason, String... weighed) {
        String key = name.isEmpty() ? prefix : key(name);
        return sources.error(key, shown(key, value) + " " + reason, weighed);
    }

    /** A value as written (1e999 is Infinity, not "Infinity"); a list or mapping as JSON; never a secret. */
    private static String shown(String key, Object value) {
        if (Secrets.isSecret(key)) {
            return "'" + Secrets.REDACTED + "'";
        }
        if (value instanceof JsonNode json) {
            return ConfigException.shown(json.isValueNode() ? json.asText() : json.toString(), json.isTextual());
        }
        return ConfigException.shown(String.valueOf(value), false);
    }

    /** A record's rejection of a value of this section: it may have weighed the value against the section's others. */
    ConfigException error(InvalidValueException e) {
        return error(e.key(), e.text() ? TextNode.valueOf(e.value()) : e.value(), e.reason(), prefix);
    }

    private JsonNode value(String name) {
        known.add(name);
        JsonNode v = node.get(name);
        return v == null || v.isNull() ? null : v;
    }

    /** Whether the key is present with a non-null value; does not count as reading it. */
    boolean has(String name) {
        JsonNode v = node.get(name);
        return v != null && !v.isNull();
    }

    /** Whether the key is present at all, even with a null value (an empty section); does not count as reading it. */
    boolean present(String name) {
        return node.get(name) != null;
    }

    /** The value as written, for messages about a key that is not read; does not count as reading it. */
    JsonNode raw(String name) {
        return node.get(name);
    }

    /** Counts a key as known (listed in unknown-key messages) without reading it. */
    void allow(String name) {
        known.add(name);
    }

    ConfigReader section(String name) {
        JsonNode v = value(name);
        if (v != null && !v.isObject()) {
            throw error(name, v, "should be a mapping of keys");
        }
        ConfigReader child = new ConfigReader(sources, key(name), v == null ? JsonNodeFactory.instance.objectNode() : v,
                effective.putObject(name));
        children.add(child);
        return child;
    }

    /** A single value, or {@code null} (and nothing in the effective tree) when the key is absent. */
    String optionalString(String name) {
        JsonNode v = node.get(name);
        return v == null || v.isNull() ? read(name) : string(name, null);
    }

    private String read(String name) {
        known.add(name);
        return null;
    }

    String string(String name, String fallback) {
        JsonNode v = value(name);
        if (v != null && !v.isValueNode()) {
            throw error(name, v, "should be a single value");
        }
        String s = v == null ? fallback : v.asText();
        if (s == null || s.isBlank()) {
            throw error(name, s == null ? "(missing)" : "''", "is required");
        }
        effective.put(name, s);
        return s;
    }

    boolean bool(String name, boolean fallback) {
        JsonNode v = value(name);
        if (v != null && !v.isBoolean()) {
            throw error(name, v, "should be true or false");
        }
        boolean b = v == null ? fallback : v.asBoolean();
        effective.put(name, b);
        return b;
    }

    /** One name, turned into a value by {@code parse}. */
    <T> T name(String name, T fallback, Function<String, T> parse, Function<T, String> text) {
        JsonNode v = value(name);
        if (v != null && !v.isTextual()) {
            throw error(name, v, "should be a name");
        }
        T value;
        try {
            value = v == null ? fallback : parse.apply(v.asText());
        } catch (IllegalArgumentException e) {
            throw error(name, v, "is not valid: " + e.getMessage());
        }
        effective.put(name, text.apply(value));
        return value;
    }

    /**
     * One of an enum's constants, named by its name in lower case ({@code cosine} for {@code COSINE}); a
     * bad name's message lists them all.
     */
    <E extends Enum<E>> E word(String name, E fallback) {
        E[] values = fallback.getDeclaringClass().getEnumConstants();
        List<String> words = new ArrayList<>();
        for (E value : values) {
            words.add(word(value));
        }
        String last = words.remove(words.size() - 1);
        String expected = "expected " + (words.isEmpty() ? "" : String.join(", ", words) + " or ") + last;
        return name(name, fallback, text -> {
            for (E value : values) {
                if (word(value).equals(text)) {
                    return value;
                }
            }
            throw new IllegalArgumentException(expected);
        }, ConfigReader::word);
    }

    private static String word(Enum<?> value) {
        return value.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Replaces the effective value of a key already read, e.g. with a resolved path. */
    void setEffective(String name, String value) {
        effective.put(name, value);
    }

    long longValue(String name, long fallback) {
        JsonNode v = value(name);
        long n = v == null ? fallback : asLong(name, v);
        effective.put(name, n);
        return n;
    }

    int integer(String name, int fallback, int min, int max) {
        JsonNode v = value(name);
        int n = v == null ? fallback : checkedInt(name, v, min, max);
        effective.put(name, n);
        return n;
    }

    double decimal(String name, double fallback, double min, double max) {
        JsonNode v = value(name);
        double d = v == null ? fallback : checkedDouble(name, v, min, max);
        effective.put(name, d);
        return d;
    }

    List<Integer> integers(String name, List<Integer> fallback, int min, int max) {
        List<Integer> values = list(name, fallback, (item, v) -> checkedInt(item, v, min, max));
        values.forEach(effective.putArray(name)::add);
        return values;
    }

    List<Double> decimals(String name, List<Double> fallback, double min, double max) {
        List<Double> values = list(name, fallback, (item, v) -> checkedDouble(item, v, min, max));
        values.forEach(effective.putArray(name)::add);
        return values;
    }

    List<Boolean> booleans(String name, List<Boolean> fallback) {
        List<Boolean> values = list(name, fallback, (item, v) -> {
            if (!v.isBoolean()) {
                throw error(item, v, "should be true or false");
            }
            return v.asBoolean();
        });
        values.forEach(effective.putArray(name)::add);
        return values;
    }

    /** A list of names, each turned into a value by {@code parse}; {@code text} gives the name back. */
    <T> List<T> names(String name, List<T> fallback, Function<String, T> parse, Function<T, String> text) {
        List<T> values = list(name, fallback, (item, v) -> {
            if (!v.isTextual()) {
                throw error(item, v, "should be a name");
            }
            try {
                return parse.apply(v.asText());
            } catch (IllegalArgumentException e) {
                throw error(item, v, "is not valid: " + e.getMessage());
            }
        });
        ArrayNode out = effective.putArray(name);
        values.forEach(value -> out.add(text.apply(value)));
        return values;
    }

    /** A mapping of string keys to scalar values, taken as strings. */
    Map<String, String> stringMap(String name) {
        JsonNode v = value(name);
        Map<String, String> map = new LinkedHashMap<>();
        ObjectNode out = effective.putObject(name);
        if (v == null) {
            return map;
        }
        if (!v.isObject()) {
            throw error(name, v, "should be a mapping of keys to values");
        }
        Iterator<Map.Entry<String, JsonNode>> fields = v.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (!f.getValue().isValueNode() || f.getValue().isNull()) {
                throw error(name + "." + f.getKey(), f.getValue(), "should be a single value");
            }
            map.put(f.getKey(), f.getValue().asText());
            out.put(f.getKey(), f.getValue().asText());
        }
        return map;
    }

    /** Rejects keys of this section and its subsections that were never read. */
    void finish() {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                throw sources.error(key(name), "unknown key" + meant(name).map(m -> ": did you mean '" + m + "'?")
                        .orElse("") + " (known here: " + String.join(", ", known) + ")");
            }
        }
        children.forEach(ConfigReader::finish);
    }

    /**
     * After a read failed: the first key, here or in a section read so far, that is unknown so far and one or two
     * letters from a known key the file lacks ({@code benchmrak} for {@code benchmark}). A misspelt key leaves the
     * key it meant missing, so the failure (a required key missing, another trainer's section read instead) is
     * likelier to be that than what it says.
     */
    Optional<ConfigException> misspelling() {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            Optional<String> meant = known.contains(name) ? Optional.empty() : meant(name);
            if (meant.isPresent()) {
                // no list of the keys known here: the read stopped before it knew them all
                return Optional.of(sources.error(key(name), "unknown key: did you mean '" + meant.get() + "'?"));
            }
        }
        return children.stream().map(ConfigReader::misspelling).flatMap(Optional::stream).findFirst();
    }

    /** The known key this section lacks that the unknown {@code name} is one or two letters from, if one is. */
    private Optional<String> meant(String name) {
        return known.stream().filter(k -> !present(k) && Math.abs(k.length() - name.length()) <= 2
                && editDistance(name, k) <= 2 && editDistance(name, k) < k.length() / 2).findFirst();
    }

    /** Levenshtein distance, with a swap of two neighbouring letters counting one (Damerau's). */
    static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    private interface ItemReader<T> {
        T read(String itemName, JsonNode item);
    }

    private <T> List<T> list(String name, List<T> fallback, ItemReader<T> reader) {
        JsonNode v = value(name);
        if (v == null) {
            return new ArrayList<>(fallback);
        }
        if (!v.isArray()) {
            throw error(name, v, "should be a list, e.g. [a, b]");
        }
        List<T> values = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            values.add(reader.read(name + "[" + i + "]", v.get(i)));
        }
        return values;
    }

    private long asLong(String name, JsonNode v) {
        if (v.isTextual() && YamlTrees.readsOtherwise(v.asText())) {
            throw error(name, v, YamlTrees.NOT_PLAIN);
        }
        if (!v.isIntegralNumber()) {
            throw error(name, v, "should be a whole number");
        }
        if (!v.canConvertToLong()) {
            throw error(name, v, "is out of range (a whole number from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE + ")");
        }
        return v.asLong();
    }

    private int checkedInt(String name, JsonNode v, int min, int max) {
        long n = asLong(name, v);
        if (n < min || n > max) {
            throw error(name, v, "is out of range (must be between " + min + " and " + max + ")");
        }
        return (int) n;
    }

    private double checkedDouble(String name, JsonNode v, double min, double max) {
        if (v.isTextual() && YamlTrees.readsOtherwise(v.asText())) {
            throw error(name, v, YamlTrees.NOT_PLAIN);
        }
        if (!v.isNumber()) {
            throw error(name, v, "should be a number");
        }
        double d = v.asDouble();
        if (!(d >= min && d <= max)) {
            throw error(name, v, "is out of range (must be between " + min + " and " + max + ")");
        }
        return d;
    }
}
