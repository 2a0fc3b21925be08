package io.budgetctl.engine.template;

import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.Map;
import java.util.Set;

/**
 * The per-render context. Jinjava renders an unknown filter or test as nothing, silently; Jinja2 fails, and so does
 * this context, with the nearest known names as the hint.
 */
final class StrictContext extends Context {
    StrictContext(Context parent, Map<String, ?> bindings, Map<Library, Set<String>> disabled) {
        super(parent, bindings, disabled);
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
