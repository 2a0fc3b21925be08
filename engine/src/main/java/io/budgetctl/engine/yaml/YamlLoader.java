package io.budgetctl.engine.yaml;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Loads YAML the way Ansible reads it (YAML 1.1 scalars, see {@link Yaml11Resolver}; merge keys {@code <<}; duplicate
 * keys: the last one wins) while keeping every node's position, so callers can point errors at file:line:column.
 *
 * <p>Two levels: {@link #compose(Path)} gives snakeyaml-engine {@link Node}s (with marks, named after the file), and
 * {@link #toJava(Node)} turns a node into plain Java values: {@code LinkedHashMap<String, Object>} (keys are the
 * key's text), {@code ArrayList<Object>}, String, Boolean, Integer/Long/BigInteger, Double or null.
 * Parse errors become {@link EngineException}s with the position of the problem and a hint.
 */
public final class YamlLoader {
    /** Ansible's own tags: {@code !unsafe} marks a string that must not be templated; {@code !vault} is encrypted. */
    public static final Tag UNSAFE = new Tag("!unsafe");
    public static final Tag VAULT = new Tag("!vault");

    private YamlLoader() {
    }

    /** Settings for a document named {@code label} (the name marks and errors carry). */
    public static LoadSettings settings(String label) {
        return LoadSettings.builder()
                .setLabel(label)
                .setSchema(Yaml11Resolver.schema())
                .setAllowDuplicateKeys(true)
                .setUseMarks(true)
                .setMaxAliasesForCollections(200)
                .build();
    }

    /** The single document of {@code file}; empty for an empty file. */
    public static Optional<Node> compose(Path file) {
        String text = read(file);
        return composeString(text, file.toString());
    }

    /** The single document in {@code text}, its marks named {@code label}. */
    public static Optional<Node> composeString(String text, String label) {
        try (Reader r = new StringReader(text)) {
            Optional<Node> root = composer(settings(label), r).getSingleNode();
            root.ifPresent(AliasGuard::check);
            return root;
        } catch (YamlEngineException e) {
            throw syntaxError(e, label);
        } catch (IOException e) {
            throw new IllegalStateException(e); // StringReader does not fail
        }
    }

    /** Every document of {@code file} ({@code ---} separated). */
    public static List<Node> composeAll(Path file) {
        String text = read(file);
        String label = file.toString();
        try {
            return composeAllString(text, label);
        } catch (YamlEngineException e) {
            throw syntaxError(e, label);
        }
    }

    /**
     * Every document of {@code text}, each checked by {@link AliasGuard}; snakeyaml-engine's exceptions are left to
     * the caller (which words its own syntax errors).
     */
    public static List<Node> composeAllString(String text, String label) {
        List<Node> out = new ArrayList<>();
        Composer c = composer(settings(label), new StringReader(text));
        while (c.hasNext()) {
            Node n = c.next();
            AliasGuard.check(n);
            out.add(n);
        }
        return out;
    }

    /** A composer whose parser refuses recursive aliases before composing them (see {@link AliasGuard}). */
    private static Composer composer(LoadSettings settings, Reader reader) {
        return new Composer(settings, AliasGuard.parser(new ParserImpl(settings, new StreamReader(settings,
                reader))));
    }

    /** {@link #toJava(Node)} of {@link #compose(Path)}; null for an empty file. */
    public static Object load(Path file) {
        return compose(file).map(YamlLoader::toJava).orElse(null);
    }

    /** Where {@code node} starts, 1-based. */
    public static SourceLocation location(Node node) {
        return node.getStartMark().map(YamlLoader::location).orElse(SourceLocation.UNKNOWN);
    }

    static SourceLocation location(Mark m) {
        return new SourceLocation(m.getName(), m.getLine() + 1, m.getColumn() + 1);
    }

    /** The text of a scalar node; null for anything else. */
    public static String text(Node node) {
        return node instanceof ScalarNode s ? s.getValue() : null;
    }

    /** The value node of {@code key} in a mapping (the last one, like the loaded map). */
    public static Optional<Node> get(MappingNode map, String key) {
        Node found = null;
        for (NodeTuple t : map.getValue()) {
            if (key.equals(text(t.getKeyNode()))) {
                found = t.getValueNode();
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * The key/value pairs of a mapping after applying merge keys ({@code <<}), as PyYAML does: merged pairs first,
     * then the mapping's own; a repeated key keeps its first position and takes its last value.
     */
    public static List<NodeTuple> entries(MappingNode map) {
        List<NodeTuple> merged = new ArrayList<>();
        List<NodeTuple> own = new ArrayList<>();
        for (NodeTuple t : map.getValue()) {
            Node k = t.getKeyNode();
            if (k instanceof ScalarNode ks && Tag.MERGE.equals(ks.getTag())) {
                merged.addAll(mergeSources(t.getValueNode()));
            } else {
                own.add(t);
            }
        }
        LinkedHashMap<String, NodeTuple> out = new LinkedHashMap<>();
        for (NodeTuple t : merged) {
            out.put(keyText(t.getKeyNode()), t);
        }
        for (NodeTuple t : own) {
            out.put(keyText(t.getKeyNode()), t);
        }
        return new ArrayList<>(out.values());
    }

    private static List<NodeTuple> mergeSources(Node value) {
        List<NodeTuple> out = new ArrayList<>();
        if (value instanceof MappingNode m) {
            out.addAll(entries(m));
        } else if (value instanceof SequenceNode s) {
            // earlier mappings in the list win: add them last
            List<Node> items = new ArrayList<>(s.getValue());
            java.util.Collections.reverse(items);
            for (Node n : items) {
                if (!(n instanceof MappingNode m)) {
                    throw badMerge(n);
                }
                out.addAll(entries(m));
            }
        } else {
            throw badMerge(value);
        }
        return out;
    }

    private static EngineException badMerge(Node n) {
        return new EngineException(location(n), "a merge key (<<) needs a mapping or a list of mappings",
                "write '<<: *anchor' where the anchor names a mapping");
    }

    /** How a mapping key becomes a Java map key: the text of a scalar, else its loaded value as text. */
    static String keyText(Node k) {
        if (k instanceof ScalarNode s) {
            return s.getValue();
        }
        return String.valueOf(toJava(k));
    }

    /** Plain Java values for {@code node}. */
    public static Object toJava(Node node) {
        if (node instanceof ScalarNode s) {
            Tag tag = s.getTag();
            if (VAULT.equals(tag)) {
                throw new EngineException(location(s), "!vault encrypted values are not supported",
                        "keep secrets out of the file and pass them by reference (see the secrets guide)");
            }
            if (UNSAFE.equals(tag) || Tag.STR.equals(tag) || !tag.getValue().startsWith(Tag.PREFIX)) {
                return s.getValue();
            }
            try {
                return Yaml11Resolver.construct(s);
            } catch (RuntimeException e) {
                throw new EngineException(location(s), "'" + s.getValue() + "' is not a valid " + tag.getValue(),
                        "remove the explicit tag or fix the value");
            }
        }
        if (node instanceof SequenceNode q) {
            List<Object> list = new ArrayList<>(q.getValue().size());
            for (Node n : q.getValue()) {
                list.add(toJava(n));
            }
            return list;
        }
        MappingNode m = (MappingNode) node;
        Map<String, Object> map = new LinkedHashMap<>();
        for (NodeTuple t : entries(m)) {
            map.put(keyText(t.getKeyNode()), toJava(t.getValueNode()));
        }
        return map;
    }

    private static String read(Path file) {
        return Utf8Text.read(file, file.toString());
    }

    private static EngineException syntaxError(YamlEngineException e, String label) {
        if (e instanceof MarkedYamlEngineException m) {
            Optional<Mark> mark = m.getProblemMark().or(m::getContextMark);
            SourceLocation loc = mark.map(YamlLoader::location).orElse(SourceLocation.of(label));
            String problem = m.getProblem() == null ? "invalid YAML" : m.getProblem();
            String context = m.getContext() == null ? "" : " (" + m.getContext() + ")";
            return new EngineException(loc, "YAML syntax error: " + problem + context,
                    "check indentation (spaces only) and quote values that contain ': ', '#', '{' or start with '*', '&', '!'", e);
        }
        return new EngineException(SourceLocation.of(label), "YAML error: " + e.getMessage(),
                "check the file's YAML syntax", e);
    }
}
