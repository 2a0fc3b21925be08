package io.budgetctl.engine.template;

import com.hubspot.jinjava.lib.filter.Filter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Filters on dictionaries: {@code combine} (with Ansible's {@code recursive} and {@code list_merge}),
 * {@code dict2items}/{@code items2dict}, {@code items} and {@code dictsort}. What they build keeps insertion order,
 * as a Python dict does.
 */
final class DictFilters {
    private DictFilters() {
    }

    static List<Filter> all() {
        List<Filter> f = new ArrayList<>();
        f.add(Fn.filter("combine", false, (v, a) -> {
            boolean recursive = Py.truth(a.kw.getOrDefault("recursive", false));
            String listMerge = Py.str(a.kw.getOrDefault("list_merge", "replace"));
            Map<Object, Object> result = new LinkedHashMap<>(AnsibleFilters.asMap(v, "combine"));
            List<Object> others = new ArrayList<>();
            for (Object o : a.pos) {
                if (o instanceof List<?> l) {
                    others.addAll(l);
                } else {
                    others.add(o);
                }
            }
            for (Object o : others) {
                result = merge(result, AnsibleFilters.asMap(o, "combine"), recursive, listMerge);
            }
            return result;
        }));
        f.add(Fn.filter("dict2items", false, (v, a) -> {
            String k = a.str(0, "key_name", "key");
            String val = a.str(1, "value_name", "value");
            List<Object> out = new ArrayList<>();
            for (Map.Entry<?, ?> e : AnsibleFilters.asMap(v, "dict2items").entrySet()) {
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
            for (Object item : AnsibleFilters.list(v, "items2dict")) {
                Map<?, ?> m = AnsibleFilters.asMap(item, "items2dict");
                if (!m.containsKey(k) || !m.containsKey(val)) {
                    throw new TemplateFailure("items2dict requires each item to have '" + k + "' and '" + val
                            + "' keys", "use key_name= and value_name= for other key names");
                }
                out.put(m.get(k), m.get(val));
            }
            return out;
        }));
        f.add(Fn.filter("items", false, (v, a) -> {
            List<Object> out = new ArrayList<>();
            for (Map.Entry<?, ?> e : AnsibleFilters.asMap(v, "items").entrySet()) {
                out.add(new PyTuple(e.getKey(), e.getValue()));
            }
            return out;
        }));
        f.add(Fn.filter("dictsort", false, (v, a) -> {
            boolean caseSensitive = a.bool(0, "case_sensitive", false);
            boolean byValue = "value".equals(a.str(1, "by", "key"));
            boolean reverse = a.bool(2, "reverse", false);
            List<Object> out = new ArrayList<>();
            for (Map.Entry<?, ?> e : AnsibleFilters.asMap(v, "dictsort").entrySet()) {
                out.add(new PyTuple(e.getKey(), e.getValue()));
            }
            int sign = reverse ? -1 : 1;
            out.sort((x, y) -> sign * Py.compare(
                    AnsibleFilters.sortKey(((PyTuple) x).get(byValue ? 1 : 0), null, caseSensitive),
                    AnsibleFilters.sortKey(((PyTuple) y).get(byValue ? 1 : 0), null, caseSensitive)));
            return out;
        }));
        return f;
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
}
