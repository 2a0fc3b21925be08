package io.budgetctl.engine.template;

import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.lib.filter.Filter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.codec.digest.Crypt;

/** The Jinja2 built-in and Ansible filters with Python/Ansible semantics, replacing Jinjava's own where they differ. */
final class AnsibleFilters {
    private AnsibleFilters() {
    }

    static void register(Context ctx) {
        for (Filter f : all()) {
            ctx.registerFilter(f);
        }
    }

    static List<Filter> all() {
        List<Filter> f = new ArrayList<>();
        Fn.FilterImpl dflt = (v, a) -> {
            Object fallback = a.get(0, "default_value", "");
            boolean bool = a.bool(1, "boolean", false);
            if (v instanceof Undefined || (bool && !Py.truth(v))) {
                return fallback;
            }
            return v;
        };
        f.add(Fn.filter("default", true, dflt));
        f.add(Fn.filter("d", true, dflt));
        f.add(Fn.filter("mandatory", true, (v, a) -> {
            if (v instanceof Undefined u) {
                Object msg = a.get(0, "msg", null);
                throw new TemplateFailure(msg != null ? Py.str(msg) : "Mandatory variable " + u.message()
                        .replace(" is undefined", "") + " not defined.", "define the variable or give it a default");
            }
            return v;
        }));
        f.add(Fn.filter("bool", false, (v, a) -> io.budgetctl.engine.module.Booleans.filter(v,
                v instanceof CharSequence ? Py.str(v) : null)));
        f.add(Fn.filter("int", false, (v, a) -> toInt(v, a.get(0, "default", 0L), a.get(1, "base", 10L))));
        f.add(Fn.filter("float", false, (v, a) -> toFloat(v, a.get(0, "default", 0.0))));
        f.add(Fn.filter("string", false, (v, a) -> Py.str(v)));
        f.add(Fn.filter("lower", false, (v, a) -> Py.str(v).toLowerCase(Locale.ROOT)));
        f.add(Fn.filter("upper", false, (v, a) -> Py.str(v).toUpperCase(Locale.ROOT)));
        f.add(Fn.filter("capitalize", false, (v, a) -> {
            String s = Py.str(v);
            return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1).toLowerCase(Locale.ROOT);
        }));
        f.add(Fn.filter("title", false, (v, a) -> title(Py.str(v))));
        f.add(Fn.filter("trim", false, (v, a) -> {
            String chars = a.str(0, "chars", null);
            return chars == null ? Py.str(v).strip() : strip(Py.str(v), chars);
        }));
        f.add(Fn.filter("replace", false, (v, a) -> {
            String s = Py.str(v);
            String old = a.str(0, "old", "");
            String rep = a.str(1, "new", "");
            Object count = a.get(2, "count", null);
            if (count == null) {
                return s.replace(old, rep);
            }
            long n = ((Number) count).longValue();
            StringBuilder sb = new StringBuilder();
            int from = 0;
            int at;
            while (n-- > 0 && (at = s.indexOf(old, from)) >= 0) {
                sb.append(s, from, at).append(rep);
                from = at + old.length();
                if (old.isEmpty()) {
                    break;
                }
            }
            return sb.append(s.substring(from)).toString();
        }));
        f.add(Fn.filter("regex_replace", false, (v, a) -> {
            Pattern p = PyRegex.compile(a.str(0, "pattern", ""), a.bool(3, "ignorecase", false),
                    a.bool(4, "multiline", false));
            String repl = a.str(1, "replacement", "");
            long count = ((Number) a.get(2, "count", 0L)).longValue();
            try {
                return PyRegex.subn(p, repl, Py.str(v), count).text();
            } catch (IllegalArgumentException e) {
                throw new TemplateFailure("regex_replace: " + e.getMessage(),
                        "a replacement refers to groups of the pattern: \\1 or \\g<name>");
            }
        }));
        f.add(Fn.filter("regex_search", false, (v, a) -> {
            Pattern p = PyRegex.compile(a.str(0, "regex", ""), Py.truth(a.kw.getOrDefault("ignorecase", false)),
                    Py.truth(a.kw.getOrDefault("multiline", false)));
            Matcher m = p.matcher(Py.str(v));
            if (!m.find()) {
                return null;
            }
            if (a.size() <= 1) {
                return m.group();
            }
            List<Object> groups = new ArrayList<>();
            for (Object g : a.pos.subList(1, a.size())) {
                String ref = Py.str(g);
                if (ref.startsWith("\\g<")) {
                    String name = ref.substring(3, ref.indexOf('>'));
                    groups.add(name.chars().allMatch(Character::isDigit) ? m.group(Integer.parseInt(name)) : m.group(name));
                } else if (ref.startsWith("\\")) {
                    groups.add(m.group(Integer.parseInt(ref.substring(1))));
                } else {
                    throw new TemplateFailure("Unknown argument", "use '\\\\1' or '\\\\g<name>' to pick groups");
                }
            }
            return groups;
        }));
        f.add(Fn.filter("regex_findall", false, (v, a) -> {
            Pattern p = PyRegex.compile(a.str(0, "regex", ""), a.bool(2, "ignorecase", false),
                    a.bool(1, "multiline", false));
            Matcher m = p.matcher(Py.str(v));
            List<Object> out = new ArrayList<>();
            while (m.find()) {
                if (m.groupCount() == 0) {
                    out.add(m.group());
                } else if (m.groupCount() == 1) {
                    out.add(m.group(1) == null ? "" : m.group(1));
                } else {
                    Object[] g = new Object[m.groupCount()];
                    for (int i = 0; i < g.length; i++) {
                        g[i] = m.group(i + 1) == null ? "" : m.group(i + 1);
                    }
                    out.add(new PyTuple(g));
                }
            }
            return out;
        }));
        f.add(Fn.filter("regex_escape", false, (v, a) -> Py.str(v).replaceAll("([^A-Za-z0-9_])", "\\\\$1")));
        f.add(Fn.filter("to_json", false, (v, a) -> {
            Object indent = a.kw.get("indent");
            boolean sort = Py.truth(a.kw.getOrDefault("sort_keys", false));
            return PyJson.dumps(v, indent == null ? null : ((Number) indent).intValue(), sort,
                    indent == null ? ", " : ",", ": ");
        }));
        f.add(Fn.filter("to_nice_json", false, (v, a) -> PyJson.dumps(v,
                ((Number) a.get(0, "indent", 4L)).intValue(), a.bool(1, "sort_keys", true), ",", ": ")));
        f.add(Fn.filter("from_json", false, (v, a) -> JsonIn.parse(Py.str(v))));
        f.add(Fn.filter("to_yaml", false, (v, a) -> PyYaml.dump(v, ((Number) a.kw.getOrDefault("indent", 2L))
                .intValue(), !a.kw.containsKey("default_flow_style") || a.kw.get("default_flow_style") == null)));
        f.add(Fn.filter("to_nice_yaml", false, (v, a) -> PyYaml.dump(v, ((Number) a.get(0, "indent", 4L)).intValue(),
                false)));
        f.add(Fn.filter("b64encode", false, (v, a) -> Base64.getEncoder().encodeToString(Py.str(v)
                .getBytes(StandardCharsets.UTF_8))));
        f.add(Fn.filter("b64decode", false, (v, a) -> {
            try {
                return new String(Base64.getMimeDecoder().decode(Py.str(v)), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new TemplateFailure("b64decode: " + e.getMessage(), "the value is not base64");
            }
        }));
        f.add(Fn.filter("combine", false, (v, a) -> {
            boolean recursive = Py.truth(a.kw.getOrDefault("recursive", false));
            String listMerge = Py.str(a.kw.getOrDefault("list_merge", "replace"));
            Map<Object, Object> result = new LinkedHashMap<>(asMap(v, "combine"));
            List<Object> others = new ArrayList<>();
            for (Object o : a.pos) {
                if (o instanceof List<?> l) {
                    others.addAll(l);
                } else {
                    others.add(o);
                }
            }
            for (Object o : others) {
                result = merge(result, asMap(o, "combine"), recursive, listMerge);
            }
            return result;
        }));
        f.add(Fn.filter("dict2items", false, (v, a) -> {
            String k = a.str(0, "key_name", "key");
            String val = a.str(1, "value_name", "value");
            List<Object> out = new ArrayList<>();
            for (Map.Entry<?, ?> e : asMap(v, "dict2items").entrySet()) {
                Map<Object, Object> item = new LinkedHashMap<>();
                item.put(k, e.getKey());
                item.put(val, e.getValue());
                out.add(item);
            }
            return out;
        }));
        f.add(Fn.filter("items2dict", false, (v, a) -> {
            String k = a.str(0, "key_name", "key");
            String val = a.str(1, "value_name", "value");
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Object item : list(v, "items2dict")) {
                Map<?, ?> m = asMap(item, "items2dict");
                if (!m.containsKey(k) || !m.containsKey(val)) {
                    throw new TemplateFailure("items2dict requires each item to have '" + k + "' and '" + val
                            + "' keys", "use key_name= and value_name= for other key names");
                }
                out.put(m.get(k), m.get(val));
            }
            return out;
        }));
        f.add(Fn.filter("ternary", false, (v, a) -> {
            Object noneVal = a.get(2, "none_val", null);
            if (v == null && noneVal != null) {
                return noneVal;
            }
            return Py.truth(v) ? a.get(0, "true_val", null) : a.get(1, "false_val", null);
        }));
        f.add(Fn.filter("basename", false, (v, a) -> {
            String s = Py.str(v);
            return s.substring(s.lastIndexOf('/') + 1);
        }));
        f.add(Fn.filter("dirname", false, (v, a) -> {
            String s = Py.str(v);
            int i = s.lastIndexOf('/') + 1;
            String head = s.substring(0, i);
            if (!head.isEmpty() && !head.chars().allMatch(c -> c == '/')) {
                head = head.replaceAll("/+$", "");
            }
            return head;
        }));
        f.add(Fn.filter("quote", false, (v, a) -> shellQuote(v == null ? "" : Py.str(v))));
        f.add(Fn.filter("join", false, (v, a) -> {
            String sep = a.str(0, "d", "");
            Object attribute = a.get(1, "attribute", null);
            StringBuilder sb = new StringBuilder();
            boolean first = true;
            for (Object o : list(v, "join")) {
                if (!first) {
                    sb.append(sep);
                }
                first = false;
                sb.append(Py.str(attribute == null ? o : attr(o, attribute)));
            }
            return sb.toString();
        }));
        f.add(Fn.filter("split", false, (v, a) -> split(Py.str(v), a.str(0, "sep", null),
                ((Number) a.get(1, "maxsplit", -1L)).intValue())));
        f.add(Fn.filter("flatten", false, (v, a) -> {
            Object levels = a.get(0, "levels", null);
            boolean skipNulls = a.bool(1, "skip_nulls", true);
            List<Object> out = new ArrayList<>();
            flatten(list(v, "flatten"), levels == null ? -1 : ((Number) levels).intValue(), skipNulls, out);
            return out;
        }));
        f.add(Fn.filter("unique", false, (v, a) -> unique(list(v, "unique"))));
        f.add(Fn.filter("union", false, (v, a) -> {
            List<Object> all = new ArrayList<>(list(v, "union"));
            all.addAll(list(a.get(0, "b", List.of()), "union"));
            return unique(all);
        }));
        f.add(Fn.filter("intersect", false, (v, a) -> {
            Object other = a.get(0, "b", List.of());
            List<Object> out = new ArrayList<>();
            for (Object o : list(v, "intersect")) {
                if (Py.contains(other, o)) {
                    out.add(o);
                }
            }
            return unique(out);
        }));
        f.add(Fn.filter("difference", false, (v, a) -> {
            Object other = a.get(0, "b", List.of());
            List<Object> out = new ArrayList<>();
            for (Object o : list(v, "difference")) {
                if (!Py.contains(other, o)) {
                    out.add(o);
                }
            }
            return unique(out);
        }));
        f.add(Fn.filter("symmetric_difference", false, (v, a) -> {
            List<Object> b = list(a.get(0, "b", List.of()), "symmetric_difference");
            List<Object> x = list(v, "symmetric_difference");
            List<Object> out = new ArrayList<>();
            for (Object o : unique(concat(x, b))) {
                if (!(Py.contains(x, o) && Py.contains(b, o))) {
                    out.add(o);
                }
            }
            return out;
        }));
        f.add(Fn.filter("select", false, (v, a) -> select(v, a, false, false)));
        f.add(Fn.filter("reject", false, (v, a) -> select(v, a, true, false)));
        f.add(Fn.filter("selectattr", false, (v, a) -> select(v, a, false, true)));
        f.add(Fn.filter("rejectattr", false, (v, a) -> select(v, a, true, true)));
        f.add(Fn.filter("map", false, (v, a) -> {
            List<Object> out = new ArrayList<>();
            if (a.kw.containsKey("attribute")) {
                Object attribute = a.kw.get("attribute");
                boolean hasDefault = a.kw.containsKey("default");
                for (Object o : list(v, "map")) {
                    Object r = attr(o, attribute);
                    out.add(r instanceof Undefined && hasDefault ? a.kw.get("default") : r);
                }
                return out;
            }
            if (a.size() == 0) {
                return list(v, "map");
            }
            String name = Py.str(a.pos.get(0));
            Filter filter = a.interpreter.getContext().getFilter(name);
            if (filter == null) {
                throw unknown("filter", name, a.interpreter.getContext());
            }
            Object[] rest = a.pos.subList(1, a.size()).toArray();
            for (Object o : list(v, "map")) {
                out.add(filter.filter(o, a.interpreter, rest, Map.of()));
            }
            return out;
        }));
        f.add(Fn.filter("sort", false, (v, a) -> {
            boolean reverse = a.bool(0, "reverse", false);
            boolean caseSensitive = a.bool(1, "case_sensitive", false);
            Object attribute = a.get(2, "attribute", null);
            List<Object> out = new ArrayList<>(list(v, "sort"));
            int sign = reverse ? -1 : 1;
            out.sort((x, y) -> sign * Py.compare(sortKey(x, attribute, caseSensitive),
                    sortKey(y, attribute, caseSensitive)));
            return out;
        }));
        f.add(Fn.filter("min", false, (v, a) -> minMax(v, a, -1)));
        f.add(Fn.filter("max", false, (v, a) -> minMax(v, a, 1)));
        f.add(Fn.filter("sum", false, (v, a) -> {
            Object attribute = a.get(0, "attribute", null);
            Object total = a.get(1, "start", 0L);
            for (Object o : list(v, "sum")) {
                total = add(total, attribute == null ? o : attr(o, attribute));
            }
            return total;
        }));
        Fn.FilterImpl length = (v, a) -> {
            if (v instanceof CharSequence) {
                String s = Py.str(v);
                return (long) s.codePointCount(0, s.length());
            }
            if (v instanceof Map<?, ?> m) {
                return (long) m.size();
            }
            if (v instanceof Collection<?> c) {
                return (long) c.size();
            }
            throw new TemplateFailure("object of type '" + Py.typeName(v) + "' has no len()");
        };
        f.add(Fn.filter("length", false, length));
        f.add(Fn.filter("count", false, length));
        f.add(Fn.filter("list", false, (v, a) -> list(v, "list")));
        f.add(Fn.filter("first", false, (v, a) -> {
            List<Object> l = list(v, "first");
            return l.isEmpty() ? Undefined.attribute(l, 0) : l.get(0);
        }));
        f.add(Fn.filter("last", false, (v, a) -> {
            List<Object> l = list(v, "last");
            return l.isEmpty() ? Undefined.attribute(l, -1) : l.get(l.size() - 1);
        }));
        f.add(Fn.filter("reverse", false, (v, a) -> {
            if (v instanceof CharSequence) {
                return new StringBuilder(Py.str(v)).reverse().toString();
            }
            List<Object> l = new ArrayList<>(list(v, "reverse"));
            java.util.Collections.reverse(l);
            return l;
        }));
        f.add(Fn.filter("abs", false, (v, a) -> v instanceof Double d ? (Object) Math.abs(d)
                : (Object) Math.abs(((Number) v).longValue())));
        f.add(Fn.filter("zip", false, (v, a) -> {
            List<List<Object>> lists = new ArrayList<>();
            lists.add(list(v, "zip"));
            for (Object o : a.pos) {
                lists.add(list(o, "zip"));
            }
            int n = lists.stream().mapToInt(List::size).min().orElse(0);
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Object[] t = new Object[lists.size()];
                for (int j = 0; j < t.length; j++) {
                    t[j] = lists.get(j).get(i);
                }
                out.add(new PyTuple(t));
            }
            return out;
        }));
        f.add(Fn.filter("hash", false, (v, a) -> digest(Py.str(v), a.str(0, "hashtype", "sha1"))));
        f.add(Fn.filter("md5", false, (v, a) -> digest(Py.str(v), "md5")));
        f.add(Fn.filter("sha1", false, (v, a) -> digest(Py.str(v), "sha1")));
        f.add(Fn.filter("checksum", false, (v, a) -> digest(Py.str(v), "sha1")));
        f.add(Fn.filter("password_hash", false, (v, a) -> {
            String type = a.str(0, "hashtype", "sha512");
            String salt = a.str(1, "salt", null);
            // Ansible's signature: password_hash(hashtype, salt, salt_size, rounds, ident)
            Object rounds = a.get(3, "rounds", null);
            if (type.equals("bcrypt") || type.equals("blowfish")) {
                return Bcrypt.hash(Py.str(v), salt, rounds == null ? 12 : ((Number) rounds).intValue(),
                        a.str(4, "ident", "2b"));
            }
            String prefix = switch (type) {
                case "sha512" -> "$6$";
                case "sha256" -> "$5$";
                case "md5" -> "$1$";
                default -> throw new TemplateFailure("password_hash: unsupported hash type '" + type + "'",
                        "use sha512, sha256, md5 or bcrypt");
            };
            if (salt == null) {
                salt = randomSalt();
            }
            // like Ansible's crypt path (and passlib): the implicit 5000 rounds are not written into the hash
            boolean explicitRounds = rounds != null && ((Number) rounds).longValue() != 5000 && !prefix.equals("$1$");
            String spec = prefix + (explicitRounds ? "rounds=" + rounds + "$" : "") + salt;
            return Crypt.crypt(Py.str(v).getBytes(StandardCharsets.UTF_8), spec);
        }));
        f.add(Fn.filter("format", false, (v, a) -> PyFormat.percent(Py.str(v), a.pos)));
        f.add(Fn.filter("center", false, (v, a) -> {
            String s = Py.str(v);
            int width = ((Number) a.get(0, "width", 80L)).intValue();
            if (s.length() >= width) {
                return s;
            }
            int total = width - s.length();
            int left = total / 2 + (total & width & 1);
            return " ".repeat(left) + s + " ".repeat(total - left);
        }));
        f.add(Fn.filter("indent", false, (v, a) -> {
            Object w = a.get(0, "width", 4L);
            String pad = w instanceof CharSequence ? Py.str(w) : " ".repeat(((Number) w).intValue());
            boolean first = a.bool(1, "first", false);
            boolean blank = a.bool(2, "blank", false);
            String s = Py.str(v);
            String[] lines = s.split("\n", -1);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < lines.length; i++) {
                if (i > 0) {
                    sb.append('\n');
                }
                boolean indentIt = (i > 0 || first) && (blank || !lines[i].isEmpty());
                sb.append(indentIt ? pad : "").append(lines[i]);
            }
            return sb.toString();
        }));
        f.add(Fn.filter("items", false, (v, a) -> {
            List<Object> out = new ArrayList<>();
            for (Map.Entry<?, ?> e : asMap(v, "items").entrySet()) {
                out.add(new PyTuple(e.getKey(), e.getValue()));
            }
            return out;
        }));
        f.add(Fn.filter("dictsort", false, (v, a) -> {
            boolean caseSensitive = a.bool(0, "case_sensitive", false);
            boolean byValue = "value".equals(a.str(1, "by", "key"));
            boolean reverse = a.bool(2, "reverse", false);
            List<Object> out = new ArrayList<>();
            for (Map.Entry<?, ?> e : asMap(v, "dictsort").entrySet()) {
                out.add(new PyTuple(e.getKey(), e.getValue()));
            }
            int sign = reverse ? -1 : 1;
            out.sort((x, y) -> sign * Py.compare(sortKey(((PyTuple) x).get(byValue ? 1 : 0), null, caseSensitive),
                    sortKey(((PyTuple) y).get(byValue ? 1 : 0), null, caseSensitive)));
            return out;
        }));
        f.add(Fn.filter("random", false, (v, a) -> {
            List<Object> l = list(v, "random");
            return l.get(new java.util.Random().nextInt(l.size()));
        }));
        f.add(Fn.filter("urlencode", false, (v, a) -> java.net.URLEncoder.encode(Py.str(v), StandardCharsets.UTF_8)
                .replace("+", "%20").replace("%2F", "/")));
        f.add(Fn.filter("wordcount", false, (v, a) -> (long) Py.str(v).split("\\s+").length));
        f.addAll(Jinja2Builtins.all()); // round batch truncate tojson: Python Jinja2's results
        f.addAll(AnsibleDataFilters.all()); // from_yaml extract product zip_longest subelements path_join ...
        return f;
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    static TemplateFailure unknown(String kind, String name, Context ctx) {
        List<String> known = new ArrayList<>();
        if (kind.equals("filter")) {
            ctx.getAllFilters().forEach(x -> known.add(x.getName()));
        } else {
            ctx.getAllExpTests().forEach(x -> known.add(x.getName()));
        }
        return new TemplateFailure("no " + kind + " named '" + name + "'", Suggest.nearest(name, known));
    }

    static Object toInt(Object v, Object dflt, Object base) {
        if (v instanceof Boolean b) {
            return b ? 1L : 0L;
        }
        if (Py.isIntegral(v)) {
            return ((Number) v).longValue();
        }
        if (v instanceof Number n) {
            return (long) n.doubleValue();
        }
        if (v instanceof CharSequence) {
            String s = Py.str(v).strip().replace("_", "");
            int radix = ((Number) base).intValue();
            try {
                if (radix != 10 && s.length() > 2 && s.charAt(0) == '0' && "xXoObB".indexOf(s.charAt(1)) >= 0) {
                    s = s.substring(2);
                }
                return new BigInteger(s.startsWith("+") ? s.substring(1) : s, radix).longValue();
            } catch (NumberFormatException e) {
                try {
                    return (long) Double.parseDouble(s);
                } catch (NumberFormatException e2) {
                    return dflt;
                }
            }
        }
        return dflt;
    }

    static Object toFloat(Object v, Object dflt) {
        if (v instanceof Boolean b) {
            return b ? 1.0 : 0.0;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof CharSequence) {
            String s = Py.str(v).strip().toLowerCase(Locale.ROOT);
            if (s.matches("[-+]?(inf|infinity|nan)")) {
                return s.contains("nan") ? Double.NaN : s.startsWith("-") ? Double.NEGATIVE_INFINITY
                        : Double.POSITIVE_INFINITY;
            }
            try {
                if (s.matches("[-+]?(\\d[\\d_]*\\.?\\d*|\\.\\d+)(e[-+]?\\d+)?")) {
                    return Double.parseDouble(s.replace("_", ""));
                }
            } catch (NumberFormatException e) {
                // fall through to the default
            }
        }
        return dflt;
    }

    static String title(String s) {
        StringBuilder sb = new StringBuilder();
        boolean start = true;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(start ? Character.toUpperCase(c) : Character.toLowerCase(c));
            start = Character.isWhitespace(c) || "-({[<".indexOf(c) >= 0;
        }
        return sb.toString();
    }

    static String strip(String s, String chars) {
        int b = 0;
        int e = s.length();
        while (b < e && chars.indexOf(s.charAt(b)) >= 0) {
            b++;
        }
        while (e > b && chars.indexOf(s.charAt(e - 1)) >= 0) {
            e--;
        }
        return s.substring(b, e);
    }

    static String shellQuote(String s) {
        if (s.isEmpty()) {
            return "''";
        }
        if (s.matches("[\\w@%+=:,./-]+") && s.chars().allMatch(c -> c < 128)) {
            return s;
        }
        return "'" + s.replace("'", "'\"'\"'") + "'";
    }

    static List<Object> split(String s, String sep, int maxsplit) {
        List<Object> out = new ArrayList<>();
        if (sep == null) {
            String rest = s.stripLeading();
            while (!rest.isEmpty()) {
                if (maxsplit >= 0 && out.size() == maxsplit) {
                    out.add(rest);
                    return out;
                }
                int i = 0;
                while (i < rest.length() && !Character.isWhitespace(rest.charAt(i))) {
                    i++;
                }
                out.add(rest.substring(0, i));
                rest = rest.substring(i).stripLeading();
            }
            return out;
        }
        if (sep.isEmpty()) {
            throw new TemplateFailure("empty separator", "give split a non-empty separator");
        }
        int from = 0;
        int at;
        while ((maxsplit < 0 || out.size() < maxsplit) && (at = s.indexOf(sep, from)) >= 0) {
            out.add(s.substring(from, at));
            from = at + sep.length();
        }
        out.add(s.substring(from));
        return out;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object v, String who) {
        if (v instanceof Undefined u) {
            throw u.fail();
        }
        if (v instanceof List<?> l) {
            return (List<Object>) l;
        }
        if (v instanceof Map<?, ?> m) {
            return new ArrayList<>(m.keySet());
        }
        if (v instanceof Collection<?> c) {
            return new ArrayList<>(c);
        }
        if (v instanceof CharSequence) {
            List<Object> out = new ArrayList<>();
            Py.str(v).codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
            return out;
        }
        throw new TemplateFailure(who + ": '" + Py.typeName(v) + "' object is not iterable");
    }

    static List<Object> concat(List<Object> a, List<Object> b) {
        List<Object> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    static Map<?, ?> asMap(Object v, String who) {
        if (v instanceof Map<?, ?> m) {
            return m;
        }
        if (v instanceof Undefined u) {
            throw u.fail();
        }
        throw new TemplateFailure(who + " expects dictionaries, got " + Py.typeName(v), null);
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> merge(Map<Object, Object> a, Map<?, ?> b, boolean recursive, String listMerge) {
        Map<Object, Object> out = new LinkedHashMap<>(a);
        for (Map.Entry<?, ?> e : b.entrySet()) {
            Object key = e.getKey();
            Object old = out.get(key);
            Object val = e.getValue();
            if (recursive && old instanceof Map<?, ?> om && val instanceof Map<?, ?> nm) {
                out.put(key, merge(new LinkedHashMap<>((Map<Object, Object>) om), nm, true, listMerge));
            } else if (old instanceof List<?> ol && val instanceof List<?> nl && !listMerge.equals("replace")) {
                List<Object> merged = new ArrayList<>();
                switch (listMerge) {
                    case "append" -> {
                        merged.addAll(ol);
                        merged.addAll(nl);
                    }
                    case "prepend" -> {
                        merged.addAll(nl);
                        merged.addAll(ol);
                    }
                    case "append_rp" -> {
                        for (Object x : ol) {
                            if (!Py.contains(nl, x)) {
                                merged.add(x);
                            }
                        }
                        merged.addAll(nl);
                    }
                    case "prepend_rp" -> {
                        merged.addAll(nl);
                        for (Object x : ol) {
                            if (!Py.contains(nl, x)) {
                                merged.add(x);
                            }
                        }
                    }
                    case "keep" -> merged.addAll(ol);
                    default -> throw new TemplateFailure("combine: unknown list_merge '" + listMerge + "'",
                            "use replace, keep, append, prepend, append_rp or prepend_rp");
                }
                out.put(key, merged);
            } else {
                out.put(key, val); // like dict.update: an existing key keeps its position
            }
        }
        return out;
    }

    static Object attr(Object o, Object attribute) {
        Object cur = o;
        for (String part : Py.str(attribute).split("\\.")) {
            if (cur instanceof Map<?, ?> m) {
                Object k = Py.findKey(m, part);
                if (k == Py.NO_KEY && part.matches("-?\\d+")) {
                    k = Py.findKey(m, Long.parseLong(part));
                }
                cur = k == Py.NO_KEY ? Undefined.attribute(m, part) : m.get(k);
            } else if (cur instanceof List<?> l && part.matches("-?\\d+")) {
                int i = Integer.parseInt(part);
                i = i < 0 ? i + l.size() : i;
                cur = i >= 0 && i < l.size() ? l.get(i) : Undefined.attribute(l, part);
            } else {
                cur = Undefined.attribute(cur, part);
            }
        }
        return cur;
    }

    private static List<Object> unique(List<Object> in) {
        List<Object> out = new ArrayList<>();
        for (Object o : in) {
            if (!Py.contains(out, o)) {
                out.add(o);
            }
        }
        return out;
    }

    private static void flatten(List<Object> in, int levels, boolean skipNulls, List<Object> out) {
        for (Object o : in) {
            if (o instanceof List<?> l && levels != 0) {
                @SuppressWarnings("unchecked")
                List<Object> sub = (List<Object>) l;
                flatten(sub, levels - 1, skipNulls, out);
            } else if (!(skipNulls && (o == null || "None".equals(o)))) {
                out.add(o);
            }
        }
    }

    private static Object select(Object v, Fn.Args a, boolean reject, boolean byAttr) {
        int off = byAttr ? 1 : 0;
        Object attribute = byAttr ? a.get(0, null, null) : null;
        String testName = a.size() > off ? Py.str(a.pos.get(off)) : null;
        Object[] testArgs = a.size() > off + 1 ? a.pos.subList(off + 1, a.size()).toArray() : new Object[0];
        ExpTest test = null;
        if (testName != null) {
            test = a.interpreter.getContext().getExpTest(testName);
            if (test == null) {
                throw unknown("test", testName, a.interpreter.getContext());
            }
        }
        List<Object> out = new ArrayList<>();
        for (Object o : list(v, byAttr ? "selectattr" : "select")) {
            Object subject = byAttr ? attr(o, attribute) : o;
            boolean r = test == null ? Py.truth(subject) : test.evaluate(subject, a.interpreter, testArgs);
            if (r != reject) {
                out.add(o);
            }
        }
        return out;
    }

    private static Object sortKey(Object o, Object attribute, boolean caseSensitive) {
        Object k = attribute == null ? o : attr(o, attribute);
        if (!caseSensitive && k instanceof CharSequence) {
            return Py.str(k).toLowerCase(Locale.ROOT);
        }
        return k;
    }

    private static Object minMax(Object v, Fn.Args a, int sign) {
        Object attribute = a.kw.get("attribute");
        boolean caseSensitive = Py.truth(a.kw.getOrDefault("case_sensitive", false));
        List<Object> l = list(v, sign < 0 ? "min" : "max");
        if (l.isEmpty()) {
            return Undefined.attribute(l, sign < 0 ? "min" : "max");
        }
        Object best = l.get(0);
        for (Object o : l.subList(1, l.size())) {
            int c = Py.compare(sortKey(o, attribute, caseSensitive), sortKey(best, attribute, caseSensitive));
            if (c * sign > 0) {
                best = o;
            }
        }
        return best;
    }

    static Object add(Object x, Object y) {
        if (Py.isIntegral(x) && Py.isIntegral(y) || x instanceof Boolean || y instanceof Boolean) {
            if (!(x instanceof Double) && !(y instanceof Double)) {
                return num(x).longValue() + num(y).longValue();
            }
        }
        if (x instanceof Number && y instanceof Number) {
            return num(x).doubleValue() + num(y).doubleValue();
        }
        if (x instanceof List<?> lx && y instanceof List<?> ly) {
            List<Object> out = new ArrayList<>(lx);
            out.addAll(ly);
            return out;
        }
        if (x instanceof CharSequence && y instanceof CharSequence) {
            return Py.str(x) + Py.str(y);
        }
        throw new TemplateFailure("unsupported operand type(s) for +: '" + Py.typeName(x) + "' and '"
                + Py.typeName(y) + "'");
    }

    private static Number num(Object o) {
        if (o instanceof Boolean b) {
            return b ? 1L : 0L;
        }
        return (Number) o;
    }

    static String digest(String s, String algo) {
        String name = switch (algo.toLowerCase(Locale.ROOT)) {
            case "md5" -> "MD5";
            case "sha1" -> "SHA-1";
            case "sha224" -> "SHA-224";
            case "sha256" -> "SHA-256";
            case "sha384" -> "SHA-384";
            case "sha512" -> "SHA-512";
            default -> throw new TemplateFailure("hash: unsupported hash type '" + algo + "'",
                    "use md5, sha1, sha224, sha256, sha384 or sha512");
        };
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(name).digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String randomSalt() {
        String chars = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        java.security.SecureRandom r = new java.security.SecureRandom();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            sb.append(chars.charAt(r.nextInt(chars.length())));
        }
        return sb.toString();
    }
}
