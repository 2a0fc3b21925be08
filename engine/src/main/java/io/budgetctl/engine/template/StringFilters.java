package io.budgetctl.engine.template;

import com.hubspot.jinjava.lib.filter.Filter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Filters on text: case ({@code lower upper capitalize title}), {@code trim}, {@code replace}, the {@code regex_*}
 * filters (Python's re through PyRegex), {@code quote} (shlex.quote), {@code join} and {@code split},
 * {@code format}, {@code center}, {@code indent}, {@code urlencode}, {@code wordcount}. {@link #title},
 * {@link #strip} and {@link #split} are Python's str methods, so PyStr's {@code s.title()}, {@code s.strip(chars)}
 * and {@code s.split()} call them too.
 */
final class StringFilters {
    private StringFilters() {
    }

    static List<Filter> all() {
        List<Filter> f = new ArrayList<>();
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
        f.add(Fn.filter("quote", false, (v, a) -> shellQuote(v == null ? "" : Py.str(v))));
        f.add(Fn.filter("join", false, (v, a) -> {
            String sep = a.str(0, "d", "");
            Object attribute = a.get(1, "attribute", null);
            StringBuilder sb = new StringBuilder();
            boolean first = true;
            for (Object o : AnsibleFilters.list(v, "join")) {
                if (!first) {
                    sb.append(sep);
                }
                first = false;
                sb.append(Py.str(attribute == null ? o : AnsibleFilters.attr(o, attribute)));
            }
            return sb.toString();
        }));
        f.add(Fn.filter("split", false, (v, a) -> split(Py.str(v), a.str(0, "sep", null),
                ((Number) a.get(1, "maxsplit", -1L)).intValue())));
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
        f.add(Fn.filter("urlencode", false, (v, a) -> java.net.URLEncoder.encode(Py.str(v), StandardCharsets.UTF_8)
                .replace("+", "%20").replace("%2F", "/")));
        f.add(Fn.filter("wordcount", false, (v, a) -> (long) Py.str(v).split("\\s+").length));
        return f;
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

    private static String shellQuote(String s) {
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
}
