package io.galapagos.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads YAML text into a Jackson tree, strictly, for configurations: one document, no key given twice in a mapping,
 * no aliases, at most {@value #MAX_DEPTH} levels of nesting and {@value #MAX_CODE_POINTS} characters. Jackson alone
 * would keep the last of duplicated keys, read the documents after the first as nothing, and read an alias
 * ({@code *name}) as the text of its anchor's name instead of its value, so each of those is an error here; refusing
 * aliases also means that no "billion laughs" document can expand. Problems are {@link ConfigException}s naming the
 * line, and the dotted key when there is one. Thread-safe (stateless).
 */
final class YamlTrees {

    /** Far more than any configuration needs, and small enough to read at once. */
    static final int MAX_CODE_POINTS = 1 << 20;
    /** A configuration nests three levels deep; deeper input is a mistake, and never a stack overflow here. */
    private static final int MAX_DEPTH = 64;

    private static final ObjectMapper MAPPER;
    /** Numbers YAML 1.1 reads otherwise than they look: 010 is 8, 0x10 16, 0b11 3, 1_000 1000, 2024_01_15 20240115. */
    private static final Pattern NOT_PLAIN_DECIMAL = Pattern.compile("[-+]?(0[0-9_]+|0[xXbB].*|.*_.*)");

    static {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_CODE_POINTS);
        // the builder leaves out the factory's default of reading an empty value ("key:") as null
        MAPPER = new ObjectMapper(YAMLFactory.builder().loaderOptions(options)
                .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL).build());
    }

    private YamlTrees() {
    }

    /**
     * The tree of {@code text}, or {@code null} when it holds no value at all (empty, or only comments).
     *
     * @param source    where the text came from, for messages (a file, a {@code --set KEY=VALUE})
     * @param keyPrefix the dotted key the text is the value of ({@code ""} for a whole file), for messages
     */
    static JsonNode read(String source, String keyPrefix, String text) {
        try (YAMLParser parser = (YAMLParser) MAPPER.createParser(text)) {
            if (next(source, parser) == null) {
                return null;
            }
            JsonNode tree = value(source, parser, keyPrefix, 0);
            if (next(source, parser) != null) {
                throw new ConfigException(source, "", where(parser.currentTokenLocation())
                        + "a second YAML document (after ---); a configuration is one document");
            }
            return tree;
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblem() != null
                    && yaml.getProblemMark() != null) {
                // SnakeYAML's context ("while scanning a quoted scalar", where it began) says less than its problem
                // and the place the problem was found ("found unexpected end of stream", at the end)
                Mark at = yaml.getProblemMark();
                throw new ConfigException(source, "", "line " + (at.getLine() + 1) + ", column " + (at.getColumn() + 1)
                        + ": YAML syntax error: " + yaml.getProblem() + (yaml.getContext() == null ? ""
                        : " (" + yaml.getContext() + (yaml.getContextMark() == null ? ""
                        : " from line " + (yaml.getContextMark().getLine() + 1)) + ")"));
            }
            String problem = e.getOriginalMessage().lines().findFirst().orElse("");
            // Jackson's words for "? [a]: 1" and "*x : 1" name SnakeYAML's event classes
            throw new ConfigException(source, "", where(e.getLocation()) + "YAML syntax error: "
                    + (problem.startsWith("Expected a field name") ? "a key must be a name, not a list, mapping or alias"
                    : problem));
        } catch (IOException e) {
            throw new UncheckedIOException("reading a string", e);
        }
    }

    /**
     * Whether YAML 1.1 reads {@code text}, unquoted, as a number other than its plain decimal reading. Such a scalar is
     * kept as its text: Jackson's YAML writer leaves strings of this form unquoted, so a name like {@code 2024_01_15}
     * comes back from a written {@code config.yaml} as written, and where a number is read it is refused
     * ({@link #NOT_PLAIN}), never taken as another.
     */
    static boolean readsOtherwise(String text) {
        return NOT_PLAIN_DECIMAL.matcher(text).matches();
    }

    /** Why a number written as {@link #readsOtherwise} is refused where a number is read. */
    static final String NOT_PLAIN = "is not a plain decimal number, which YAML 1.1 would read as another (a leading 0 is "
            + "octal, 0x hexadecimal, 0b binary, '_' is left out); write the number in plain decimal";

    /** The next token; an alias is an error. */
    private static JsonToken next(String source, YAMLParser parser) throws IOException {
        JsonToken token = parser.nextToken();
        if (parser.isCurrentAlias()) {
            // the alias's name is left out: a secret's value that starts with '*' reads as one
            throw new ConfigException(source, "", where(parser.currentTokenLocation())
                    + "YAML aliases are not supported; write the value out (in quotes, if it starts with '*')");
        }
        return token;
    }

    /** The value starting at the parser's current token, which ends at the value's last token. */
    private static JsonNode value(String source, YAMLParser parser, String key, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new ConfigException(source, key, where(parser.currentTokenLocation()) + "nests deeper than "
                    + MAX_DEPTH + " levels");
        }
        return switch (parser.currentToken()) {
            case START_OBJECT -> mapping(source, parser, key, depth);
            case START_ARRAY -> {
                ArrayNode list = JsonNodeFactory.instance.arrayNode();
                while (next(source, parser) != JsonToken.END_ARRAY) {
                    list.add(value(source, parser, key + "[" + list.size() + "]", depth + 1));
                }
                yield list;
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                String written = parser.getText();
                JsonNode number = MAPPER.readTree((JsonParser) parser);
                // kept as written: a name or a path is that text, and a number is refused where one is read
                yield readsOtherwise(written) ? TextNode.valueOf(written) : number;
            }
            default -> MAPPER.readTree((JsonParser) parser);
        };
    }

    private static ObjectNode mapping(String source, YAMLParser parser, String key, int depth) throws IOException {
        ObjectNode mapping = JsonNodeFactory.instance.objectNode();
        Map<String, Integer> lines = new HashMap<>();
        while (next(source, parser) != JsonToken.END_OBJECT) {
            String name = parser.currentName();
            String child = key.isEmpty() ? name : key + "." + name;
            int line = parser.currentTokenLocation().getLineNr();
            Integer first = lines.putIfAbsent(name, line);
            if (first != null) {
                throw new ConfigException(source, child, "is given twice (lines " + first + " and " + line
                        + "); keep one");
            }
            next(source, parser);
            mapping.set(name, value(source, parser, child, depth + 1));
        }
        return mapping;
    }

    private static String where(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? ""
                : "line " + location.getLineNr() + ", column " + location.getColumnNr() + ": ";
    }
}
