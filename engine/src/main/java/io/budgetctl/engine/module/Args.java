package io.budgetctl.engine.module;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A module's arguments after {@link ArgSpec#check}: canonical names, defaults filled in, each value of its declared
 * type. The getters only read; a value of another type here is a bug in the module's spec, not the user's input.
 */
public final class Args {
    private final Map<String, Object> values;

    Args(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** Every argument, under its canonical name (null values included). */
    public Map<String, Object> map() {
        return values;
    }

    /** Given with a value (or defaulted to one). */
    public boolean has(String name) {
        return values.get(name) != null;
    }

    /** The value as it is (type raw, or any). */
    public Object raw(String name) {
        return values.get(name);
    }

    /** A str or path argument; null when absent. A secret stays the {@link CharSequence} it is: call toString. */
    public String str(String name) {
        Object v = values.get(name);
        return v == null ? null : v.toString();
    }

    /** A bool argument; false when absent (Ansible's None is falsy). */
    public boolean bool(String name) {
        return Boolean.TRUE.equals(values.get(name));
    }

    /** A bool argument; null when absent. */
    public Boolean boolOrNull(String name) {
        return (Boolean) values.get(name);
    }

    /** An int argument; null when absent. */
    public Integer integer(String name) {
        Object v = values.get(name);
        return v == null ? null : ((Number) v).intValue();
    }

    /** An int argument, or {@code dflt} when absent. */
    public int integer(String name, int dflt) {
        Integer v = integer(name);
        return v == null ? dflt : v;
    }

    /** An int or float argument as a double, or {@code dflt} when absent. */
    public double number(String name, double dflt) {
        Object v = values.get(name);
        return v == null ? dflt : ((Number) v).doubleValue();
    }

    /** A list argument; empty when absent. */
    public List<Object> list(String name) {
        Object v = values.get(name);
        return v == null ? List.of() : Collections.unmodifiableList(new ArrayList<>((List<?>) v));
    }

    /** A list argument as text, each element stripped, empty elements left out ({@code "a, b,,c"}: a, b, c). */
    public List<String> strings(String name) {
        List<String> out = new ArrayList<>();
        for (Object o : list(name)) {
            String s = String.valueOf(o).strip();
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    /** A dict argument; empty when absent. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> dict(String name) {
        Object v = values.get(name);
        return v == null ? Map.of() : (Map<String, Object>) v;
    }
}
