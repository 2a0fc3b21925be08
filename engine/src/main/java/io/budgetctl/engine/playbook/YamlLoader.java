package io.budgetctl.engine.playbook;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads a playbook-side YAML file the way Ansible (PyYAML, YAML 1.1) does into plain Java values, keeping the
 * file:line:column of every key and item in {@link YamlMap}/{@link YamlList}. Scalar typing, merge keys and Ansible's
 * tags come from the shared {@link io.budgetctl.engine.yaml.YamlLoader} (one YAML 1.1 implementation for playbooks,
 * inventories and lint); this class adds the position-keeping tree and syntax errors that quote the source line with
 * a caret.
 */
public final class YamlLoader {

    private YamlLoader() {
    }

    /** Loads the single document of {@code file}; null for an empty file. */
    public static Object load(Path file) {
        String text = io.budgetctl.engine.yaml.Utf8Text.read(file, file.toString());
        return loadString(text, file.toString());
    }

    /** Loads one YAML document from {@code text}; {@code file} names it in locations. */
    public static Object loadString(String text, String file) {
        try {
            List<Object> docs = new ArrayList<>();
            for (Node n : io.budgetctl.engine.yaml.YamlLoader.composeAllString(text, file)) {
                docs.add(convert(n, file));
            }
            if (docs.size() > 1) {
                throw new EngineException(new SourceLocation(file, 1, 1),
                        "file holds " + docs.size() + " YAML documents; expected one",
                        "remove the extra '---' document separators");
            }
            return docs.isEmpty() ? null : docs.get(0);
        } catch (MarkedYamlEngineException e) {
            throw syntaxError(e, text, file);
        } catch (YamlEngineException e) {
            throw new EngineException(SourceLocation.of(file), "YAML error: " + e.getMessage(), null);
        }
    }

    private static EngineException syntaxError(MarkedYamlEngineException e, String text, String file) {
        Optional<Mark> mark = e.getProblemMark().or(e::getContextMark);
        int line = mark.map(Mark::getLine).orElse(0);
        int col = mark.map(Mark::getColumn).orElse(0);
        String problem = e.getProblem() == null ? "invalid YAML" : e.getProblem();
        String message = "YAML syntax error: " + problem;
        if (e.getContext() != null && e.getContextMark().isPresent() && e.getProblemMark().isPresent()) {
            Mark c = e.getContextMark().get();
            message += " (" + e.getContext() + " at line " + (c.getLine() + 1) + ", column " + (c.getColumn() + 1)
                    + ")";
        }
        String[] lines = text.split("\n", -1);
        String src = line < lines.length ? lines[line].replace("\t", " ") : "";
        String hint = src + "\n" + " ".repeat(Math.max(col, 0)) + "^ here\n" + tip(problem);
        return new EngineException(new SourceLocation(file, line + 1, col + 1), message, hint);
    }

    private static String tip(String problem) {
        if (problem.contains("mapping values are not allowed")) {
            return "a value containing ': ' must be quoted, or the indentation of this line is wrong";
        }
        if (problem.contains("'\\t'") || problem.contains("tab")) {
            return "indent with spaces, not tabs";
        }
        if (problem.contains("found undefined alias") || problem.contains("alias")) {
            return "an alias (*name) must refer to an anchor (&name) defined earlier in the file";
        }
        if (problem.contains("'{'") || problem.contains("{{") || problem.contains("flow")) {
            return "a value starting with '{{' must be quoted: \"{{ var }}\"";
        }
        return "check indentation and quoting around this line";
    }

    static SourceLocation loc(Node n, String file) {
        return n.getStartMark().map(m -> new SourceLocation(file, m.getLine() + 1, m.getColumn() + 1))
                .orElse(SourceLocation.of(file));
    }

    private static Object convert(Node node, String file) {
        if (node instanceof ScalarNode s) {
            return io.budgetctl.engine.yaml.YamlLoader.toJava(s);
        }
        if (node instanceof SequenceNode seq) {
            YamlList list = new YamlList(loc(node, file));
            for (Node item : seq.getValue()) {
                list.add(convert(item, file), loc(item, file));
            }
            return list;
        }
        YamlMap out = new YamlMap(loc(node, file));
        for (NodeTuple t : io.budgetctl.engine.yaml.YamlLoader.entries((MappingNode) node)) {
            Object key = convert(t.getKeyNode(), file);
            String k = key == null ? "null" : key instanceof Boolean b ? (b ? "True" : "False") : key.toString();
            out.put(k, convert(t.getValueNode(), file), loc(t.getKeyNode(), file));
        }
        return out;
    }
}
