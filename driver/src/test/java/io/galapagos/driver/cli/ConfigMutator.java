package io.galapagos.driver.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes seeded mutations of one YAML configuration for {@link ConfigFuzzTest}: each case is the text with one to
 * three edits (deleted, duplicated, inserted or renamed keys, values of the wrong type, huge, negative, empty or
 * non-ASCII values, truncation, stray characters, broken indentation, anchors and aliases, an expanding
 * "billion laughs" document, extra documents) and zero to three {@code --set KEY=VALUE} overrides, with keys of
 * the configuration, typos and malformed keys, and values from the same pool plus architecture texts. The edits
 * work on lines, so they need a block-style YAML file (as the shipped ones are). One case in eight is the file as it is
 * with overrides that give keys their own values, and some overrides of the others do too, so that many cases stay
 * valid and {@code run} goes as far as its output check. The same seed gives the same case.
 */
final class ConfigMutator {

    /** One mutated input: the file's bytes, the {@code --set} arguments, and what was done, for failure messages. */
    record Case(byte[] content, List<String> overrides, String edits) {

        String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    /** A key line: indentation, key, value (possibly empty: a section), trailing comment. */
    private static final Pattern KEY_LINE = Pattern.compile("^(\\s*)([^#\\s-][^:#]*):(?:[ \\t]+([^#]*?))?([ \\t]+#.*)?$");

    private static final String LONG = "x".repeat(10_000);

    /** YAML value texts that fit on one line: wrong types, extremes, odd strings, YAML features. */
    private static final List<String> VALUES = List.of(
            // numbers, wrong and extreme
            "0", "1", "-1", "-7", "2", "3", "0.5", "-0.0", "1e-320", "1e308", "1e999", "-1e999", ".nan", ".inf", "-.inf",
            "2147483647", "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
            "-9223372036854775809", "123456789012345678901234567890", "0x7fffffff", "0o17", "1_000_000", "3.0", "1e3",
            "010", "+5", "1/2", "12:30:00",
            // booleans and nothing
            "true", "false", "yes", "no", "on", "off", "~", "null", "Null", "\"\"", "''", "' '",
            // strings: empty, non-ASCII, control characters escaped in YAML, paths, very long
            "é", "名前", "\"日本語 テキスト\"", "\"\\u202e\"", "\"🦎\"", "\"a\\nb\"", "\"a\\tb\"", "\"\\0\"", "\"\\r\"", "x y",
            // no hdfs: URI (its check waits on the name node) and no s3a: URI: without hadoop-aws on the classpath
            // the data-file check (driver.job.DataFiles) throws ClassNotFoundException for it, a known problem
            "../../elsewhere", "..", ".", ".hidden", "a/b", "/", "/dev/null", "/etc/passwd", "file:///nonexistent",
            "nosuch://bucket/key", "\"" + LONG + "\"", LONG, "\"C:\\\\temp\"",
            // names the configuration uses elsewhere
            "evolution", "random", "local", "reinforce", "bananas", "nsga2", "hyperband", "macro", "nb201", "spark",
            "in_process", "steady", "generational", "auto", "conv", "maxpool", "dense", "relu", "add", "concat",
            "factorised", "val_acc_12ep", "test_acc_200ep", "latency_ms_pixel3", "local[2]", "local[*]", "yarn",
            "org.example.Evil", "java.lang.Runtime",
            // collections and broken flow syntax
            "[]", "{}", "[1]", "[0]", "[-1]", "[3, 3]", "[2]", "[1e999]", "[a, b]", "[[1]]", "[{}]", "{a: 1}", "{kind: x}",
            "[", "]", "{", "}", "{a: [}", "[a, {b: ]", "'unclosed", "\"unclosed", "a: b", "- x", "? x", ": x",
            "[" + "0, ".repeat(5_000) + "0]",
            "[".repeat(2_000) + "]".repeat(2_000), "{a: ".repeat(1_000) + "1" + "}".repeat(1_000),
            // tags, anchors and aliases
            "*a", "*nosuch", "&a 1", "&a [1, 2]", "!!str 3", "!!int abc", "!!float x", "!!binary aGVsbG8=",
            "!!map {}", "!!seq []", "!!null ''", "!!bool maybe", "!custom x", "!!java.io.File [x]", "<<", "|", ">",
            "%YAML 1.2", "@x", "`x`", "\t1");

