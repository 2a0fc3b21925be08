package io.budgetctl.engine.template;

import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Jinja2 built-in and Ansible filters with Python/Ansible semantics, replacing Jinjava's own where they differ.
 * Each family (what the filter works on) is its own class; what stays here is what several of them share: how a
 * value is iterated ({@link #list}) or read as a dictionary ({@link #asMap}), dotted attribute lookup
 * ({@link #attr}), the sort key of sort, min, max and dictsort ({@link #sortKey}) and the "no filter named"
 * failure ({@link #unknown}).
 */
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
        // Jinjava keeps filters by name, so a name two families both had would go to the later one: none does
        f.addAll(ValueFilters.all()); // default mandatory ternary bool int float string abs
        f.addAll(StringFilters.all()); // lower trim replace regex_* quote join split format indent ...
        f.addAll(EncodingFilters.all()); // to_json from_json to_yaml b64encode hash password_hash ...
        f.addAll(DictFilters.all()); // combine dict2items items2dict items dictsort
        f.addAll(PathFilters.all()); // basename dirname
        f.addAll(ListFilters.all()); // flatten unique union select map sort min max length first zip ...
        f.addAll(Jinja2Builtins.all()); // round batch truncate tojson: Python Jinja2's results
        f.addAll(PyTime.filters()); // to_datetime strftime
        f.addAll(AnsibleDataFilters.all()); // from_yaml extract product zip_longest subelements path_join ...
        return f;
    }

    // ---- helpers several families share ------------------------------------------------------------------------

    static TemplateFailure unknown(String kind, String name, Context ctx) {
        List<String> known = new ArrayList<>();
        if (kind.equals("filter")) {
            ctx.getAllFilters().forEach(x -> known.add(x.getName()));
        } else {
            ctx.getAllExpTests().forEach(x -> known.add(x.getName()));
        }
        return new TemplateFailure("no " + kind + " named '" + name + "'", Suggest.nearest(name, known));
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

    static Map<?, ?> asMap(Object v, String who) {
        if (v instanceof Map<?, ?> m) {
            return m;
        }
        if (v instanceof Undefined u) {
            throw u.fail();
        }
        throw new TemplateFailure(who + " expects dictionaries, got " + Py.typeName(v), null);
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

    static Object sortKey(Object o, Object attribute, boolean caseSensitive) {
        Object k = attribute == null ? o : attr(o, attribute);
        if (!caseSensitive && k instanceof CharSequence) {
            return Py.str(k).toLowerCase(Locale.ROOT);
        }
        return k;
    }
}
