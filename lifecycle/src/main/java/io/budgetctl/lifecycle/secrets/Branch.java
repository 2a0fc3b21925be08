package io.budgetctl.lifecycle.secrets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A mapping of a SOPS tree: ordered items, comments among them (sops' {@code TreeBranch}). */
final class Branch extends ArrayList<TreeItem> {
    private static final long serialVersionUID = 1L;

    /** The value under a string key, or null. */
    Object get(String key) {
        for (TreeItem item : this) {
            if (key.equals(item.key)) {
                return item.value;
            }
        }
        return null;
    }

    boolean has(String key) {
        for (TreeItem item : this) {
            if (key.equals(item.key)) {
                return true;
            }
        }
        return false;
    }

    void remove(String key) {
        removeIf(i -> key.equals(i.key));
    }

    /** A tree from plain Java maps and lists (metadata emission): maps become branches, order kept. */
    static Object fromJava(Object v) {
        if (v instanceof Map<?, ?> m) {
            Branch b = new Branch();
            m.forEach((k, x) -> b.add(new TreeItem(String.valueOf(k), fromJava(x))));
            return b;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(fromJava(x)));
            return out;
        }
        if (v instanceof Integer i) {
            return i.longValue();
        }
        return v;
    }

    /** Plain Java maps and lists (comments dropped): what a reader of the decrypted data sees. */
    static Object toJava(Object v) {
        if (v instanceof Branch b) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (TreeItem i : b) {
                if (!i.isComment()) {
                    m.put((String) i.key, toJava(i.value));
                }
            }
            return m;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object x : l) {
                if (!(x instanceof Comment)) {
                    out.add(toJava(x));
                }
            }
            return out;
        }
        return v;
    }

    /** A deep copy (aliases in YAML are expanded into copies, as sops does). */
    static Object copy(Object v) {
        if (v instanceof Branch b) {
            Branch c = new Branch();
            b.forEach(i -> c.add(new TreeItem(i.key, copy(i.value))));
            return c;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(copy(x)));
            return out;
        }
        return v;
    }
}
