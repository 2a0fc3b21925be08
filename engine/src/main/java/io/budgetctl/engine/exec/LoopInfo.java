package io.budgetctl.engine.exec;

import io.budgetctl.engine.template.Truth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ansible_loop} of a loop with {@code loop_control: {extended: true}}, as ansible-core 2.14's TaskExecutor
 * builds it for each item: {@code previtem} is absent (undefined, not None) on the first item and {@code nextitem} on
 * the last; {@code extended_allitems: false} leaves out {@code allitems}.
 */
final class LoopInfo {
    private LoopInfo() {
    }

    /** The {@code ansible_loop} dict for item {@code i}, or null when the loop is not extended. */
    static Map<String, Object> extended(Map<String, Object> loopControl, List<Object> items, int i) {
        if (!Truth.of(loopControl.get("extended"))) {
            return null;
        }
        int n = items.size();
        Map<String, Object> info = new LinkedHashMap<>();
        if (!loopControl.containsKey("extended_allitems") || Truth.of(loopControl.get("extended_allitems"))) {
            info.put("allitems", items);
        }
        info.put("index", i + 1);
        info.put("index0", i);
        info.put("first", i == 0);
        info.put("last", i + 1 == n);
        info.put("length", n);
        info.put("revindex", n - i);
        info.put("revindex0", n - i - 1);
        if (i + 1 < n) {
            info.put("nextitem", items.get(i + 1));
        }
        if (i > 0) {
            info.put("previtem", items.get(i - 1));
        }
        return info;
    }
}
