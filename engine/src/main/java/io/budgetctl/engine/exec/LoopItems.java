package io.budgetctl.engine.exec;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.playbook.KvParser;
import io.budgetctl.engine.template.LazyVars;
import io.budgetctl.engine.template.Taint;
import io.budgetctl.engine.template.Templater;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The items a task loops over, from {@code loop:} or a {@code with_*} keyword: the value templated in the host's
 * variables, then shaped as that keyword does (with_items flattens one level, with_flattened all, with_dict gives
 * key/value pairs, with_sequence counts, with_fileglob/with_first_found/with_lines ask their lookup). Apart from the
 * runner because the shaping rules are pure and many; only the templating and the lookups need the templater.
 */
final class LoopItems {
    /** with_* loops that are a lookup plugin's results. */
    private static final Set<String> LOOKUP_LOOPS = Set.of("with_fileglob", "with_first_found", "with_lines");

    /** A loop's items, and whether they were computed from host data or a lookup: then each item is data. */
    record Items(List<Object> list, boolean unsafe) {
    }

    private LoopItems() {
    }

    /**
     * The items of the loop in the task keywords {@code kw}, templated with {@code vars}; null when the task has no
     * loop. Of several with_* keywords the last one counts.
     */
    static Items of(Map<String, Object> kw, Map<String, Object> vars, Templater templater, SourceLocation at) {
        Object loop = kw.get("loop");
        String with = null;
        for (String k : kw.keySet()) {
            if (k.startsWith("with_")) {
                with = k;
                loop = kw.get(k);
            }
        }
        if (loop == null && with == null && !kw.containsKey("loop")) {
            return null;
        }
        Object loopValue = loop;
        Taint.Tracked<Object> tracked = Taint.track(() -> loopValue == null ? null
                : templater.render(loopValue, vars, at));
        Object v = tracked.value();
        if (with != null && LOOKUP_LOOPS.contains(with)) {
            // with_<lookup>: X is query('<lookup>', X); what a lookup finds is data (never templated again)
            Map<String, Object> terms = Map.of("__budgetctl_with_terms", v == null ? List.of() : v);
            Object found = templater.evaluate("query('" + with.substring(5) + "', __budgetctl_with_terms)",
                    LazyVars.with(vars, terms), at);
            return new Items(found instanceof Collection<?> c ? new ArrayList<>(c) : new ArrayList<>(List.of(found)),
                    true);
        }
        return new Items(shaped(with, v, at), tracked.tainted());
    }

    /**
     * The items of loop keyword {@code with} (null for {@code loop:}) whose templated value is {@code v}. Lookup loops
     * are not shaped here ({@link #of} asks the lookup).
     */
    static List<Object> shaped(String with, Object v, SourceLocation at) {
        if (with == null || with.equals("with_list")) {
            if (v instanceof String s && with != null) {
                return new ArrayList<>(List.of(s));
            }
            if (!(v instanceof Collection<?> c)) {
                throw new EngineException(at, "Invalid data passed to 'loop', it requires a list, got this instead: "
                        + v + ". Hint: If you passed a list/dict of just one element, try adding wantlist=True to "
                        + "your lookup invocation or use q/query instead of lookup.", "make the loop value a list");
            }
            return new ArrayList<>(c);
        }
        List<Object> list = v instanceof Collection<?> c ? new ArrayList<>(c) : v == null ? List.of() : List.of(v);
        switch (with) {
            case "with_items" -> {
                List<Object> out = new ArrayList<>();
                for (Object o : list) {
                    if (o instanceof Collection<?> c) {
                        out.addAll(c);
                    } else {
                        out.add(o);
                    }
                }
                return out;
            }
            case "with_flattened" -> {
                List<Object> out = new ArrayList<>();
                flatten(list, out);
                return out;
            }
            case "with_indexed_items" -> {
                List<Object> out = new ArrayList<>();
                int i = 0;
                for (Object o : list) {
                    out.add(List.of(i++, o));
                }
                return out;
            }
            case "with_dict" -> {
                if (!(v instanceof Map<?, ?> m)) {
                    throw new EngineException(at, "with_dict expects a dict", null);
                }
                List<Object> out = new ArrayList<>();
                m.forEach((k, val) -> {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("key", k);
                    e.put("value", val);
                    out.add(e);
                });
                return out;
            }
            case "with_together" -> {
                List<Object> out = new ArrayList<>();
                int n = 0;
                for (Object o : list) {
                    n = Math.max(n, o instanceof List<?> l ? l.size() : 0);
                }
                for (int i = 0; i < n; i++) {
                    List<Object> row = new ArrayList<>();
                    for (Object o : list) {
                        row.add(o instanceof List<?> l && i < l.size() ? l.get(i) : null);
                    }
                    out.add(row);
                }
                return out;
            }
            case "with_nested" -> {
                List<Object> out = new ArrayList<>();
                out.add(List.of());
                for (Object o : list) {
                    List<Object> next = new ArrayList<>();
                    for (Object prefix : out) {
                        for (Object x : o instanceof List<?> l ? l : List.of(o)) {
                            List<Object> row = new ArrayList<>((List<?>) prefix);
                            row.add(x);
                            next.add(row);
                        }
                    }
                    out = next;
                }
                return out;
            }
            case "with_sequence" -> {
                return sequence(String.valueOf(v));
            }
            default -> throw new EngineException(at, "loop keyword '" + with + "' is not supported", null);
        }
    }

    private static void flatten(Collection<?> in, List<Object> out) {
        for (Object o : in) {
            if (o instanceof Collection<?> c) {
                flatten(c, out);
            } else {
                out.add(o);
            }
        }
    }

    /** with_sequence's items: {@code start=1 end=5 stride=2 format=%02d} or {@code count=3}, each a formatted text. */
    static List<Object> sequence(String spec) {
        Map<String, Object> kv = KvParser.parse(spec, false);
        int start = Integer.parseInt(String.valueOf(kv.getOrDefault("start", "1")));
        int end = Integer.parseInt(String.valueOf(kv.getOrDefault("end", kv.getOrDefault("count", "0"))));
        if (kv.containsKey("count")) {
            end = start + Integer.parseInt(String.valueOf(kv.get("count"))) - 1;
        }
        int stride = Integer.parseInt(String.valueOf(kv.getOrDefault("stride", "1")));
        String format = String.valueOf(kv.getOrDefault("format", "%d"));
        List<Object> out = new ArrayList<>();
        for (int i = start; stride > 0 ? i <= end : i >= end; i += stride) {
            out.add(String.format(format, i));
        }
        return out;
    }
}
