package io.budgetctl.engine.template;

import com.hubspot.jinjava.lib.filter.Filter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Filters on text: case ({@code lower upper capitalize title}), {@code trim}, {@code replace}, the {@code regex_*}
 * filters (Python's re through PyRegex), {@code quote} (shlex.quote), {@code join} and {@code split},
 * {@code format}, {@code center}, {@code indent}, {@code urlencode}, {@code wordcount}. {@link #capitalize},
 * {@link #strip}, {@link #replace} and {@link #split} are Python's str methods, so PyStr's {@code s.capitalize()},
 * {@code s.strip(chars)}, {@code s.replace(a, b)} and {@code s.split()} call them too; {@link #title} is Jinja2's
 * title filter, which is not str.title (PyStr has that one).
 */
final class StringFilters {
    /** Jinja2's wordcount counts {@code re.findall(r"\w+")}: the same \w as the regex filters. */
    private static final Pattern WORD = PyRegex.compile("\\w+", false, false);

    /** What Python's re.escape puts a backslash before (3.7 and later: only characters special in a pattern). */
    private static final String RE_SPECIAL = "()[]{}?*+-|^$\\.&~# \t\n\r\u000b\f";

    /** What Ansible's regex_escape('posix_basic') puts a backslash before: POSIX BRE's special characters. */
    private static final String BRE_SPECIAL = "].[^$*\\";

    private StringFilters() {
    }

    static List<Filter> all() {
        List<Filter> f = new ArrayList<>();
        f.add(Fn.filter("lower", "", false, (v, a) -> Py.str(v).toLowerCase(Locale.ROOT)));
        f.add(Fn.filter("upper", "", false, (v, a) -> Py.str(v).toUpperCase(Locale.ROOT)));
        f.add(Fn.filter("capitalize", "", false, (v, a) -> capitalize(Py.str(v))));
        f.add(Fn.filter("title", "", false, (v, a) -> title(Py.str(v))));
        f.add(Fn.filter("trim", "chars=None", false, (v, a) -> strip(Py.str(v), a.str("chars"), true, true)));
        f.add(Fn.filter("replace", "old, new, count=None", false, (v, a) -> {
            Long count = a.integerOrNone("count");
            return replace(Py.str(v), a.str("old"), a.str("new"), count == null ? -1 : count);
        }));
        // ansible-core 2.14 has no count; it is ours, keyword-only, so positional arguments mean what they do there
        f.add(Fn.filter("regex_replace", "pattern='', replacement='', ignorecase=False, multiline=False, *, count=0",
                false, (v, a) -> {
                    Pattern p = PyRegex.compile(a.str("pattern"), a.bool("ignorecase"), a.bool("multiline"));
                    try {
                        return PyRegex.subn(p, a.str("replacement"), Py.str(v), a.integer("count")).text();
                    } catch (IllegalArgumentException e) {
                        throw new TemplateFailure("regex_replace: " + e.getMessage(),
                                "a replacement refers to groups of the pattern: \\1 or \\g<name>");
                    }
                }));
        // Ansible reads ignorecase and multiline from **kwargs and ignores any other keyword, so we do too
        f.add(Fn.filter("regex_search", "regex, *args, **kwargs", false, (v, a) -> {
            Pattern p = PyRegex.compile(a.str("regex"), Py.truth(a.extra().get("ignorecase")),
                    Py.truth(a.extra().get("multiline")));
            return search(p, Py.str(v), a.rest());
        }));
        f.add(Fn.filter("regex_findall", "regex, multiline=False, ignorecase=False", false, (v, a) -> {
            Pattern p = PyRegex.compile(a.str("regex"), a.bool("ignorecase"), a.bool("multiline"));
            return findall(p, Py.str(v));
        }));
        f.add(Fn.filter("regex_escape", "re_type='python'", false, (v, a) -> {
            String type = a.str("re_type");
            return switch (type) {
                case "python" -> escape(Py.str(v), RE_SPECIAL);
                case "posix_basic" -> escape(Py.str(v), BRE_SPECIAL);
                case "posix_extended" -> throw new TemplateFailure("Regex type (posix_extended) not yet implemented",
                        "Ansible has no posix_extended escaping either; use 'python' or 'posix_basic'");
                default -> throw new TemplateFailure("Invalid regex type (" + type + ")",
                        "use regex_escape('python') or regex_escape('posix_basic')");
            };
        }));
        f.add(Fn.filter("quote", "", false, (v, a) -> shellQuote(v == null ? "" : Py.str(v))));
        f.add(Fn.filter("join", "d='', attribute=None", false, (v, a) -> {
            String sep = a.str("d");
            Object attribute = a.get("attribute");
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
        f.add(Fn.filter("split", "sep=None, maxsplit=-1", false, (v, a) -> split(Py.str(v), a.str("sep"),
                a.integer("maxsplit"))));
        f.add(Fn.filter("format", "*args, **kwargs", false, (v, a) -> {
            if (!a.rest().isEmpty() && !a.extra().isEmpty()) {
                throw new TemplateFailure("can't handle positional and keyword arguments at the same time",
                        "format('%s', x) or format('%(name)s', name=x), not both");
            }
            return PyFormat.percent(Py.str(v), a.extra().isEmpty() ? a.rest() : List.of(a.extra()));
        }));
        f.add(Fn.filter("center", "width=80", false, (v, a) -> center(Py.str(v), a.integer("width"))));
        f.add(Fn.filter("indent", "width=4, first=False, blank=False", false, (v, a) -> {
            Object w = a.get("width");
            String pad = w instanceof CharSequence ? Py.str(w) : " ".repeat((int) Math.max(0, a.integer("width")));
            return indent(Py.str(v), pad, a.bool("first"), a.bool("blank"));
        }));
        f.add(Fn.filter("urlencode", "", false, (v, a) -> urlencode(v)));
        f.add(Fn.filter("wordcount", "", false, (v, a) -> WORD.matcher(Py.str(v)).results().count()));
        return f;
    }

    /** Ansible's regex_search: the match, or the groups asked for ({@code '\\1'}, {@code '\\g<name>'}); else None. */
    private static Object search(Pattern p, String s, List<Object> refs) {
        Matcher m = p.matcher(s);
        if (!m.find()) {
            return null;
        }
        if (refs.isEmpty()) {
            return m.group();
        }
        List<Object> groups = new ArrayList<>();
        for (Object g : refs) {
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
    }

    /** Python's re.findall: the matches, or the one group of each, or a tuple of the groups of each. */
    private static List<Object> findall(Pattern p, String s) {
        Matcher m = p.matcher(s);
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
    }

    private static String escape(String s, String special) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(special.indexOf(c) >= 0 ? "\\" : "").append(c);
        }
        return sb.toString();
    }

    /** Python's str.center: the extra odd space goes left when the width is odd, counting code points. */
    private static String center(String s, long width) {
        int len = s.codePointCount(0, s.length());
        if (len >= width) {
            return s;
        }
        int total = (int) width - len;
        int left = total / 2 + (total & (int) width & 1);
        return " ".repeat(left) + s + " ".repeat(total - left);
    }

    /** Jinja2's indent: lines as str.splitlines() finds them, rejoined with \n; blank lines only if asked. */
    private static String indent(String s, String pad, boolean first, boolean blank) {
        List<String> lines = PyText.splitlines(s + "\n");
        StringBuilder sb = new StringBuilder(lines.get(0));
        for (String line : lines.subList(1, lines.size())) {
            sb.append('\n').append(blank || !line.isEmpty() ? pad : "").append(line);
        }
        return first ? pad + sb : sb.toString();
    }

    /**
     * Jinja2's urlencode: text (and anything that is not a collection) quoted for a URL path, "/" kept; a dict or a
     * list of pairs as a query string ({@code k=v&k2=v2}, "+" for spaces).
     */
    private static String urlencode(Object v) {
        if (v instanceof CharSequence || !(v instanceof Collection<?> || v instanceof Map<?, ?>)) {
            return urlQuote(Py.str(v), false);
        }
        List<String> pairs = new ArrayList<>();
        Iterable<?> items = v instanceof Map<?, ?> m ? m.entrySet() : (Collection<?>) v;
        for (Object item : items) {
            Object k;
            Object val;
            if (item instanceof Map.Entry<?, ?> e) {
                k = e.getKey();
                val = e.getValue();
            } else if (item instanceof List<?> l && l.size() == 2) {
                k = l.get(0);
                val = l.get(1);
            } else {
                throw new TemplateFailure("urlencode: each item must be a (key, value) pair, got "
                        + Py.typeName(item), "give urlencode a string, a dict or a list of [key, value] pairs");
            }
            pairs.add(urlQuote(Py.str(k), true) + "=" + urlQuote(Py.str(val), true));
        }
        return String.join("&", pairs);
    }

    /** Python's urllib.parse.quote of the UTF-8 bytes (plus Jinja2's "+" for spaces in a query string). */
    private static String urlQuote(String s, boolean forQuery) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "_.-~".indexOf(c) >= 0 || (!forQuery && c == '/'))) {
                sb.append(c);
            } else if (forQuery && c == ' ') {
                sb.append('+');
            } else {
                sb.append('%').append(String.format("%02X", (int) c));
            }
        }
        return sb.toString();
    }

    /** Python's str.isspace for one code point: Unicode white space, the separators \x1c-\x1f and NBSP too. */
    static boolean isSpace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == 0x85;
    }

    /** Jinja2's title filter: after white space, -, (, {, [ or <, the first letter upper case, the rest lower. */
    static String title(String s) {
        StringBuilder sb = new StringBuilder();
        boolean start = true;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            String c = new String(Character.toChars(cp));
            boolean sep = isSpace(cp) || "-({[<".indexOf(cp) >= 0;
            sb.append(sep ? c : start ? c.toUpperCase(Locale.ROOT) : c.toLowerCase(Locale.ROOT));
            start = sep;
            i += Character.charCount(cp);
        }
        return sb.toString();
    }

    /** Python's str.capitalize (3.8 and later): the first character in title case, the rest lower case. */
    static String capitalize(String s) {
        if (s.isEmpty()) {
            return s;
        }
        int first = s.codePointAt(0);
        return titleCase(first) + s.substring(Character.charCount(first)).toLowerCase(Locale.ROOT);
    }

    /** One character in title case as Python has it: {@code ǆ} gives {@code ǅ}, {@code ß} gives {@code Ss}. */
    static String titleCase(int cp) {
        String upper = new String(Character.toChars(cp)).toUpperCase(Locale.ROOT);
        if (upper.codePointCount(0, upper.length()) == 1) {
            return new String(Character.toChars(Character.toTitleCase(cp)));
        }
        int head = upper.codePointAt(0);
        return new String(Character.toChars(head))
                + upper.substring(Character.charCount(head)).toLowerCase(Locale.ROOT);
    }

    /**
     * Python's str.strip/lstrip/rstrip: {@code chars} from the chosen ends, or white space as str.isspace has it
     * when {@code chars} is None (Java's strip() keeps a no-break space, Python's does not).
     */
    static String strip(String s, String chars, boolean left, boolean right) {
        int b = 0;
        int e = s.length();
        while (left && b < e && stripped(s.codePointAt(b), chars)) {
            b += Character.charCount(s.codePointAt(b));
        }
        while (right && e > b && stripped(s.codePointBefore(e), chars)) {
            e -= Character.charCount(s.codePointBefore(e));
        }
        return s.substring(b, e);
    }

    private static boolean stripped(int cp, String chars) {
        return chars == null ? isSpace(cp) : chars.codePoints().anyMatch(c -> c == cp);
    }

    /** Python's str.replace: the first {@code count} occurrences (all when negative); "" matches between letters. */
    static String replace(String s, String old, String rep, long count) {
        long left = count < 0 ? Long.MAX_VALUE : count;
        StringBuilder sb = new StringBuilder();
        int from = 0;
        if (old.isEmpty()) {
            while (left-- > 0) {
                sb.append(rep);
                if (from >= s.length()) {
                    return sb.toString();
                }
                int n = Character.charCount(s.codePointAt(from));
                sb.append(s, from, from + n);
                from += n;
            }
            return sb.append(s, from, s.length()).toString();
        }
        int at;
        while (left-- > 0 && (at = s.indexOf(old, from)) >= 0) {
            sb.append(s, from, at).append(rep);
            from = at + old.length();
        }
        return sb.append(s, from, s.length()).toString();
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

    /** Python's str.split: on runs of white space (str.isspace) when {@code sep} is None, else on {@code sep}. */
    static List<Object> split(String s, String sep, long maxsplit) {
        List<Object> out = new ArrayList<>();
        if (sep == null) {
            String rest = strip(s, null, true, false);
            while (!rest.isEmpty()) {
                if (maxsplit >= 0 && out.size() == maxsplit) {
                    out.add(rest);
                    return out;
                }
                int i = 0;
                while (i < rest.length() && !isSpace(rest.codePointAt(i))) {
                    i += Character.charCount(rest.codePointAt(i));
                }
                out.add(rest.substring(0, i));
                rest = strip(rest.substring(i), null, true, false);
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
