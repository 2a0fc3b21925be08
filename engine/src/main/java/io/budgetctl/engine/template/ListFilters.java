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
 * by name), {@code sort min max sum}, {@code length}/{@code count}, {@code list first last reverse zip random}.
 */
final class ListFilters {
    private ListFilters() {
    }

    static List<Filter> all() {
        List<Filter> f = new ArrayList<>();
        f.add(Fn.filter("flatten", false, (v, a) -> {
            Object levels = a.get(0, "levels", null);
            boolean skipNulls = a.bool(1, "skip_nulls", true);
            List<Object> out = new ArrayList<>();
            flatten(AnsibleFilters.list(v, "flatten"), levels == null ? -1 : ((Number) levels).intValue(), skipNulls,
                    out);
            return out;
        }));
        f.add(Fn.filter("unique", false, (v, a) -> unique(AnsibleFilters.list(v, "unique"))));
        f.add(Fn.filter("union", false, (v, a) -> {
            List<Object> all = new ArrayList<>(AnsibleFilters.list(v, "union"));
            all.addAll(AnsibleFilters.list(a.get(0, "b", List.of()), "union"));
            return unique(all);
        }));
        f.add(Fn.filter("intersect", false, (v, a) -> {
            Object other = a.get(0, "b", List.of());
            List<Object> out = new ArrayList<>();
            for (Object o : AnsibleFilters.list(v, "intersect")) {
                if (Py.contains(other, o)) {
                    out.add(o);
                }
            }
            return unique(out);
        }));
        f.add(Fn.filter("difference", false, (v, a) -> {
            Object other = a.get(0, "b", List.of());
            List<Object> out = new ArrayList<>();
            for (Object o : AnsibleFilters.list(v, "difference")) {
                if (!Py.contains(other, o)) {
                    out.add(o);
                }
            }
            return unique(out);
        }));
        f.add(Fn.filter("symmetric_difference", false, (v, a) -> {
            List<Object> b = AnsibleFilters.list(a.get(0, "b", List.of()), "symmetric_difference");
            List<Object> x = AnsibleFilters.list(v, "symmetric_difference");
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
                for (Object o : AnsibleFilters.list(v, "map")) {
                    Object r = AnsibleFilters.attr(o, attribute);
                    out.add(r instanceof Undefined && hasDefault ? a.kw.get("default") : r);
                }
                return out;
            }
            if (a.size() == 0) {
                return AnsibleFilters.list(v, "map");
            }
            String name = Py.str(a.pos.get(0));
            Filter filter = a.interpreter.getContext().getFilter(name);
            if (filter == null) {
                throw AnsibleFilters.unknown("filter", name, a.interpreter.getContext());
            }
            Object[] rest = a.pos.subList(1, a.size()).toArray();
            for (Object o : AnsibleFilters.list(v, "map")) {
                out.add(filter.filter(o, a.interpreter, rest, Map.of()));
            }
            return out;
        }));
        f.add(Fn.filter("sort", false, (v, a) -> {
            boolean reverse = a.bool(0, "reverse", false);
            boolean caseSensitive = a.bool(1, "case_sensitive", false);
            Object attribute = a.get(2, "attribute", null);
            List<Object> out = new ArrayList<>(AnsibleFilters.list(v, "sort"));
            int sign = reverse ? -1 : 1;
            out.sort((x, y) -> sign * Py.compare(AnsibleFilters.sortKey(x, attribute, caseSensitive),
                    AnsibleFilters.sortKey(y, attribute, caseSensitive)));
            return out;
        }));
        f.add(Fn.filter("min", false, (v, a) -> minMax(v, a, -1)));
        f.add(Fn.filter("max", false, (v, a) -> minMax(v, a, 1)));
        f.add(Fn.filter("sum", false, (v, a) -> {
            Object attribute = a.get(0, "attribute", null);
            Object total = a.get(1, "start", 0L);
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
        f.add(Fn.filter("length", false, length));
        f.add(Fn.filter("count", false, length));
        f.add(Fn.filter("list", false, (v, a) -> AnsibleFilters.list(v, "list")));
        f.add(Fn.filter("first", false, (v, a) -> {
            List<Object> l = AnsibleFilters.list(v, "first");
            return l.isEmpty() ? Undefined.attribute(l, 0) : l.get(0);
        }));
        f.add(Fn.filter("last", false, (v, a) -> {
            List<Object> l = AnsibleFilters.list(v, "last");
            return l.isEmpty() ? Undefined.attribute(l, -1) : l.get(l.size() - 1);
        }));
        f.add(Fn.filter("reverse", false, (v, a) -> {
            if (v instanceof CharSequence) {
                return new StringBuilder(Py.str(v)).reverse().toString();
            }
            List<Object> l = new ArrayList<>(AnsibleFilters.list(v, "reverse"));
            java.util.Collections.reverse(l);
            return l;
        }));
        f.add(Fn.filter("zip", false, (v, a) -> {
            List<List<Object>> lists = new ArrayList<>();
            lists.add(AnsibleFilters.list(v, "zip"));
            for (Object o : a.pos) {
                lists.add(AnsibleFilters.list(o, "zip"));
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
        f.add(Fn.filter("random", false, (v, a) -> {
            List<Object> l = AnsibleFilters.list(v, "random");
            return l.get(new java.util.Random().nextInt(l.size()));
        }));
        return f;
    }

    private static List<Object> concat(List<Object> a, List<Object> b) {
        List<Object> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
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
                throw AnsibleFilters.unknown("test", testName, a.interpreter.getContext());
            }
        }
        List<Object> out = new ArrayList<>();
        for (Object o : AnsibleFilters.list(v, byAttr ? "selectattr" : "select")) {
            Object subject = byAttr ? AnsibleFilters.attr(o, attribute) : o;
            boolean r = test == null ? Py.truth(subject) : test.evaluate(subject, a.interpreter, testArgs);
            if (r != reject) {
                out.add(o);
            }
        }
        return out;
    }

    private static Object minMax(Object v, Fn.Args a, int sign) {
        Object attribute = a.kw.get("attribute");
        boolean caseSensitive = Py.truth(a.kw.getOrDefault("case_sensitive", false));
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
