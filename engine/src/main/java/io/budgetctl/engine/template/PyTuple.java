package io.budgetctl.engine.template;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** A Python tuple: an immutable list that prints as {@code (1, 'a')} (zip, dict.items(), regex_findall groups). */
final class PyTuple extends AbstractList<Object> {
    private final Object[] items;

    PyTuple(Object... items) {
        this.items = items.clone();
    }

    /** Python's {@code dict.items()}: a {@code (key, value)} tuple per entry (the items filter, {@code d.items()}). */
    static List<Object> items(Map<?, ?> m) {
        List<Object> out = new ArrayList<>(m.size());
        m.forEach((k, v) -> out.add(new PyTuple(k, v)));
        return out;
    }

    static PyTuple of(List<?> items) {
        return new PyTuple(items.toArray());
    }

    @Override
    public Object get(int index) {
        return items[index];
    }

    @Override
    public int size() {
        return items.length;
    }

    @Override
    public String toString() {
        return Py.repr(this);
    }

    List<Object> asList() {
        return Arrays.asList(items);
    }
}
