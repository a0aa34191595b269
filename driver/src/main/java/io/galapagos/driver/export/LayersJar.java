package io.galapagos.driver.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@value #NAME}: the Galapagos classes a saved network's configuration names, and the Galapagos classes those
 * reference, copied from the running classpath's class files, so that plain DeepLearning4J restores a network holding
 * layers it lacks (a sequence network's head, transformer block, positional embedding, sequence dropout) with this jar
 * on its classpath and no other Galapagos jar. DeepLearning4J names each layer's class in the configuration's JSON
 * ({@code "@class"}) and its JSON reader loads that class by name; the references are read from the class files'
 * constant pools, where every class a class uses is named (its superclass, fields' types, the enums it switches
 * over). Entries are sorted and carry a fixed time, so the same classes give the same bytes. Stateless.
 */
public final class LayersJar {

    public static final String NAME = "layers.jar";

    private static final String OWN = "io/galapagos/";
    private static final Pattern REFERENCE = Pattern.compile(Pattern.quote(OWN) + "[A-Za-z0-9_/$]+");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** 2000-01-01T00:00:00Z: a fixed entry time. */
    private static final long ENTRY_TIME = 946_684_800_000L;

    private LayersJar() {
    }

    /** The jar of {@code graph}'s Galapagos classes, or empty when it is made of DeepLearning4J's classes alone. */
    public static Optional<byte[]> of(ComputationGraph graph) {
        SortedSet<String> named = namedClasses(graph);
        if (named.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(jar(closure(named)));
    }

    /** The Galapagos classes (internal names, {@code io/galapagos/...}) the configuration's JSON names. */
    static SortedSet<String> namedClasses(ComputationGraph graph) {
        SortedSet<String> names = new TreeSet<>();
        try {
            collect(JSON.readTree(graph.getConfiguration().toJson()), names);
        } catch (IOException e) {
            throw new UncheckedIOException("DL4J wrote a configuration that is not JSON", e);
        }
        return names;
    }

    private static void collect(JsonNode node, SortedSet<String> names) {
        JsonNode type = node.get("@class");
        if (type != null && type.isTextual() && type.asText().replace('.', '/').startsWith(OWN)) {
            names.add(type.asText().replace('.', '/'));
        }
        node.forEach(child -> collect(child, names));
    }

    /** {@code roots} and every Galapagos class they reference, directly or not, with their class files. */
    private static SortedMap<String, byte[]> closure(SortedSet<String> roots) {
        SortedMap<String, byte[]> classes = new TreeMap<>();
        Deque<String> pending = new ArrayDeque<>(roots);
        while (!pending.isEmpty()) {
            String name = pending.pop();
            if (classes.containsKey(name)) {
                continue;
            }
            byte[] bytes = classFile(name);
            if (bytes == null) {
                // a string constant that only looks like one of our class names
                continue;
            }
            classes.put(name, bytes);
            for (String reference : references(bytes)) {
                if (!classes.containsKey(reference)) {
                    pending.push(reference);
                }
            }
        }
        if (!classes.keySet().containsAll(roots)) {
            throw new IllegalStateException("the class files of " + roots + " are not all on this classpath");
        }
        return classes;
    }

    private static byte[] classFile(String name) {
        try (InputStream in = LayersJar.class.getClassLoader().getResourceAsStream(name + ".class")) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the class file of " + name, e);
        }
    }

    /**
     * The Galapagos class names among a class file's constant-pool strings: its class entries name the classes it
     * uses, and its descriptors the types of its fields and methods ({@code Lio/galapagos/...;}).
     */
    static SortedSet<String> references(byte[] classFile) {
        SortedSet<String> names = new TreeSet<>();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile))) {
            if (in.readInt() != 0xCAFEBABE) {
                throw new IllegalArgumentException("not a class file");
            }
            in.skipBytes(4);
            int count = in.readUnsignedShort();
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> {
                        Matcher m = REFERENCE.matcher(in.readUTF());
                        while (m.find()) {
                            names.add(m.group());
                        }
                    }
                    case 7, 8, 16, 19, 20 -> in.skipBytes(2);
                    case 15 -> in.skipBytes(3);
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
                    case 5, 6 -> {
                        // a long or a double takes two entries
                        in.skipBytes(8);
                        i++;
                    }
                    default -> throw new IllegalArgumentException("unknown constant-pool tag " + tag);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("a truncated class file", e);
        }
        return names;
    }

    private static byte[] jar(SortedMap<String, byte[]> classes) {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Created-By", "galapagos export: the layers DeepLearning4J lacks");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes)) {
            JarEntry manifestEntry = new JarEntry("META-INF/MANIFEST.MF");
            manifestEntry.setTime(ENTRY_TIME);
            jar.putNextEntry(manifestEntry);
            manifest.write(jar);
            jar.closeEntry();
            for (var entry : classes.entrySet()) {
                JarEntry file = new JarEntry(entry.getKey() + ".class");
                file.setTime(ENTRY_TIME);
                jar.putNextEntry(file);
                jar.write(entry.getValue());
                jar.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a jar in memory", e);
        }
        return bytes.toByteArray();
    }
}
