package io.budgetctl.engine.template;

import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Filters on lists, and on what iterates as one (a dict's keys, a string's characters): {@code flatten}, the set
 * operations ({@code unique union intersect difference symmetric_difference}, first-seen order, Python equality),
 * {@code select}/{@code reject}/{@code selectattr}/{@code rejectattr} and {@code map} (which call a test or filter
 * by name, handing it the remaining positional and keyword arguments), {@code sort min max sum},
 * {@code length}/{@code count}, {@code list first last reverse zip random}.
 */
final class ListFilters {
    private ListFilters() {
    }

    static List<Filter> all() {
        List<Filter> f = new ArrayList<>();
        f.add(Fn.filter("flatten", "levels=None, skip_nulls=True", false, (v, a) -> {
            List<Object> out = new ArrayList<>();
            flatten(AnsibleFilters.list(v, "flatten"), a.integerOrNone("levels"), a.bool("skip_nulls"), out);
            return out;
        }));
        f.add(Fn.filter("unique", "case_sensitive=None, attribute=None", false, (v, a) -> unique(
                AnsibleFilters.list(v, "unique"), a.get("case_sensitive"), a.get("attribute"))));
        f.add(Fn.filter("union", "b", false, (v, a) -> {
            List<Object> all = new ArrayList<>(AnsibleFilters.list(v, "union"));
            all.addAll(AnsibleFilters.list(a.get("b"), "union"));
            return dedup(all);
        }));
        f.add(Fn.filter("intersect", "b", false, (v, a) -> {
            Object other = a.get("b");
            List<Object> out = new ArrayList<>();
            for (Object o : AnsibleFilters.list(v, "intersect")) {
                if (Py.contains(other, o)) {
                    out.add(o);
                }
            }
            return dedup(out);
        }));
        f.add(Fn.filter("difference", "b", false, (v, a) -> {
            Object other = a.get("b");
            List<Object> out = new ArrayList<>();
            for (Object o : AnsibleFilters.list(v, "difference")) {
                if (!Py.contains(other, o)) {
                    out.add(o);
                }
            }
            return dedup(out);
        }));
        f.add(Fn.filter("symmetric_difference", "b", false, (v, a) -> {
            List<Object> b = AnsibleFilters.list(a.get("b"), "symmetric_difference");
            List<Object> x = AnsibleFilters.list(v, "symmetric_difference");
            List<Object> out = new ArrayList<>();
            for (Object o : dedup(concat(x, b))) {
                if (!(Py.contains(x, o) && Py.contains(b, o))) {
                    out.add(o);
                }
            }
            return out;
        }));
        f.add(Fn.filter("select", "*args, **kwargs", false, (v, a) -> select(v, a, false, false)));
        f.add(Fn.filter("reject", "*args, **kwargs", false, (v, a) -> select(v, a, true, false)));
        f.add(Fn.filter("selectattr", "*args, **kwargs", false, (v, a) -> select(v, a, false, true)));
        f.add(Fn.filter("rejectattr", "*args, **kwargs", false, (v, a) -> select(v, a, true, true)));
        f.add(Fn.filter("map", "*args, **kwargs", false, ListFilters::map));
        f.add(Fn.filter("sort", "reverse=False, case_sensitive=False, attribute=None", false, (v, a) -> {
            boolean caseSensitive = a.bool("case_sensitive");
            Object attribute = a.get("attribute");
            // Jinja2 sorts by several attributes given as "age,name"
            List<Object> attributes = attribute instanceof CharSequence && Py.str(attribute).contains(",")
                    ? List.of((Object[]) Py.str(attribute).split(",")) : null;
            List<Object> out = new ArrayList<>(AnsibleFilters.list(v, "sort"));
            int sign = a.bool("reverse") ? -1 : 1;
            out.sort((x, y) -> sign * Py.compare(sortKey(x, attribute, attributes, caseSensitive),
                    sortKey(y, attribute, attributes, caseSensitive)));
            return out;
        }));
        f.add(Fn.filter("min", "case_sensitive=False, attribute=None", false, (v, a) -> minMax(v, a, -1)));
        f.add(Fn.filter("max", "case_sensitive=False, attribute=None", false, (v, a) -> minMax(v, a, 1)));
        f.add(Fn.filter("sum", "attribute=None, start=0", false, (v, a) -> {
            Object attribute = a.get("attribute");
            Object total = a.get("start");
            for (Object o : AnsibleFilters.list(v, "sum")) {
                total = add(total, attribute == null ? o : AnsibleFilters.attr(o, attribute));
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
        f.add(Fn.filter("length", "", false, length));
        f.add(Fn.filter("count", "", false, length));
        f.add(Fn.filter("list", "", false, (v, a) -> AnsibleFilters.list(v, "list")));
        f.add(Fn.filter("first", "", false, (v, a) -> {
            List<Object> l = AnsibleFilters.list(v, "first");
            return l.isEmpty() ? Undefined.attribute(l, 0) : l.get(0);
        }));
        f.add(Fn.filter("last", "", false, (v, a) -> {
            List<Object> l = AnsibleFilters.list(v, "last");
            return l.isEmpty() ? Undefined.attribute(l, -1) : l.get(l.size() - 1);
        }));
        f.add(Fn.filter("reverse", "", false, (v, a) -> {
            if (v instanceof CharSequence) {
                return new StringBuilder(Py.str(v)).reverse().toString();
            }
            List<Object> l = new ArrayList<>(AnsibleFilters.list(v, "reverse"));
            java.util.Collections.reverse(l);
            return l;
        }));
        f.add(Fn.filter("zip", "*iterables, strict=False", false, (v, a) -> {
            List<List<Object>> lists = new ArrayList<>();
            lists.add(AnsibleFilters.list(v, "zip"));
            for (Object o : a.rest()) {
                lists.add(AnsibleFilters.list(o, "zip"));
            }
            int n = lists.stream().mapToInt(List::size).min().orElse(0);
            for (int i = 1; a.bool("strict") && i < lists.size(); i++) {
                if (lists.get(i).size() != lists.get(0).size()) {
                    // Python names the first argument whose length differs from the first one's
                    throw new TemplateFailure("zip() argument " + (i + 1) + " is " + (lists.get(i).size() < lists
                            .get(0).size() ? "shorter" : "longer") + " than argument 1",
                            "strict=True wants lists of one length; zip_longest pads the shorter ones");
                }
            }
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
        f.add(Fn.filter("random", "start=None, step=None, seed=None", false, ListFilters::random));
        return f;
    }

    /**
     * Ansible's random: on an integer end, {@code randrange(start or 0, end, step or 1)}; on a sequence, one of its
     * items. With a seed, Python's Mersenne Twister seeded as Python seeds it, so the pick is Ansible's.
     */
    private static Object random(Object v, Fn.Args a) {
        PyRandom r = PyRandom.of(a.get("seed"), "random");
        Object start = a.get("start");
        Object step = a.get("step");
        if (v instanceof Boolean || Py.isIntegral(v)) {
            long end = v instanceof Boolean b ? (b ? 1 : 0) : ((Number) v).longValue();
            Long first = Py.truth(start) ? a.integerOrNone("start") : Long.valueOf(0);
            Long by = Py.truth(step) ? a.integerOrNone("step") : Long.valueOf(1);
            return r.randrange(first, end, by);
        }
        if (v instanceof CharSequence || v instanceof Collection<?> || v instanceof Map<?, ?>) {
            if (Py.truth(start) || Py.truth(step)) {
                throw new TemplateFailure("start and step can only be used with integer values",
                        "random(start, step) is for a number: {{ 60 | random(start=5, step=5) }}");
            }
            return r.choice(AnsibleFilters.list(v, "random"));
        }
        throw new TemplateFailure("random can only be used on sequences and integers",
                "give it a list to pick from, or an integer n to pick from 0 .. n-1");
    }

    /** Jinja2's map: {@code map(attribute='x', default=d)}, or {@code map('filter', args..., kw=...)} per item. */
    private static Object map(Object v, Fn.Args a) {
        List<Object> out = new ArrayList<>();
        if (a.rest().isEmpty() && a.extra().containsKey("attribute")) {
            Map<String, Object> kw = new java.util.LinkedHashMap<>(a.extra());
            Object attribute = kw.remove("attribute");
            Object dflt = kw.remove("default");
            if (!kw.isEmpty()) {
                throw new TemplateFailure("Unexpected keyword argument '" + kw.keySet().iterator().next() + "'",
                        "map(attribute=...) takes only default= besides");
            }
            for (Object o : AnsibleFilters.list(v, "map")) {
                Object r = AnsibleFilters.attr(o, attribute);
                out.add(r instanceof Undefined && dflt != null ? dflt : r);
            }
            return out;
        }
        if (a.rest().isEmpty()) {
            throw new TemplateFailure("map requires a filter argument", "map('upper') or map(attribute='name')");
        }
        String name = Py.str(a.rest().get(0));
        Filter filter = a.interpreter.getContext().getFilter(name);
        if (filter == null) {
            throw AnsibleFilters.unknown("filter", name, a.interpreter.getContext());
        }
        Object[] rest = a.rest().subList(1, a.rest().size()).toArray();
        for (Object o : AnsibleFilters.list(v, "map")) {
            out.add(filter.filter(o, a.interpreter, rest, a.extra()));
        }
        return out;
    }

    private static List<Object> concat(List<Object> a, List<Object> b) {
        List<Object> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** The items without repeats, by Python equality, first-seen order (Ansible's own unique, and the set filters). */
    private static List<Object> dedup(List<Object> in) {
        List<Object> out = new ArrayList<>();
        for (Object o : in) {
            if (!Py.contains(out, o)) {
                out.add(o);
            }
        }
        return out;
    }

    /**
     * Ansible 2.14's unique: Jinja2's (case-insensitive unless {@code case_sensitive}; by {@code attribute} if
     * given), which keeps its keys in a set; when a key is a list or dict (not hashable), Ansible's own plain one,
     * which refuses case_sensitive=False and attribute.
     */
    private static List<Object> unique(List<Object> items, Object caseSensitive, Object attribute) {
        List<Object> keys = new ArrayList<>();
        boolean hashable = true;
        for (Object item : items) {
            Object key = AnsibleFilters.sortKey(item, attribute, Py.truth(caseSensitive));
            hashable &= hashable(key);
            keys.add(key);
        }
        if (!hashable) {
            if (Boolean.FALSE.equals(caseSensitive) || Py.truth(attribute)) {
                throw new TemplateFailure("Jinja2's unique filter failed and we cannot fall back to Ansible's "
                        + "version as it does not support the parameters supplied",
                        "case_sensitive=False and attribute= need items that are not lists or dicts");
            }
            return dedup(items);
        }
        List<Object> out = new ArrayList<>();
        List<Object> seen = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (!Py.contains(seen, keys.get(i))) {
                seen.add(keys.get(i));
                out.add(items.get(i));
            }
        }
        return out;
    }

    /** Whether Python could put the value in a set: not a list or dict, nor a tuple holding one. */
    private static boolean hashable(Object v) {
        if (Py.isTuple(v)) {
            return ((List<?>) v).stream().allMatch(ListFilters::hashable);
        }
        return !(v instanceof List<?> || v instanceof Map<?, ?>);
    }

    /**
     * Ansible's flatten: nested lists (and tuples) spliced in, {@code levels} deep (None: all the way; 0 or less:
     * not at all); with {@code skip_nulls}, None and the strings 'None' and 'null' are dropped at every depth.
     */
    static void flatten(List<Object> in, Long levels, boolean skipNulls, List<Object> out) {
        for (Object o : in) {
            if (skipNulls && (o == null || "None".equals(o) || "null".equals(o))) {
                continue;
            }
            if (o instanceof List<?> l && (levels == null || levels >= 1)) {
                @SuppressWarnings("unchecked")
                List<Object> sub = (List<Object>) l;
                flatten(sub, levels == null ? null : levels - 1, skipNulls, out);
            } else {
                out.add(o);
            }
        }
    }

    /** Jinja2's select/reject(test, args..., kw=...) and selectattr/rejectattr(attribute, test, args..., kw=...). */
    private static Object select(Object v, Fn.Args a, boolean reject, boolean byAttr) {
        String who = (reject ? "reject" : "select") + (byAttr ? "attr" : "");
        List<Object> items = AnsibleFilters.list(v, who);
        if (items.isEmpty()) {
            return new ArrayList<>(); // Jinja2 looks at no argument then
        }
        List<Object> args = a.rest();
        if (byAttr && args.isEmpty()) {
            throw new TemplateFailure("Missing parameter for attribute name", who + "('name') or " + who
                    + "('name', 'test', args...)");
        }
        int off = byAttr ? 1 : 0;
        Object attribute = byAttr ? args.get(0) : null;
        String testName = args.size() > off ? Py.str(args.get(off)) : null;
        Object[] testArgs = Fn.testArgs(args.size() > off + 1 ? args.subList(off + 1, args.size()) : List.of(),
                a.extra());
        ExpTest test = null;
        if (testName != null) {
            test = a.interpreter.getContext().getExpTest(testName);
            if (test == null) {
                throw AnsibleFilters.unknown("test", testName, a.interpreter.getContext());
            }
        }
        List<Object> out = new ArrayList<>();
        for (Object o : items) {
            Object subject = byAttr ? AnsibleFilters.attr(o, attribute) : o;
            boolean r = test == null ? Py.truth(subject) : test.evaluate(subject, a.interpreter, testArgs);
            if (r != reject) {
                out.add(o);
            }
        }
        return out;
    }

    /** The sort key of one item: its value, its attribute, or the list of its attributes ("age,name"). */
    private static Object sortKey(Object o, Object attribute, List<Object> attributes, boolean caseSensitive) {
        if (attributes == null) {
            return AnsibleFilters.sortKey(o, attribute, caseSensitive);
        }
        List<Object> key = new ArrayList<>();
        for (Object at : attributes) {
            key.add(AnsibleFilters.sortKey(o, at, caseSensitive));
        }
        return key;
    }

    private static Object minMax(Object v, Fn.Args a, int sign) {
        Object attribute = a.get("attribute");
        boolean caseSensitive = a.bool("case_sensitive");
        List<Object> l = AnsibleFilters.list(v, sign < 0 ? "min" : "max");
        if (l.isEmpty()) {
            return Undefined.attribute(l, sign < 0 ? "min" : "max");
        }
        Object best = l.get(0);
        for (Object o : l.subList(1, l.size())) {
            int c = Py.compare(AnsibleFilters.sortKey(o, attribute, caseSensitive),
                    AnsibleFilters.sortKey(best, attribute, caseSensitive));
            if (c * sign > 0) {
                best = o;
            }
        }
        return best;
    }

    private static Object add(Object x, Object y) {
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
}