    /** Architecture texts, good, bad and foreign to the space, for {@code --set} values. */
    private static final List<String> ARCHITECTURES = List.of(
            "conv3x3x16:relu:bn/maxpool:d0.25", "conv5x5x16:relu:bn/maxpool:d0.25", "dense128:relu",
            "conv99x99x0:nope", "conv3x3x16:relu/", "/", "|nor_conv_3x3~0|+|none~0|skip_connect~1|+|none~0|none~1|avg_pool_3x3~2|",
            "|nor_conv_3x3~0|+|bogus~0|", "|x~9|", "{arch: conv3x3x16}", "[conv3x3x16, dense]");

    private static final List<String> UNKNOWN_KEYS = List.of("trails", "nmae", "spce", "strategy.knd",
            "space.filterz", "x", "é", "名前", "trials.x", "strategy.kind.x", "space.filters.x", "data.x.y",
            "spark.conf", "spark.conf.spark.extraListeners", "spark.conf.spark.plugins", "space.kind", "synthetic",
            "synthetic.sigma", "benchmark.table", "training.epochs", "scheduling.batching", "recovery.x", LONG);

    private static final List<String> MALFORMED_OVERRIDES = List.of("trials", "=3", "==", ".=1", "..=1", "a..b=1",
            "space.=1", ".space=1", " =1", "trials= ", "trials=", "trials==3", "trials=3=4", "\t=\t", "=", "",
            "trials=[", "trials=*a", "trials=&a 3", "trials=!!int x", "trials=a\nb: 1", "name=a\nb",
            "name=" + LONG, "trials=1\n---\n2");

    private static final String LAUGH_LEVELS = "abcdefghij";

    private final String yaml;
    private final List<String> keys = new ArrayList<>();
    /** The configuration's own values by key, as YAML (JSON is YAML): an override with one of them is valid. */
    private final Map<String, String> originals = new LinkedHashMap<>();

