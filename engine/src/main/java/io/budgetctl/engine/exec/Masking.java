package io.budgetctl.engine.exec;

import io.budgetctl.engine.api.Secret;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Event data is a copy of the result dict: no_log results are replaced by Ansible's censored notice, and
 * {@link Secret}s stay Secret objects (never revealed) so every output format prints their mask.
 */
final class Masking {
    private Masking() {
    }

    static Map<String, Object> mask(Map<String, Object> result, boolean noLog) {
        if (noLog) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("censored", TaskRunner.NO_LOG);
            m.put("changed", Boolean.TRUE.equals(result.get("changed")));
            return m;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> copy = (Map<String, Object>) copy(result);
        return copy;
    }

    private static Object copy(Object v) {
        if (v instanceof HostVars) {
            return v.toString();
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, val) -> out.put(String.valueOf(k), copy(val)));
            return out;
        }
        if (v instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>();
            for (Object o : c) {
                out.add(copy(o));
            }
            return out;
        }
        return v;
    }
}
