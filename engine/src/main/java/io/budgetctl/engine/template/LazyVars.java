package io.budgetctl.engine.template;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.Secret;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.api.Unsafe;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A task's variables as Ansible's {@code AnsibleJ2Vars} gives them to a template: a value that holds template text is
 * rendered when it is read, once (then kept for this map), against the same variables, so {@code a: "{{ b }}"},
 * {@code b: "{{ c }}"} resolves however deep; the text a render produces is never rendered again (so
 * {@code "{{ '{{' }} c {{ '}}' }}"} stays the text {@code {{ c }}}).
 *
 * <p>Values wrapped in {@link Unsafe} (host output, lookups, anything computed from them) are data: read as they are,
 * never rendered, and reading one taints the render in progress ({@link Taint}), so what it computes is data too.
 * {@link Secret}s are data as well. Nothing is rendered that no one reads: a variable whose template fails or runs a
 * lookup costs nothing until used.
 *
 * <p>Use {@link #with} instead of copying (a copy would render every variable): it gives a child map with more
 * variables (a loop item, a registered result) whose templates see them. One instance belongs to one thread.
 */
public final class LazyVars extends AbstractMap<String, Object> {
    private static final Object NONE = new Object();

    private final Templater templater;
    private final Map<String, Object> raw;
    private final SourceLocation location;
    private final Map<String, Object> rendered = new HashMap<>();
    private final Set<String> rendering = new HashSet<>();

    /** {@code raw}: variable name -> value as written (template text) or as received ({@link Unsafe}, Secret). */
    public LazyVars(Templater templater, Map<String, Object> raw, SourceLocation location) {
        this.templater = templater;
        this.raw = new LinkedHashMap<>(raw);
        this.location = location == null ? SourceLocation.UNKNOWN : location;
    }

    /** {@code base} plus {@code extra} (which wins), without rendering anything of {@code base}. */
    public static Map<String, Object> with(Map<String, Object> base, Map<String, ?> extra) {
        if (base instanceof LazyVars lv) {
            return lv.with(extra);
        }
        Map<String, Object> m = new LinkedHashMap<>(base);
        m.putAll(extra);
        return m;
    }

    /** A child with more variables; its templates see them (so nothing rendered here is reused). */
    public LazyVars with(Map<String, ?> extra) {
        LazyVars child = new LazyVars(templater, raw, location);
        child.raw.putAll(extra);
        return child;
    }

    /** The values as written or received, nothing rendered (for walking all values, e.g. to find secrets). */
    public static Map<String, Object> raw(Map<String, Object> vars) {
        return vars instanceof LazyVars lv ? java.util.Collections.unmodifiableMap(lv.raw) : vars;
    }

    @Override
    public Object get(Object key) {
        if (!(key instanceof String k) || !raw.containsKey(k)) {
            return null;
        }
        Object v = raw.get(k);
        if (v instanceof Unsafe || v instanceof Secret) {
            Taint.mark();
            return Unsafe.unwrap(v);
        }
        Object done = rendered.get(k);
        if (done != null) {
            return done == NONE ? null : Taint.read(done);
        }
        if (!hasTemplate(v)) {
            rendered.put(k, v == null ? NONE : v); // walked once per map, not per read
            return v;
        }
        if (!rendering.add(k)) {
            throw new EngineException(location, "recursive loop detected in template: the value of variable '" + k
                    + "' needs its own value", "a variable cannot refer to itself (also not through others); "
                    + "give the new value another name");
        }
        try {
            Taint.Tracked<Object> t = Taint.track(() -> templater.render(v, this, location));
            rendered.put(k, t.value() == null ? NONE : t.wrapped());
            return t.value();
        } finally {
            rendering.remove(k);
        }
    }

    @Override
    public boolean containsKey(Object key) {
        return raw.containsKey(key);
    }

    @Override
    public Object put(String key, Object value) {
        rendered.clear(); // others may have been rendered with the old value
        Object old = raw.put(key, value);
        return Unsafe.unwrap(old);
    }

    @Override
    public Object remove(Object key) {
        rendered.clear();
        return Unsafe.unwrap(raw.remove(key));
    }

    @Override
    public int size() {
        return raw.size();
    }

    @Override
    public Set<String> keySet() {
        return java.util.Collections.unmodifiableSet(raw.keySet());
    }

    /** Entries whose values render when asked for (walking all of them renders all of them). */
    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Object>> iterator() {
                Iterator<String> keys = new java.util.ArrayList<>(raw.keySet()).iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return keys.hasNext();
                    }

                    @Override
                    public Entry<String, Object> next() {
                        String k = keys.next();
                        return new Entry<>() {
                            @Override
                            public String getKey() {
                                return k;
                            }

                            @Override
                            public Object getValue() {
                                return get(k);
                            }

                            @Override
                            public Object setValue(Object value) {
                                return put(k, value);
                            }
                        };
                    }
                };
            }

            @Override
            public int size() {
                return raw.size();
            }
        };
    }

    /** True when {@code v} holds template text that is not data ({@link Unsafe} and secrets never are templates). */
    public static boolean hasTemplate(Object v) {
        if (v instanceof String s) {
            return s.contains("{{") || s.contains("{%") || s.contains("{#");
        }
        if (v != null && !v.getClass().getName().startsWith("java.") && !(v instanceof HashMap<?, ?>)
                && !(v instanceof java.util.TreeMap<?, ?>) && !(v instanceof java.util.ArrayList<?>)) {
            return false; // hostvars and other computed maps: walking them would compute every host's variables
        }
        if (v instanceof Map<?, ?> m) {
            for (Object o : m.values()) {
                if (hasTemplate(o)) {
                    return true;
                }
            }
        }
        if (v instanceof Collection<?> c) {
            for (Object o : c) {
                if (hasTemplate(o)) {
                    return true;
                }
            }
        }
        return false;
    }
}
