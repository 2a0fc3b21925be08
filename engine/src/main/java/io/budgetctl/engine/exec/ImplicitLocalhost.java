package io.budgetctl.engine.exec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ansible's implicit localhost: with no inventory, "localhost" (and the patterns all, localhost, 127.0.0.1)
 * select it, with {@code ansible_connection=local}. Like Ansible, it is not a member of "all" for listing, but
 * budgetctl lets "all" match it so "hosts: all" works without an inventory (Ansible warns and matches nothing).
 */
public final class ImplicitLocalhost implements HostInventory {
    public static final String NAME = "localhost";

    @Override
    public List<String> hostNames() {
        return List.of(NAME);
    }

    @Override
    public List<String> select(String pattern) {
        for (String p : pattern.split("[,:]")) {
            String t = p.strip().replaceFirst("^[&!]", "");
            if (t.equals("localhost") || t.equals("127.0.0.1") || t.equals("all") || t.equals("*")) {
                return List.of(NAME);
            }
        }
        return List.of();
    }

    @Override
    public Map<String, Object> hostVars(String host) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("ansible_connection", "local");
        return v;
    }

    @Override
    public Map<String, List<String>> groups() {
        Map<String, List<String>> g = new LinkedHashMap<>();
        g.put("all", List.of());
        g.put("ungrouped", List.of());
        return g;
    }

    @Override
    public List<String> groupNamesOf(String host) {
        return List.of();
    }
}
