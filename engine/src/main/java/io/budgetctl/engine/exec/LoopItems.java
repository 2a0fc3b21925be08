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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The items a task loops over, from {@code loop:} or a {@code with_*} keyword: the value templated in the host's
 * variables, then shaped as that keyword does (with_items flattens one level, with_flattened all, with_dict gives
 * key/value pairs, with_sequence counts, with_fileglob/with_first_found/with_lines/with_subelements ask their
 * lookup). Apart from the runner because the shaping rules are pure and many; only the templating and the lookups
 * need the templater.
 */
final class LoopItems {
    /** with_* loops that are a lookup plugin's results. */
    private static final Set<String> LOOKUP_LOOPS = Set.of("with_fileglob", "with_first_found", "with_lines",
            "with_subelements");

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
                return sequence(String.valueOf(v), at);
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

    /** with_sequence's shortcut form, {@code [start-]end[/stride][:format]}, as ansible-core's sequence lookup reads it. */
    private static final Pattern SHORTCUT = Pattern.compile("^(([0-9]+)-)?([0-9]+)(/([0-9]+))?(:(.+))?$",
            Pattern.CASE_INSENSITIVE);

    /**
     * with_sequence's items as ansible-core 2.14's sequence lookup makes them: {@code start=1 end=5 stride=2
     * format=%02d}, {@code count=3} (count steps of stride from start) or the shortcut {@code 4-8/2:web%02d}; numbers
     * in Python's int(x, 0) forms (0x10, 0o17, 0b11); stride 0 gives no items. What it refuses, it refuses with
     * ansible's message, at the task.
     */
    static List<Object> sequence(String spec, SourceLocation at) {
        String s = spec.strip();
        long start = 1;
        long stride = 1;
        Long end = null;
        Long count = null;
        String format = "%d";
        Matcher m = SHORTCUT.matcher(s);
        if (m.matches()) {
            start = m.group(2) == null ? start : Long.parseLong(m.group(2));
            end = Long.parseLong(m.group(3));
            stride = m.group(5) == null ? stride : Long.parseLong(m.group(5));
            format = m.group(7) == null ? format : m.group(7);
        } else {
            Map<String, Object> kv = new LinkedHashMap<>(KvParser.parse(s, false));
            Long v;
            if ((v = integer(kv.remove("start"), "start", at)) != null) {
                start = v;
            }
            end = integer(kv.remove("end"), "end", at);
            count = integer(kv.remove("count"), "count", at);
            if ((v = integer(kv.remove("stride"), "stride", at)) != null) {
                stride = v;
            }
            if (kv.containsKey("format")) {
                format = String.valueOf(kv.remove("format"));
            }
            if (!kv.isEmpty()) {
                throw sequenceError(at, "unrecognized arguments to with_sequence: "
                        + kv.keySet().stream().map(k -> "'" + k + "'").collect(Collectors.joining(", ", "[", "]")));
            }
        }
        if (count == null && end == null) {
            throw sequenceError(at, "must specify count or end in with_sequence");
        }
        if (count != null && end != null) {
            throw sequenceError(at, "can't specify both count and end in with_sequence");
        }
        if (count != null) {
            if (count == 0) {
                return List.of();
            }
            end = start + count * stride - 1;
        }
        if (stride > 0 && end < start) {
            throw sequenceError(at, "to count backwards make stride negative");
        }
        if (stride < 0 && end > start) {
            throw sequenceError(at, "to count forward don't make stride negative");
        }
        if (format.chars().filter(c -> c == '%').count() != 1) {
            throw sequenceError(at, "bad formatting string: " + format);
        }
        List<Object> out = new ArrayList<>();
        if (stride == 0) {
            return out;
        }
        // Python's range(start, end + 1, stride) (end - 1 counting down)
        for (long i = start; stride > 0 ? i <= end : i >= end; i += stride) {
            try {
                out.add(String.format(format, i));
            } catch (java.util.IllegalFormatException e) {
                throw sequenceError(at, "bad formatting string: " + format);
            }
        }
        return out;
    }

    /** A with_sequence number in Python's int(x, 0) forms; null when absent. */
    private static Long integer(Object raw, String name, SourceLocation at) {
        if (raw == null) {
            return null;
        }
        String t = String.valueOf(raw).strip().toLowerCase(java.util.Locale.ROOT).replace("_", "");
        boolean negative = t.startsWith("-");
        String digits = negative || t.startsWith("+") ? t.substring(1) : t;
        try {
            long n;
            if (digits.startsWith("0x")) {
                n = Long.parseLong(digits.substring(2), 16);
            } else if (digits.startsWith("0o")) {
                n = Long.parseLong(digits.substring(2), 8);
            } else if (digits.startsWith("0b")) {
                n = Long.parseLong(digits.substring(2), 2);
            } else if (digits.length() > 1 && digits.startsWith("0") && !digits.chars().allMatch(c -> c == '0')) {
                throw new NumberFormatException("leading zero");
            } else {
                n = Long.parseLong(digits);
            }
            return negative ? -n : n;
        } catch (NumberFormatException e) {
            throw sequenceError(at, "can't parse " + name + "=" + raw + " as integer");
        }
    }

    private static EngineException sequenceError(SourceLocation at, String msg) {
        return new EngineException(at, msg, "with_sequence takes start=, end= or count=, stride=, format= (e.g."
                + " \"start=1 end=5 format=web%02d\") or the short form \"1-5/1:web%02d\"");
    }
}
