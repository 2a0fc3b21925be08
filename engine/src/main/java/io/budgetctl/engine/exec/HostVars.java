package io.budgetctl.engine.exec;

import java.util.AbstractMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code hostvars}: host name -> that host's variables (inventory, facts, include_vars, set_fact/register, extra vars;
 * not play, role or task vars, as Ansible 2.14), computed when a template first asks for a host (not for
 * every task), then kept for the task.
 */
final class HostVars extends AbstractMap<String, Object> {
    private final HostVarsSource hosts;
    private final PlayCtx pc;
    private final Map<String, Object> cache = new ConcurrentHashMap<>();

    HostVars(HostVarsSource hosts, PlayCtx pc) {
        this.hosts = hosts;
        this.pc = pc;
    }

    @Override
    public Object get(Object key) {
        String h = String.valueOf(key);
        if (!containsKey(h)) {
            return null;
        }
        return cache.computeIfAbsent(h, k -> hosts.hostLevelVars(k, pc));
    }

    @Override
    public boolean containsKey(Object key) {
        return pc.allHosts.contains(String.valueOf(key)) || hosts.knows(String.valueOf(key));
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        Set<Entry<String, Object>> s = new LinkedHashSet<>();
        for (String h : hosts.hostNames()) {
            s.add(new SimpleImmutableEntry<>(h, get(h)));
        }
        return s;
    }

    @Override
    public String toString() {
        return "hostvars" + hosts.hostNames();
    }
}
