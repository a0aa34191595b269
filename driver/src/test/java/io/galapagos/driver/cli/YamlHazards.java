package io.galapagos.driver.cli;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.DocumentStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;

import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * For {@link ConfigFuzzTest}: what in a YAML text a configuration must refuse, found by SnakeYAML's own event parser
 * (an oracle independent of the loader's): an alias, a key given twice in one mapping, more than one document.
 */
final class YamlHazards {

    /** A mapping or list being read; a mapping alternates between expecting a key and its value. */
    private static final class Frame {
        final boolean mapping;
        final Set<String> keys = new HashSet<>();
        boolean expectingKey = true;

        Frame(boolean mapping) {
            this.mapping = mapping;
        }
    }

    /** A hazard: what kind ("an alias"), and which ("*x"). */
    record Hazard(String kind, String which) {
    }

    private YamlHazards() {
    }

    /** What must be refused in {@code text}, or {@code null}; "not YAML" when SnakeYAML cannot parse it. */
    static Hazard of(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(Integer.MAX_VALUE);
        Deque<Frame> open = new ArrayDeque<>();
        int documents = 0;
        try {
            for (Event event : new Yaml(options).parse(new StringReader(text))) {
                if (event instanceof DocumentStartEvent && ++documents > 1) {
                    return new Hazard("a second document", "line " + (event.getStartMark().getLine() + 1));
                }
                if (event instanceof AliasEvent alias) {
                    return new Hazard("an alias", "*" + alias.getAnchor());
                }
                if (event instanceof NodeEvent) {
                    Frame parent = open.peek();
                    if (parent != null && parent.mapping && parent.expectingKey && event instanceof ScalarEvent key
                            && !parent.keys.add(key.getValue())) {
                        return new Hazard("a key twice", key.getValue());
                    }
                    if (event instanceof CollectionStartEvent) {
                        open.push(new Frame(event instanceof MappingStartEvent));
                        continue;
                    }
                    completed(parent);
                } else if (event instanceof CollectionEndEvent) {
                    open.pop();
                    completed(open.peek());
                }
            }
        } catch (RuntimeException e) {
            return new Hazard("not YAML", String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
        return null;
    }

    /** A key or value of {@code parent} has been read. */
    private static void completed(Frame parent) {
        if (parent != null && parent.mapping) {
            parent.expectingKey = !parent.expectingKey;
        }
    }
}
