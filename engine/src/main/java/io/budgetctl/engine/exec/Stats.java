package io.budgetctl.engine.exec;

import io.budgetctl.engine.event.HostStats;
import java.util.LinkedHashMap;
import java.util.Map;

/** PLAY RECAP counters, counted exactly as Ansible's strategy does (ok includes changed and ignored). */
final class Stats {
    private final Map<String, int[]> counts = new LinkedHashMap<>();

    enum Kind { OK, CHANGED, UNREACHABLE, FAILED, SKIPPED, RESCUED, IGNORED }

    void add(String host, Kind k) {
        counts.computeIfAbsent(host, h -> new int[Kind.values().length])[k.ordinal()]++;
    }

    void touch(String host) {
        counts.computeIfAbsent(host, h -> new int[Kind.values().length]);
    }

    Map<String, HostStats> snapshot(Iterable<String> order) {
        Map<String, HostStats> out = new LinkedHashMap<>();
        for (String h : order) {
            int[] c = counts.get(h);
            if (c != null) {
                out.put(h, new HostStats(c[0], c[1], c[2], c[3], c[4], c[5], c[6]));
            }
        }
        for (Map.Entry<String, int[]> e : counts.entrySet()) {
            if (!out.containsKey(e.getKey())) {
                int[] c = e.getValue();
                out.put(e.getKey(), new HostStats(c[0], c[1], c[2], c[3], c[4], c[5], c[6]));
            }
        }
        return out;
    }
}