    ConfigMutator(String yaml) {
        this.yaml = yaml;
        try {
            collectKeys(new ObjectMapper(new YAMLFactory()).readTree(yaml), "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void collectKeys(JsonNode node, String prefix) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
            keys.add(key);
            if (!field.getValue().isObject()) {
                originals.put(key, field.getValue().toString());
            }
            collectKeys(field.getValue(), key);
        }
    }

    Case mutate(Random random) {
        List<String> lines = new ArrayList<>(yaml.lines().toList());
        StringBuilder edits = new StringBuilder();
        String text = null;
        int roll = random.nextInt(8);
        if (roll == 0) {
            // the file as it is, and overrides that give keys their own values: valid, to exercise run's checks
            List<String> overrides = new ArrayList<>();
            for (int i = random.nextInt(3); i >= 0; i--) {
                Map.Entry<String, String> original = pick(random, List.copyOf(originals.entrySet()));
                overrides.add(original.getKey() + "=" + original.getValue());
            }
            return new Case(yaml.getBytes(StandardCharsets.UTF_8), overrides, "none; ");
        }
        int count = roll < 5 ? 1 : roll < 7 ? 2 : 3;
        for (int i = 0; i < count; i++) {
            int kind = random.nextInt(14);
            if (text != null && kind < 12) {
                lines = new ArrayList<>(text.lines().toList());
                text = null;
            }
            switch (kind) {
                case 0, 1 -> edits.append(replaceValue(lines, pick(random, VALUES), random));
                case 2 -> edits.append(deleteLine(lines, random));
                case 3 -> edits.append(duplicateLine(lines, random));
                case 4 -> edits.append(insertKey(lines, random));
                case 5 -> edits.append(renameKey(lines, random));
                case 6 -> edits.append(reindent(lines, random));
                case 7 -> edits.append(strayCharacter(lines, random));
                case 8 -> edits.append(laughs(lines, random));
                case 9 -> edits.append(anchorAndAlias(lines, random));
                case 10 -> edits.append(replaceValue(lines, pick(random, ARCHITECTURES), random));
                case 11 -> {
                    lines.add("---");
                    lines.add(random.nextBoolean() ? "trials: 3" : pick(random, VALUES));
                    edits.append("second document; ");
                }
                case 12 -> {
                    String whole = text != null ? text : String.join("\n", lines);
                    int cut = random.nextInt(whole.length() + 1);
                    text = whole.substring(0, cut);
                    edits.append("truncated at ").append(cut).append("; ");
                }
                default -> {
                    text = random.nextInt(4) == 0 ? "" : pick(random, VALUES);
                    edits.append("whole document replaced; ");
                }
            }
        }
        byte[] content = (text != null ? text : String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        if (random.nextInt(50) == 0) {
            // not UTF-8: a lone continuation byte, an invalid lead byte, or a truncated sequence
            byte[] broken = new byte[content.length + 1];
            int at = random.nextInt(content.length + 1);
            System.arraycopy(content, 0, broken, 0, at);
            broken[at] = (byte) pick(random, List.of(0x80, 0xFF, 0xC3)).intValue();
            System.arraycopy(content, at, broken, at + 1, content.length - at);
            content = broken;
            edits.append("invalid UTF-8 byte at ").append(at).append("; ");
        }
        return new Case(content, overrides(random), edits.toString());
    }

    private List<String> overrides(Random random) {
        int roll = random.nextInt(20);
        int count = roll < 10 ? 0 : roll < 17 ? 1 : 2 + random.nextInt(2);
        List<String> overrides = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int kind = random.nextInt(12);
            if (kind == 0) {
                overrides.add(pick(random, MALFORMED_OVERRIDES));
                continue;
            }
            if (kind >= 10) {
                Map.Entry<String, String> original = pick(random, List.copyOf(originals.entrySet()));
                overrides.add(original.getKey() + "=" + original.getValue());
                continue;
            }
            String key = kind <= 2 ? pick(random, UNKNOWN_KEYS) : kind == 3 ? typo(pick(random, keys), random)
                    : pick(random, keys);
            String value = kind == 4 || kind == 5 ? pick(random, ARCHITECTURES) : pick(random, VALUES);
            overrides.add(key + "=" + value);
        }
        return overrides;
    }

    private static String typo(String key, Random random) {
        int at = random.nextInt(key.length());
        return key.substring(0, at) + key.substring(at + 1);
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** Indexes of lines that hold a key. */
    private static List<Integer> keyLines(List<String> lines) {
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (KEY_LINE.matcher(lines.get(i)).matches()) {
                found.add(i);
            }
        }
        return found;
    }

    private static String replaceValue(List<String> lines, String value, Random random) {
        List<Integer> candidates = keyLines(lines);
        if (candidates.isEmpty()) {
            return "";
        }
        int at = pick(random, candidates);
        Matcher m = KEY_LINE.matcher(lines.get(at));
        m.matches();
        lines.set(at, m.group(1) + m.group(2) + ": " + value);
        return "value of '" + m.group(2).strip() + "' (line " + (at + 1) + ") replaced; ";
    }

    private static String deleteLine(List<String> lines, Random random) {
        List<Integer> candidates = keyLines(lines);
        if (candidates.isEmpty()) {
            return "";
        }
        int at = pick(random, candidates);
        return "line " + (at + 1) + " '" + lines.remove(at).strip() + "' deleted; ";
    }

    private static String duplicateLine(List<String> lines, Random random) {
        List<Integer> candidates = keyLines(lines);
        if (candidates.isEmpty()) {
            return "";
        }
        int at = pick(random, candidates);
        int to = random.nextBoolean() ? at + 1 : random.nextInt(lines.size() + 1);
        lines.add(to, lines.get(at));
        return "line " + (at + 1) + " duplicated at " + (to + 1) + "; ";
    }

    private String insertKey(List<String> lines, Random random) {
        String full = random.nextBoolean() ? pick(random, keys) : pick(random, UNKNOWN_KEYS);
        String key = full.substring(full.lastIndexOf('.') + 1);
        String indent = pick(random, List.of("", "", "  ", "    ", "\t", " "));
        int at = random.nextInt(lines.size() + 1);
        lines.add(at, indent + key + ": " + pick(random, VALUES));
        return "key '" + key + "' inserted at line " + (at + 1) + "; ";
    }

    private static String renameKey(List<String> lines, Random random) {
        List<Integer> candidates = keyLines(lines);
        if (candidates.isEmpty()) {
            return "";
        }
        int at = pick(random, candidates);
        Matcher m = KEY_LINE.matcher(lines.get(at));
        m.matches();
        String name = pick(random, List.of(typo(m.group(2), random), m.group(2).toUpperCase(), "é", "''", "\"\"",
                "\"" + m.group(2) + " \"", "1", "~", "[a]", "? x", "<<", "&k " + m.group(2), "*k"));
        lines.set(at, lines.get(at).replaceFirst(Pattern.quote(m.group(2)), Matcher.quoteReplacement(name)));
        return "key '" + m.group(2) + "' renamed " + name + "; ";
    }

    private static String reindent(List<String> lines, Random random) {
        List<Integer> candidates = keyLines(lines);
        if (candidates.isEmpty()) {
            return "";
        }
        int at = pick(random, candidates);
        String indent = pick(random, List.of("", " ", "   ", "      ", "\t"));
        lines.set(at, indent + lines.get(at).stripLeading());
        return "line " + (at + 1) + " re-indented; ";
    }

    private static String strayCharacter(List<String> lines, Random random) {
        if (lines.isEmpty()) {
            return "";
        }
        int at = random.nextInt(lines.size());
        String line = lines.get(at);
        int col = random.nextInt(line.length() + 1);
        String c = pick(random, List.of(":", "[", "]", "{", "}", "\"", "'", "#", "\t", "&", "*", "!", "|", ">", "%",
                "@", "`", ",", "-", "?", "\u0000", "\u0007", "\uFEFF", "\uFFFE", "é", "\r", "\u2028"));
        lines.set(at, line.substring(0, col) + c + line.substring(col));
        return "character U+" + Integer.toHexString(c.charAt(0)) + " inserted at line " + (at + 1) + "; ";
    }

    /**
     * A "billion laughs": each level a list of nine aliases of the one before, so that expanding the last of
     * {@code levels} levels would make 9^levels strings; sometimes a configuration value refers to it.
     */
    private String laughs(List<String> lines, Random random) {
        int levels = 2 + random.nextInt(LAUGH_LEVELS.length() - 1);
        List<String> doc = new ArrayList<>();
        doc.add("lol_a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]");
        for (int i = 1; i < levels; i++) {
            String previous = "*" + LAUGH_LEVELS.charAt(i - 1);
            doc.add("lol_" + LAUGH_LEVELS.charAt(i) + ": &" + LAUGH_LEVELS.charAt(i) + " ["
                    + String.join(", ", java.util.Collections.nCopies(9, previous)) + "]");
        }
        lines.addAll(0, doc);
        if (random.nextBoolean()) {
            replaceValue(lines.subList(levels, lines.size()), "*" + LAUGH_LEVELS.charAt(levels - 1), random);
        }
        return "billion laughs of " + levels + " levels; ";
    }

    private static String anchorAndAlias(List<String> lines, Random random) {
        List<Integer> candidates = new ArrayList<>();
        for (int at : keyLines(lines)) {
            Matcher m = KEY_LINE.matcher(lines.get(at));
            if (m.matches() && m.group(3) != null && !m.group(3).isBlank()) {
                candidates.add(at);
            }
        }
        if (candidates.size() < 2) {
            return "";
        }
        int from = pick(random, candidates);
        int to = pick(random, candidates);
        Matcher m = KEY_LINE.matcher(lines.get(from));
        m.matches();
        lines.set(from, m.group(1) + m.group(2) + ": &k " + m.group(3));
        Matcher t = KEY_LINE.matcher(lines.get(to));
        t.matches();
        lines.set(to, t.group(1) + t.group(2) + ": *k");
        return "anchor at line " + (from + 1) + ", alias at line " + (to + 1) + "; ";
    }
}
