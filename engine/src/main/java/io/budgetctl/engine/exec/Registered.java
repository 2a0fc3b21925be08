package io.budgetctl.engine.exec;

import io.budgetctl.engine.api.Unsafe;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A task's result as {@code register:} stores it: data (Unsafe, as the host answered it) without the keys meant for
 * the console only ({@code _ansible_verbose_always} and any other {@code _ansible_} key), at the top and in each
 * loop item of {@code results}, as Ansible's strip_internal_keys does before a result is registered.
 */
final class Registered {
    private static final String INTERNAL = "_ansible_";

    private Registered() {
    }

    static Object of(Map<String, Object> result) {
        return Unsafe.of(withoutInternalKeys(result));
    }

    /** {@code result} itself when it holds no internal key (the usual case: nothing is copied). */
    static Map<String, Object> withoutInternalKeys(Map<String, Object> result) {
        if (result == null || !hasInternalKeys(result)) {
            return result;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        result.forEach((k, v) -> {
            if (!k.startsWith(INTERNAL)) {
                out.put(k, k.equals("results") && v instanceof List<?> items ? items(items) : v);
            }
        });
        return out;
    }

    private static boolean hasInternalKeys(Map<String, Object> result) {
        for (String k : result.keySet()) {
            if (k.startsWith(INTERNAL)) {
                return true;
            }
        }
        return result.get("results") instanceof List<?> items
                && items.stream().anyMatch(i -> i instanceof Map<?, ?> m && m.keySet().stream()
                        .anyMatch(k -> k instanceof String s && s.startsWith(INTERNAL)));
    }

    @SuppressWarnings("unchecked")
    private static List<Object> items(List<?> items) {
        List<Object> out = new ArrayList<>(items.size());
        for (Object i : items) {
            out.add(i instanceof Map<?, ?> m ? withoutInternalKeys((Map<String, Object>) m) : i);
        }
        return out;
    }
}
