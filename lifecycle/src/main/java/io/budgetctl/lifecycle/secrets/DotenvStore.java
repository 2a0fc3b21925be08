package io.budgetctl.lifecycle.secrets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * SOPS' dotenv flavour (sops 3.x stores/dotenv): one {@code KEY=value} per line, the key being everything before the
 * first '=' (spaces included), {@code \n} in a value standing for a newline, {@code #} lines as comments. The
 * metadata is flattened into {@code sops_*} keys ({@code sops_pgp__list_0__map_fp=...}), sorted by name.
 */
final class DotenvStore implements SopsStore {
    static final String PREFIX = "sops_";
    private static final String MAP = "__map_";
    private static final String LIST = "__list_";

    @Override
    public List<Branch> loadPlain(String text, String label) {
        Branch b = new Branch();
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            if (line.isEmpty()) {
                continue;
            }
            if (line.charAt(0) == '#') {
                b.add(new TreeItem(new Comment(line.substring(1)), null));
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("line " + (n + 1) + " is not KEY=value");
            }
            b.add(new TreeItem(line.substring(0, eq), line.substring(eq + 1).replace("\\n", "\n")));
        }
        return new ArrayList<>(List.of(b));
    }

    @Override
    public Map<String, Object> extractMetadata(List<Branch> branches) {
        Branch b = branches.get(0);
        Map<String, Object> flat = new LinkedHashMap<>();
        Branch rest = new Branch();
        for (TreeItem i : b) {
            if (i.key instanceof String k && k.startsWith(PREFIX)) {
                flat.put(k.substring(PREFIX.length()), i.value);
            } else {
                rest.add(i);
            }
        }
        b.clear();
        b.addAll(rest);
        return flat.isEmpty() ? null : unflatten(flat);
    }

    /** sops' {@code Unflatten}: {@code pgp__list_0__map_fp} becomes {@code pgp[0].fp}. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> unflatten(Map<String, Object> flat) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : flat.entrySet()) {
            List<Object> tokens = tokenize(e.getKey());
            Object current = out;
            for (int i = 0; i < tokens.size(); i++) {
                Object tok = tokens.get(i);
                boolean last = i == tokens.size() - 1;
                Object next = last ? null : tokens.get(i + 1);
                Object child;
                if (current instanceof Map<?, ?> m) {
                    Map<String, Object> map = (Map<String, Object>) m;
                    String k = String.valueOf(tok);
                    if (last) {
                        map.put(k, e.getValue());
                        break;
                    }
                    child = map.computeIfAbsent(k, x -> next instanceof Integer ? new ArrayList<>()
                            : new LinkedHashMap<>());
                } else {
                    List<Object> list = (List<Object>) current;
                    int idx = (Integer) tok;
                    while (list.size() <= idx) {
                        list.add(null);
                    }
                    if (last) {
                        list.set(idx, e.getValue());
                        break;
                    }
                    if (list.get(idx) == null) {
                        list.set(idx, next instanceof Integer ? new ArrayList<>() : new LinkedHashMap<>());
                    }
                    child = list.get(idx);
                }
                current = child;
            }
        }
        return out;
    }

    private static List<Object> tokenize(String path) {
        List<Object> tokens = new ArrayList<>();
        int i = 0;
        int start = 0;
        char state = 'n';
        while (i <= path.length()) {
            boolean atMap = path.startsWith(MAP, i);
            boolean atList = path.startsWith(LIST, i);
            if (i == path.length() || atMap || atList) {
                String part = path.substring(start, i);
                if (state == 'l') {
                    tokens.add(Integer.parseInt(part));
                } else {
                    tokens.add(part);
                }
                if (i == path.length()) {
                    break;
                }
                state = atMap ? 'm' : 'l';
                i += atMap ? MAP.length() : LIST.length();
                start = i;
            } else {
                i++;
            }
        }
        return tokens;
    }

    /** sops' {@code Flatten} of the metadata, with non-strings encoded as sops writes them. */
    static Map<String, String> flatten(Map<String, Object> md) {
        Map<String, String> out = new TreeMap<>();
        md.forEach((k, v) -> flattenInto(out, k, v));
        return out;
    }

    private static void flattenInto(Map<String, String> out, String prefix, Object v) {
        if (v instanceof Map<?, ?> m) {
            m.forEach((k, x) -> flattenInto(out, prefix + MAP + k, x));
        } else if (v instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                flattenInto(out, prefix + LIST + i, l.get(i));
            }
        } else if (v != null) {
            out.put(prefix, String.valueOf(v));
        }
    }

    @Override
    public String emitPlain(List<Branch> branches) {
        StringBuilder sb = new StringBuilder();
        for (TreeItem i : branches.isEmpty() ? new Branch() : branches.get(0)) {
            if (i.key instanceof Comment c) {
                sb.append('#').append(c.value()).append('\n');
                continue;
            }
            if (i.value instanceof Branch || i.value instanceof List) {
                throw new IllegalArgumentException("cannot use complex value in dotenv file: " + i.key);
            }
            String v = i.value == null ? "" : i.value instanceof Double d ? SopsCipher.goFormatFloat(d)
                    : i.value instanceof Boolean b ? b.toString() : String.valueOf(i.value);
            sb.append(i.key).append('=').append(v.replace("\n", "\\n")).append('\n');
        }
        return sb.toString();
    }

    @Override
    public String emitEncrypted(List<Branch> branches, SopsMetadata metadata) {
        Branch b = new Branch();
        if (!branches.isEmpty()) {
            b.addAll(branches.get(0));
        }
        flatten(metadata.toMap()).forEach((k, v) -> b.add(new TreeItem(PREFIX + k, v)));
        return emitPlain(List.of(b));
    }
}
