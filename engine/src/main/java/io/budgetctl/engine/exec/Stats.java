package io.budgetctl.engine.exec;

import io.budgetctl.engine.event.HostStats;
import io.budgetctl.engine.event.Status;
import io.budgetctl.engine.playbook.Actions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PLAY RECAP counters, counted exactly as Ansible's strategy does (ok includes changed and ignored): {@link #count}
 * holds its rules for what a task did on a host.
 */
final class Stats {
    private final Map<String, int[]> counts = new LinkedHashMap<>();

    enum Kind { OK, CHANGED, UNREACHABLE, FAILED, SKIPPED, RESCUED, IGNORED }

    void add(String host, Kind k) {
        counts.computeIfAbsent(host, h -> new int[Kind.values().length])[k.ordinal()]++;
    }

    void touch(String host) {
        counts.computeIfAbsent(host, h -> new int[Kind.values().length]);
    }

    /**
     * Counts what a task with {@code action} did on a host ({@code o}). A failure that was not ignored counts nothing
     * here: the caller counts it failed or rescued, which only it knows. Returns true when the host was counted
     * unreachable (it then leaves the run).
     */
    boolean count(String action, HostOutcome o) {
        String host = o.host();
        if (action.equals(Actions.INCLUDE_ROLE) && (o.status() == Status.OK || o.status() == Status.CHANGED)) {
            // Ansible neither prints nor counts a successful include_role
            return false;
        }
        if (action.equals(Actions.INCLUDE_TASKS) && !o.items().isEmpty() && o.status() != Status.FAILED
                && o.status() != Status.SKIPPED) {
            // Ansible counts each included file of a looped include as one ok; skipped items count nothing, and a
            // loop whose items were all skipped is one skipped task (below)
            for (HostOutcome.Item item : o.items()) {
                if (item.status() != Status.SKIPPED) {
                    add(host, Kind.OK);
                }
            }
            return false;
        }
        switch (o.status()) {
            case OK -> add(host, Kind.OK);
            case CHANGED -> {
                add(host, Kind.OK);
                add(host, Kind.CHANGED);
            }
            case SKIPPED -> add(host, Kind.SKIPPED);
            case UNREACHABLE -> {
                if (!o.ignored()) {
                    add(host, Kind.UNREACHABLE);
                    return true;
                }
                add(host, Kind.OK);
                add(host, Kind.IGNORED);
            }
            case FAILED -> {
                if (o.ignored()) {
                    add(host, Kind.OK);
                    add(host, Kind.IGNORED);
                    if (o.changed()) {
                        add(host, Kind.CHANGED);
                    }
                }
            }
            default -> {
            }
        }
        return false;
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
