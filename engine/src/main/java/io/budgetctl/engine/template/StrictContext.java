package io.budgetctl.engine.template;

import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.Map;
import java.util.Set;

/**
 * The per-render context. Jinjava renders an unknown filter or test as nothing, silently; Jinja2 fails, and so does
 * this context, with the nearest known names as the hint.
 *
 * <p>The variables are looked up in the caller's map when a template reads them, not copied in (Jinjava's Context
 * copies its bindings, which would read, and so render, every variable of a {@link LazyVars}): names the template
 * sets itself ({@code {% set %}}, loop variables) come first, then the caller's variables, then Jinjava's globals.
 */
final class StrictContext extends Context {
    private final Map<String, ?> bindings;

    StrictContext(Context parent, Map<String, ?> bindings, Map<Library, Set<String>> disabled) {
        super(parent, Map.of(), disabled);
        this.bindings = bindings;
    }

    /** True when the caller's variables define {@code name} (perhaps as None). */
    boolean binds(String name) {
        return bindings.containsKey(name);
    }

    @Override
    public Object get(Object key) {
        if (getScope().containsKey(key)) {
            return getScope().get(key);
        }
        if (bindings.containsKey(key)) {
            return bindings.get(key);
        }
        return super.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return getScope().containsKey(key) || bindings.containsKey(key) || super.containsKey(key);
    }

    @Override
    public Filter getFilter(String name) {
        Filter f = super.getFilter(name);
        if (f == null) {
            throw AnsibleFilters.unknown("filter", name, this);
        }
        return f;
    }

    @Override
    public ExpTest getExpTest(String name) {
        ExpTest t = super.getExpTest(name);
        if (t == null) {
            throw AnsibleFilters.unknown("test", name, this);
        }
        return t;
    }
}
