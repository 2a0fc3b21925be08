package io.budgetctl.engine.inventory;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.yaml.YamlLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Parses {@code -e/--extra-vars} values the way ansible-playbook does; later values win (top-level keys replaced):
 * <ul>
 *   <li>{@code key=value key2='a b'}: Ansible's key=value syntax; values are always strings;</li>
 *   <li>{@code {"a": 1}} or {@code [..]}: inline YAML/JSON, which must be a mapping;</li>
 *   <li>{@code @vars.yml}: a YAML or JSON file, relative to {@code baseDir}.</li>
 * </ul>
 */
public final class ExtraVars {
    private ExtraVars() {
    }

    /**
     * @throws EngineException for a missing file, a value that is not a mapping, or {@code key=value} text with
     *                         a part that has no '='
     */
    public static Map<String, Object> parse(List<String> raw, Path baseDir) {
        Map<String, Object> vars = new LinkedHashMap<>();
        for (String opt : raw) {
            if (opt == null || opt.isEmpty()) {
                continue;
            }
            vars.putAll(parseOne(opt, baseDir));
        }
        return vars;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parseOne(String opt, Path baseDir) {
        SourceLocation where = SourceLocation.of("-e " + opt);
        if (opt.startsWith("@")) {
            Path file = baseDir.resolve(opt.substring(1));
            if (!Files.isRegularFile(file)) {
                throw new EngineException(where, "extra vars file not found: " + file,
                        "paths after '@' are relative to " + baseDir.toAbsolutePath());
            }
            Node root = YamlLoader.compose(file).orElse(null);
            if (!(root instanceof MappingNode)) {
                throw new EngineException(root == null ? SourceLocation.of(file.toString()) : YamlLoader.location(root),
                        "extra vars file must contain a mapping of names to values",
                        "write 'name: value' lines at the top level");
            }
            return (Map<String, Object>) YamlLoader.toJava(root);
        }
        char first = opt.charAt(0);
        if (first == '/' || first == '.') {
            throw new EngineException(where, "extra vars look like a file name",
                    "prefix the file name with '@': -e @" + opt);
        }
        if (first == '{' || first == '[') {
            Node root = YamlLoader.composeString(opt, "-e").orElse(null);
            if (!(root instanceof MappingNode)) {
                throw new EngineException(where, "extra vars could not be made into a mapping",
                        "use -e '{\"name\": \"value\"}' or -e name=value");
            }
            return (Map<String, Object>) YamlLoader.toJava(root);
        }
        return parseKeyValue(opt, where);
    }

    /** Ansible's parse_kv: whitespace-separated {@code k=v}, quotes group words, values stay strings. */
    static Map<String, Object> parseKeyValue(String text, SourceLocation where) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String token : split(text, where)) {
            int eq = unescapedEquals(token);
            if (eq <= 0) {
                throw new EngineException(where, "'" + token + "' is not key=value",
                        "write -e name=value, -e '{\"name\": 1}' or -e @file.yml");
            }
            String key = token.substring(0, eq).strip();
            String value = unquote(token.substring(eq + 1).strip());
            out.put(key, decodeEscapes(value));
        }
        return out;
    }

    private static int unescapedEquals(String token) {
        boolean quoted = false;
        char q = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (quoted) {
                if (c == q) {
                    quoted = false;
                }
            } else if (c == '\'' || c == '"') {
                quoted = true;
                q = c;
            } else if (c == '=' && (i == 0 || token.charAt(i - 1) != '\\')) {
                return i;
            }
        }
        return -1;
    }

    /** Splits on whitespace outside quotes and outside {{ }}, {% %} and {# #} blocks. */
    static List<String> split(String text, SourceLocation where) {
        List<String> tokens = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        int jinja = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
            if (quote != 0) {
                cur.append(c);
                if (c == '\\' && next != 0) {
                    cur.append(next);
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            if (c == '{' && (next == '{' || next == '%' || next == '#')) {
                jinja++;
                cur.append(c).append(next);
                i++;
                continue;
            }
            if (jinja > 0 && (c == '}' || c == '%' || c == '#') && next == '}') {
                jinja--;
                cur.append(c).append(next);
                i++;
                continue;
            }
            if ((c == '\'' || c == '"') && jinja == 0) {
                quote = c;
                cur.append(c);
            } else if (Character.isWhitespace(c) && jinja == 0) {
                if (cur.length() > 0) {
                    tokens.add(cur.toString());
                    cur.setLength(0);
                }
            } else {
                cur.append(c);
            }
        }
        if (quote != 0) {
            throw new EngineException(where, "unbalanced quote " + quote + " in extra vars",
                    "close the quote, e.g. -e \"name='a b'\"");
        }
        if (jinja > 0) {
            throw new EngineException(where, "unbalanced '{{' in extra vars", "close the template with '}}'");
        }
        if (cur.length() > 0) {
            tokens.add(cur.toString());
        }
        return tokens;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)
                && v.charAt(v.length() - 2) != '\\') {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    /** The escapes Ansible's parse_kv decodes: \\n \\t \\r \\\\ \\' \\" \\= \\xHH \\uHHHH (others stay as written). */
    static String decodeEscapes(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length()) {
                sb.append(c);
                continue;
            }
            char n = s.charAt(i + 1);
            switch (n) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case '\\', '\'', '"' -> sb.append(n);
                case 'x' -> {
                    if (i + 3 < s.length() && s.substring(i + 2, Math.min(i + 4, s.length())).matches("[0-9a-fA-F]{2}")) {
                        sb.append((char) Integer.parseInt(s.substring(i + 2, i + 4), 16));
                        i += 2;
                    } else {
                        sb.append('\\').append(n);
                    }
                }
                case 'u' -> {
                    if (i + 5 < s.length() && s.substring(i + 2, Math.min(i + 6, s.length())).matches("[0-9a-fA-F]{4}")) {
                        sb.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
                        i += 4;
                    } else {
                        sb.append('\\').append(n);
                    }
                }
                default -> sb.append('\\').append(n);
            }
            i++;
        }
        return sb.toString();
    }
}
