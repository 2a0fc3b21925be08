package io.budgetctl.engine.template;

import java.beans.FeatureDescriptor;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/**
 * Runs before Jinjava's own resolvers: a missing dict key, a list index out of range and any attribute of an
 * undefined value evaluate to {@link Undefined} (as in Jinja2), instead of Jinjava's silent null. Lists also accept
 * Python's negative indexes.
 */
final class StrictResolver extends ELResolver {

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        if (base instanceof Undefined u) {
            context.setPropertyResolved(true);
            return u;
        }
        if (base instanceof Map<?, ?> map) {
            if (property instanceof String s && (s.startsWith("filter:") || s.startsWith("exptest:"))) {
                return null;
            }
            if (hasKey(map, property)) {
                return null; // Jinjava's map resolver reads it (with its key conversions)
            }
            context.setPropertyResolved(true);
            return Undefined.attribute(map, property);
        }
        if (base instanceof List<?> list) {
            Long index = asIndex(property);
            if (index == null) {
                return null;
            }
            long i = index < 0 ? index + list.size() : index;
            context.setPropertyResolved(true);
            if (i < 0 || i >= list.size()) {
                return Undefined.attribute(list, property);
            }
            return list.get((int) i);
        }
        if (base instanceof CharSequence || base instanceof Number || base instanceof Boolean) {
            context.setPropertyResolved(true);
            return Undefined.attribute(base, property);
        }
        return null;
    }

    /** Python's str methods on strings ({@code name.upper()}, {@code path.startswith('/')}, {@code v.split('.')}). */
    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (base instanceof Undefined u) {
            throw u.fail();
        }
        Object[] args = params == null ? new Object[0] : params;
        if (base instanceof Map<?, ?> map && args.length == 0) {
            // Python's dict views as Jinja2 shows and iterates them: items() are (key, value) tuples, not Java entries
            Object view = switch (String.valueOf(method)) {
                case "items" -> PyTuple.items(map);
                case "keys" -> new java.util.ArrayList<Object>(map.keySet());
                case "values" -> new java.util.ArrayList<Object>(map.values());
                default -> null;
            };
            if (view != null) {
                context.setPropertyResolved(true);
                return view;
            }
        }
        if (!(base instanceof CharSequence cs)) {
            return null;
        }
        Object result = PyStr.call(Py.str(cs), String.valueOf(method), args);
        if (result != PyStr.NO_METHOD) {
            context.setPropertyResolved(true);
            return result;
        }
        throw new TemplateFailure("'str' object has no attribute '" + method + "'", null);
    }

    private static boolean hasKey(Map<?, ?> map, Object property) {
        if (map.containsKey(property)) {
            return true;
        }
        String s = String.valueOf(property);
        if (map.containsKey(s)) {
            return true;
        }
        Long l = asIndex(property);
        return l != null && (map.containsKey(l) || map.containsKey(l.intValue()));
    }

    private static Long asIndex(Object property) {
        if (property instanceof Long || property instanceof Integer) {
            return ((Number) property).longValue();
        }
        if (property instanceof String s && !s.isEmpty() && s.matches("-?\\d{1,18}")) {
            return Long.parseLong(s);
        }
        return null;
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
        // read-only: Jinjava's resolvers handle writes
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return false;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return null;
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return Object.class;
    }
}
