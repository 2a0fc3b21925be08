package io.budgetctl.engine.run;

import io.budgetctl.engine.exec.HostInventory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test-only inventory: named local hosts in groups, simple patterns (all, group, host, a:b, a:!b). */
final class MapInventory implements HostInventory {
    private final Map<String, Map<String, Object>> hosts = new LinkedHashMap<>();
    private final Map<String, List<String>> groups = new LinkedHashMap<>();

    MapInventory host(String name, String group, Object... kv) {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("ansible_connection", "local");
        for (int i = 0; i < kv.length; i += 2) {
            vars.put((String) kv[i], kv[i + 1]);
        }
        hosts.put(name, vars);
        groups.computeIfAbsent("all", g -> new ArrayList<>()).add(name);
        groups.computeIfAbsent(group, g -> new ArrayList<>()).add(name);
        return this;
    }

    @Override
    public List<String> hostNames() {
        return new ArrayList<>(hosts.keySet());
    }

    @Override
    public List<String> select(String pattern) {
        List<String> out = new ArrayList<>();
        for (String part : pattern.split("[:,]")) {
            if (part.startsWith("!")) {
                out.removeAll(one(part.substring(1)));
            } else {
                for (String h : one(part)) {
                    if (!out.contains(h)) {
                        out.add(h);
                    }
                }
            }
        }
        List<String> ordered = new ArrayList<>(hostNames());
        ordered.retainAll(out);
        return ordered;
    }

    private List<String> one(String p) {
        if (groups.containsKey(p)) {
            return groups.get(p);
        }
        return hosts.containsKey(p) ? List.of(p) : List.of();
    }

    @Override
    public Map<String, Object> hostVars(String host) {
        return hosts.getOrDefault(host, Map.of());
    }

    @Override
    public Map<String, List<String>> groups() {
        return groups;
    }

    @Override
    public List<String> groupNamesOf(String host) {
        List<String> out = new ArrayList<>();
        groups.forEach((g, m) -> {
            if (m.contains(host)) {
                out.add(g);
            }
        });
        return out;
    }
}
