package io.budgetctl.engine.playbook;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads YAML the way Ansible (PyYAML, YAML 1.1) does — {@code yes}/{@code no}/{@code on}/{@code off} are booleans,
 * {@code 0644} is an octal integer, {@code <<} merges — into plain Java values. Mappings and sequences become
 * {@link YamlMap}/{@link YamlList}, which keep the file:line:column of every key and item. Syntax errors become an
 * {@link EngineException} at the offending position with the source line and a caret as hint.
 */
public final class YamlLoader {
    private static final Pattern NULL = Pattern.compile("~|null|Null|NULL|");
    private static final Pattern TRUE = Pattern.compile("yes|Yes|YES|true|True|TRUE|on|On|ON");
    private static final Pattern FALSE = Pattern.compile("no|No|NO|false|False|FALSE|off|Off|OFF");
    private static final Pattern INT_DEC = Pattern.compile("[-+]?(0|[1-9][0-9_]*)");
    private static final Pattern INT_OCT = Pattern.compile("[-+]?0[0-7_]+");
    private static final Pattern INT_HEX = Pattern.compile("[-+]?0x[0-9a-fA-F_]+");
    private static final Pattern INT_BIN = Pattern.compile("[-+]?0b[01_]+");
    private static final Pattern FLOAT = Pattern.compile(
            "[-+]?([0-9][0-9_]*)?\\.[0-9_]*([eE][-+][0-9]+)?|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");

    private YamlLoader() {
    }

    /** Loads the single document of {@code file}; null for an empty file. */
    public static Object load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new EngineException(SourceLocation.of(file.toString()), "file not found",
                    "check the path; relative paths are resolved against the current directory");
        } catch (IOException e) {
            throw new EngineException(SourceLocation.of(file.toString()), "cannot read file: " + e.getMessage(),
                    null);
        }
        return loadString(text, file.toString());
    }

    /** Loads one YAML document from {@code text}; {@code file} names it in locations. */
    public static Object loadString(String text, String file) {
        LoadSettings settings = LoadSettings.builder().setLabel(file).setAllowDuplicateKeys(true)
                .setMaxAliasesForCollections(500).build();
        try {
            List<Object> docs = new ArrayList<>();
            for (Node n : new Compose(settings).composeAllFromString(text)) {
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
            return scalar(s, file);
        }
        if (node instanceof SequenceNode seq) {
            YamlList list = new YamlList(loc(node, file));
            for (Node item : seq.getValue()) {
                list.add(convert(item, file), loc(item, file));
            }
            return list;
        }
        MappingNode map = (MappingNode) node;
        YamlMap out = new YamlMap(loc(node, file));
        List<NodeTuple> merges = new ArrayList<>();
        for (NodeTuple t : map.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("<<") && k.isPlain()) {
                merges.add(t);
                continue;
            }
            Object key = convert(t.getKeyNode(), file);
            String k = key == null ? "null" : key instanceof Boolean b ? (b ? "True" : "False") : key.toString();
            out.put(k, convert(t.getValueNode(), file), loc(t.getKeyNode(), file));
        }
        for (NodeTuple t : merges) {
            Object v = convert(t.getValueNode(), file);
            List<Object> sources = v instanceof List<?> l ? new ArrayList<>(l) : List.of(v == null ? Map.of() : v);
            for (Object src : sources) {
                if (!(src instanceof Map<?, ?> m)) {
                    throw new EngineException(loc(t.getKeyNode(), file), "'<<' merge needs a mapping or list of mappings",
                            "write <<: *anchor where &anchor names a mapping");
                }
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    String k = String.valueOf(e.getKey());
                    if (!out.containsKey(k)) {
                        out.put(k, e.getValue(), src instanceof YamlMap ym ? ym.locationOf(k) : loc(t.getKeyNode(), file));
                    }
                }
            }
        }
        return out;
    }

    private static Object scalar(ScalarNode s, String file) {
        String v = s.getValue();
        String tag = s.getTag().getValue();
        if (tag.equals("!vault")) {
            throw new EngineException(loc(s, file), "Ansible Vault values (!vault) are not supported",
                    "keep secrets in the secrets store and reference them; see docs/playbooks.md");
        }
        if (!s.isPlain() || !tag.startsWith("tag:yaml.org,2002:")) {
            return v;
        }
        if (tag.endsWith(":str") && !looksTyped(v)) {
            return v;
        }
        if (NULL.matcher(v).matches()) {
            return null;
        }
        if (TRUE.matcher(v).matches()) {
            return Boolean.TRUE;
        }
        if (FALSE.matcher(v).matches()) {
            return Boolean.FALSE;
        }
        try {
            if (INT_DEC.matcher(v).matches()) {
                return number(new BigInteger(v.replace("_", "")));
            }
            if (INT_HEX.matcher(v).matches()) {
                return number(signed(v, 16, "0x"));
            }
            if (INT_BIN.matcher(v).matches()) {
                return number(signed(v, 2, "0b"));
            }
            if (INT_OCT.matcher(v).matches()) {
                return number(signed(v, 8, "0"));
            }
            if (FLOAT.matcher(v).matches() && !v.equals(".") && !v.matches("[-+]?\\.?")) {
                String f = v.replace("_", "");
                if (f.toLowerCase().endsWith("inf")) {
                    return f.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                }
                if (f.toLowerCase().endsWith("nan")) {
                    return Double.NaN;
                }
                return Double.parseDouble(f);
            }
        } catch (NumberFormatException e) {
            return v;
        }
        return v;
    }

    /** Under the YAML 1.2 core schema these are strings, but YAML 1.1 (Ansible) types them. */
    private static boolean looksTyped(String v) {
        return v.isEmpty() || NULL.matcher(v).matches() || TRUE.matcher(v).matches() || FALSE.matcher(v).matches()
                || INT_OCT.matcher(v).matches() || INT_BIN.matcher(v).matches() || INT_DEC.matcher(v).matches()
                || INT_HEX.matcher(v).matches() || FLOAT.matcher(v).matches();
    }

    private static BigInteger signed(String v, int radix, String prefix) {
        String s = v.replace("_", "");
        boolean neg = s.startsWith("-");
        if (s.startsWith("-") || s.startsWith("+")) {
            s = s.substring(1);
        }
        BigInteger b = new BigInteger(s.substring(prefix.length()).isEmpty() ? "0" : s.substring(prefix.length()), radix);
        return neg ? b.negate() : b;
    }

    private static Object number(BigInteger b) {
        if (b.bitLength() < 32) {
            return b.intValue();
        }
        if (b.bitLength() < 64) {
            return b.longValue();
        }
        return b;
    }
}
