package io.budgetctl.lifecycle.licence;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Sets a client file's top-level {@code modules} and {@code limits} by editing its text where those values are,
 * so every comment, blank line, key order and quoting elsewhere stays as the author wrote it:
 * <ul>
 *   <li>{@code modules: [a, b]} (flow) is rewritten in place as a flow list; a block list ({@code - a} lines) keeps
 *   its indentation, modules that stay keep their order and new ones are added at its end;</li>
 *   <li>in {@code limits:} each changed number is replaced where it stands, a new limit is a new line after the
 *   last one, a limit the licence no longer has loses its line; a limit given as null is written {@code NAME: null}
 *   (no limit, where the environment's defaults would set one);</li>
 *   <li>a key the file does not have (the environment's default applied) is added at the end of the file.</li>
 * </ul>
 * The result is parsed again and must differ from the original in those two keys only; otherwise the edit is
 * refused rather than written.
 */
public final class ClientFileEdit {
    private ClientFileEdit() {
    }

    private record Edit(int start, int end, String text) {
    }

    /**
     * The text of {@code yaml} with {@code modules} and {@code limits} set; {@code file} names it in errors.
     *
     * @throws EngineException when the file is not a YAML mapping or the edit would change anything else
     */
    public static String apply(String file, String yaml, List<String> modules, Map<String, Long> limits) {
        MappingNode root = root(file, yaml);
        List<Edit> edits = new ArrayList<>();
        StringBuilder append = new StringBuilder();
        NodeTuple mods = find(root, "modules");
        if (mods == null) {
            append.append("modules: ").append(flowList(modules)).append('\n');
        } else {
            editModules(file, yaml, mods.getValueNode(), modules, edits);
        }
        NodeTuple lim = find(root, "limits");
        if (lim == null) {
            if (!limits.isEmpty()) {
                append.append("limits:\n");
                limits.forEach((k, v) -> append.append("  ").append(k).append(": ").append(v).append('\n'));
            }
        } else {
            editLimits(file, yaml, lim, limits, edits);
        }
        StringBuilder out = new StringBuilder(yaml);
        edits.sort(Comparator.comparingInt(Edit::start).reversed());
        for (Edit e : edits) {
            out.replace(e.start(), e.end(), e.text());
        }
        if (append.length() > 0) {
            if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
                out.append('\n');
            }
            out.append(append);
        }
        String result = out.toString();
        check(file, yaml, result, modules, limits);
        return result;
    }

    private static void editModules(String file, String yaml, Node value, List<String> modules, List<Edit> edits) {
        if (!(value instanceof SequenceNode seq)) {
            throw new EngineException(at(file, value), "'modules' is not a list", "modules: [forecasting, sso]");
        }
        List<String> current = new ArrayList<>();
        for (Node n : seq.getValue()) {
            current.add(n instanceof ScalarNode s ? s.getValue() : "");
        }
        List<String> wanted = new ArrayList<>();
        for (String m : current) {
            if (modules.contains(m) && !wanted.contains(m)) {
                wanted.add(m);
            }
        }
        for (String m : modules) {
            if (!wanted.contains(m)) {
                wanted.add(m);
            }
        }
        if (wanted.equals(current)) {
            return;
        }
        if (seq.getFlowStyle() == FlowStyle.FLOW || seq.getValue().isEmpty() || wanted.isEmpty()) {
            edits.add(new Edit(offset(yaml, start(seq)), offset(yaml, end(seq)), flowList(wanted)));
            return;
        }
        // block list: the line of a module that goes is removed, a module that stays keeps its line (and comment),
        // a new one gets a line of the same shape after the last line that stays
        Node first = seq.getValue().get(0);
        int firstStart = offset(yaml, start(first));
        int firstLineStart = lineStart(yaml, firstStart);
        String firstLine = yaml.substring(firstLineStart, firstStart);
        String item = firstLine.substring(0, firstLine.indexOf('-')) + "-"
                + firstLine.substring(firstLine.indexOf('-') + 1);
        List<String> kept = new ArrayList<>();
        int lastKeptLineEnd = -1;
        for (Node n : seq.getValue()) {
            String m = n instanceof ScalarNode sc ? sc.getValue() : "";
            int from = lineStart(yaml, offset(yaml, start(n)));
            int lineEnd = lineEnd(yaml, offset(yaml, end(n)));
            if (modules.contains(m) && !kept.contains(m)) {
                kept.add(m);
                lastKeptLineEnd = lineEnd;
            } else {
                edits.add(new Edit(from, Math.min(yaml.length(), lineEnd + 1), ""));
            }
        }
        List<String> lines = new ArrayList<>();
        for (String m : wanted) {
            if (!kept.contains(m)) {
                lines.add(item + m);
            }
        }
        if (!lines.isEmpty()) {
            edits.add(lastKeptLineEnd >= 0
                    ? new Edit(lastKeptLineEnd, lastKeptLineEnd, "\n" + String.join("\n", lines))
                    : new Edit(firstLineStart, firstLineStart, String.join("\n", lines) + "\n"));
        }
    }

    private static void editLimits(String file, String yaml, NodeTuple lim, Map<String, Long> limits,
                                   List<Edit> edits) {
        Node value = lim.getValueNode();
        if (value instanceof ScalarNode s && (s.getValue().isEmpty() || s.getValue().equals("null"))
                && limits.isEmpty()) {
            return;
        }
        if (!(value instanceof MappingNode map)) {
            throw new EngineException(at(file, value), "'limits' is not a mapping", "limits: {users: 250}");
        }
        if (map.getFlowStyle() == FlowStyle.FLOW || map.getValue().isEmpty()) {
            Map<String, Long> current = new LinkedHashMap<>();
            for (NodeTuple t : map.getValue()) {
                current.put(((ScalarNode) t.getKeyNode()).getValue(), parseLong(((ScalarNode) t.getValueNode()).getValue()));
            }
            if (!current.equals(limits)) {
                edits.add(new Edit(offset(yaml, start(map)), offset(yaml, end(map)), flowMap(limits)));
            }
            return;
        }
        String indent = null;
        int firstLineStart = -1;
        int lastKeptLineEnd = -1;
        for (NodeTuple t : map.getValue()) {
            String key = ((ScalarNode) t.getKeyNode()).getValue();
            int keyStart = offset(yaml, start(t.getKeyNode()));
            if (indent == null) {
                indent = yaml.substring(lineStart(yaml, keyStart), keyStart);
                firstLineStart = lineStart(yaml, keyStart);
            }
            int valueEnd = offset(yaml, end(t.getValueNode()));
            if (limits.containsKey(key)) {
                lastKeptLineEnd = lineEnd(yaml, valueEnd);
            }
            if (!limits.containsKey(key)) {
                int from = lineStart(yaml, keyStart);
                int to = Math.min(yaml.length(), lineEnd(yaml, valueEnd) + 1);
                edits.add(new Edit(from, to, ""));
            } else if (!(t.getValueNode() instanceof ScalarNode s)
                    || !Objects.equals(parseLong(s.getValue()), limits.get(key))) {
                edits.add(new Edit(offset(yaml, start(t.getValueNode())), valueEnd, String.valueOf(limits.get(key))));
            }
        }
        List<String> added = new ArrayList<>();
        for (Map.Entry<String, Long> e : limits.entrySet()) {
            if (find(map, e.getKey()) == null) {
                added.add(indent + e.getKey() + ": " + e.getValue());
            }
        }
        if (added.isEmpty()) {
            return;
        }
        // after the last limit that stays; when none stays, where the first one was (the removals of the same
        // lines are in the list before this edit and, at an equal start, applied first)
        edits.add(lastKeptLineEnd >= 0
                ? new Edit(lastKeptLineEnd, lastKeptLineEnd, "\n" + String.join("\n", added))
                : new Edit(firstLineStart, firstLineStart, String.join("\n", added) + "\n"));
    }

    /** The edited text must parse, carry exactly the new values and equal the original everywhere else. */
    private static void check(String file, String before, String after, List<String> modules, Map<String, Long> limits) {
        Map<String, Object> a = load(file, before);
        Map<String, Object> b = load(file, after);
        Object newModules = b.remove("modules");
        Object newLimits = b.remove("limits");
        a.remove("modules");
        a.remove("limits");
        Map<String, Long> gotLimits = new LinkedHashMap<>();
        if (newLimits instanceof Map<?, ?> m) {
            m.forEach((k, v) -> gotLimits.put(String.valueOf(k), v instanceof Number n ? n.longValue() : null));
        }
        boolean ok = a.equals(b) && newModules instanceof List<?> l && l.size() == modules.size()
                && l.containsAll(modules) && gotLimits.equals(limits);
        if (!ok) {
            throw new EngineException(SourceLocation.of(file), "cannot update 'modules'/'limits' by editing the text"
                    + " in place (the file's layout is unusual)", "set them by hand to the values shown and run"
                    + " 'budgetctl modules sync --check' again");
        }
    }

    /** The file's top-level mapping, as parsed (no environment defaults). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> load(String file, String yaml) {
        try {
            Object o = new Load(LoadSettings.builder().build()).loadFromString(yaml);
            return o instanceof Map<?, ?> m ? new LinkedHashMap<>((Map<String, Object>) m) : new LinkedHashMap<>();
        } catch (YamlEngineException e) {
            throw new EngineException(SourceLocation.of(file), "not valid YAML: " + e.getMessage().lines().findFirst()
                    .orElse(""), "fix the file (budgetctl validate shows where)");
        }
    }

    private static MappingNode root(String file, String yaml) {
        Optional<Node> node;
        try {
            LoadSettings settings = LoadSettings.builder().setUseMarks(true).build();
            node = new Composer(settings, new ParserImpl(settings, new StreamReader(settings, yaml))).getSingleNode();
        } catch (YamlEngineException e) {
            throw new EngineException(SourceLocation.of(file), "not valid YAML: " + e.getMessage().lines().findFirst()
                    .orElse(""), "fix the file (budgetctl validate shows where)");
        }
        if (node.isEmpty() || !(node.get() instanceof MappingNode m)) {
            throw new EngineException(SourceLocation.of(file), "a client file is a YAML mapping",
                    "see inventory/clients/acme.yaml");
        }
        return m;
    }

    private static NodeTuple find(MappingNode map, String key) {
        for (NodeTuple t : map.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode s && s.getValue().equals(key)) {
                return t;
            }
        }
        return null;
    }

    private static Mark start(Node n) {
        return n.getStartMark().orElseThrow();
    }

    private static Mark end(Node n) {
        return n.getEndMark().orElseThrow();
    }

    /** A mark's index counts code points; the text is edited in UTF-16 units. */
    private static int offset(String yaml, Mark m) {
        return yaml.offsetByCodePoints(0, m.getIndex());
    }

    private static int lineStart(String yaml, int offset) {
        return yaml.lastIndexOf('\n', offset - 1) + 1;
    }

    private static int lineEnd(String yaml, int offset) {
        // the end mark of a block value can sit at the start of the next line: step back over the line break
        int o = offset;
        while (o > 0 && (yaml.charAt(o - 1) == '\n' || yaml.charAt(o - 1) == '\r')) {
            o--;
        }
        int nl = yaml.indexOf('\n', o);
        return nl < 0 ? yaml.length() : nl;
    }

    private static Long parseLong(String s) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static SourceLocation at(String file, Node n) {
        return n.getStartMark().map(m -> new SourceLocation(file, m.getLine() + 1, m.getColumn() + 1))
                .orElse(SourceLocation.of(file));
    }

    static String flowList(List<String> items) {
        return "[" + String.join(", ", items) + "]";
    }

    static String flowMap(Map<String, Long> m) {
        List<String> parts = new ArrayList<>();
        m.forEach((k, v) -> parts.add(k + ": " + v));
        return "{" + String.join(", ", parts) + "}";
    }
}
