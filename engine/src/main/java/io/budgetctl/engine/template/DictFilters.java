package io.budgetctl.engine.template;

import com.hubspot.jinjava.lib.filter.Filter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Filters on dictionaries: {@code combine} (of the value and the arguments, lists of dicts flattened in, with
 * Ansible's {@code recursive} and {@code list_merge}),
 * {@code dict2items}/{@code items2dict}, {@code items} and {@code dictsort}. What they build keeps insertion order,
 * as a Python dict does.
 */
final class DictFilters {
    private DictFilters() {
    }

    static List<Filter> all() {
        List<Filter> f = new ArrayList<>();
        f.add(Fn.filter("combine", "*dicts, recursive=False, list_merge='replace'", false, (v, a) -> {
            // Ansible: the value and the arguments flattened one level (so [d1, d2] | combine works), None dropped
            List<Object> terms = new ArrayList<>();
            terms.add(v);
            terms.addAll(a.rest());
            List<Object> dicts = new ArrayList<>();
            ListFilters.flatten(terms, 1L, true, dicts);
            if (dicts.size() <= 1) {
                return dicts.isEmpty() ? new LinkedHashMap<>() : dicts.get(0);
            }
            boolean recursive = a.bool("recursive");
            String listMerge = a.str("list_merge");
            Map<Object, Object> result = new LinkedHashMap<>(AnsibleFilters.asMap(dicts.get(0), "combine"));
            for (Object o : dicts.subList(1, dicts.size())) {
                result = merge(result, AnsibleFilters.asMap(o, "combine"), recursive, listMerge);
            }
            return result;
        }));
        f.add(Fn.filter("dict2items", "key_name='key', value_name='value'", false, (v, a) -> {
            String k = a.str("key_name");
            String val = a.str("value_name");
            List<Object> out = new ArrayList<>();
            for (Map.Entry<?, ?> e : AnsibleFilters.asMap(v, "dict2items").entrySet()) {
                Map<Object, Object> item = new LinkedHashMap<>();
                item.put(k, e.getKey());
                item.put(val, e.getValue());
                out.add(item);
            }
            return out;
        }));
        f.add(Fn.filter("items2dict", "key_name='key', value_name='value'", false, (v, a) -> {
            String k = a.str("key_name");
            String val = a.str("value_name");
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
        f.add(Fn.filter("items", "", true, (v, a) -> {
            if (v instanceof Undefined) {
                return new ArrayList<>(); // Jinja2: "x|items is x.items(), except an undefined x gives nothing"
            }
            return PyTuple.items(AnsibleFilters.asMap(v, "items"));
        }));
        f.add(Fn.filter("dictsort", "case_sensitive=False, by='key', reverse=False", false, (v, a) -> {
            boolean caseSensitive = a.bool("case_sensitive");
            String by = a.str("by");
            if (!"key".equals(by) && !"value".equals(by)) {
                throw new TemplateFailure("You can only sort by either \"key\" or \"value\"",
                        "dictsort(by='key') or dictsort(by='value')");
            }
            boolean byValue = by.equals("value");
            boolean reverse = a.bool("reverse");
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
