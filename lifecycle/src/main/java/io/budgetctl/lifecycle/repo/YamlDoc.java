package io.budgetctl.lifecycle.repo;

import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.yaml.YamlLoader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * A YAML file of the repository loaded with positions: its plain Java value and, for every JSON pointer in it, where
 * the value (and, for map entries, the key) starts. Marks are named after the path relative to the repository root.
 */
final class YamlDoc {
    private final String label;
    private final Object value;
    private final Map<String, SourceLocation> values = new HashMap<>();
    private final Map<String, SourceLocation> keys = new HashMap<>();

    private YamlDoc(String label, Object value) {
        this.label = label;
        this.value = value;
    }

    /** Reads {@code root.resolve(relative)}; YAML syntax errors surface as EngineException with the position. */
    static YamlDoc load(Path root, String relative) {
        Path file = root.resolve(relative);
        String text = io.budgetctl.engine.yaml.Utf8Text.read(file, relative);
        Optional<Node> root0 = YamlLoader.composeString(text, relative);
        if (root0.isEmpty()) {
            return new YamlDoc(relative, null);
        }
        YamlDoc doc = new YamlDoc(relative, YamlLoader.toJava(root0.get()));
        doc.index("", root0.get());
        return doc;
    }

    private void index(String pointer, Node node) {
        values.put(pointer, YamlLoader.location(node));
        if (node instanceof MappingNode m) {
            for (NodeTuple t : YamlLoader.entries(m)) {
                String key = String.valueOf(YamlLoader.text(t.getKeyNode()));
                String p = pointer + "/" + escape(key);
                keys.put(p, YamlLoader.location(t.getKeyNode()));
                index(p, t.getValueNode());
            }
        } else if (node instanceof SequenceNode s) {
            List<Node> items = s.getValue();
            for (int i = 0; i < items.size(); i++) {
                index(pointer + "/" + i, items.get(i));
            }
        }
    }

    static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    String label() {
        return label;
    }

    /** The loaded document: maps, lists, scalars; null for an empty file. */
    Object value() {
        return value;
    }

    /** Where the value at {@code pointer} starts; the nearest enclosing value when the pointer is not in the file. */
    SourceLocation at(String pointer) {
        String p = pointer;
        while (true) {
            SourceLocation l = values.get(p);
            if (l != null) {
                return l;
            }
            if (p.isEmpty()) {
                return SourceLocation.of(label);
            }
            p = p.substring(0, p.lastIndexOf('/'));
        }
    }

    /** Where the key of the map entry at {@code pointer} starts (falls back to {@link #at}). */
    SourceLocation keyAt(String pointer) {
        SourceLocation l = keys.get(pointer);
        return l != null ? l : at(pointer);
    }

    /** The value at a JSON pointer, or null. */
    Object get(String pointer) {
        Object cur = value;
        if (pointer.isEmpty()) {
            return cur;
        }
        for (String raw : pointer.substring(1).split("/", -1)) {
            String tok = raw.replace("~1", "/").replace("~0", "~");
            if (cur instanceof Map<?, ?> m) {
                cur = m.get(tok);
            } else if (cur instanceof List<?> l && tok.matches("[0-9]+") && Integer.parseInt(tok) < l.size()) {
                cur = l.get(Integer.parseInt(tok));
            } else {
                return null;
            }
        }
        return cur;
    }
}
