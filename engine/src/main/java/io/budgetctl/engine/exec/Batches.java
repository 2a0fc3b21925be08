package io.budgetctl.engine.exec;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.playbook.Play;
import io.budgetctl.engine.template.LazyVars;
import io.budgetctl.engine.template.Templater;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A play's {@code serial:} batches and what is counted per batch (its failed hosts, {@code max_fail_percentage}).
 * Functions of the values handed in only, so the strategy in {@link Executor} keeps the decisions and the run state,
 * and the arithmetic can be pinned on its own.
 */
final class Batches {
    private Batches() {
    }

    /**
     * {@code hosts} cut into the play's batches: one batch without {@code serial:}, else serial rendered with the
     * play's vars and the extra vars (no host is known yet) and cut by {@link #cut}.
     */
    static List<List<String>> of(Play play, List<String> hosts, Templater templater, Map<String, Object> extraVars) {
        Object serial = play.kw().get("serial");
        if (serial == null) {
            return List.of(hosts);
        }
        Map<String, Object> vars = new LinkedHashMap<>(Variables.playVarsRaw(play));
        vars.putAll(extraVars);
        Object s = templater.render(serial, new LazyVars(templater, vars, play.location()), play.location());
        return cut(s, hosts, play.location());
    }

    /**
     * {@code hosts} in batches of {@code serial} (rendered): an int, "30%", or a list of those (the last repeats); an
     * empty list is one batch, as in ansible-core's _get_serialized_batches.
     */
    static List<List<String>> cut(Object serial, List<String> hosts, SourceLocation at) {
        List<Object> sizes = serial instanceof List<?> l ? new ArrayList<>(l) : List.of(serial);
        if (sizes.isEmpty()) {
            sizes = List.of(-1);
        }
        List<List<String>> out = new ArrayList<>();
        int i = 0;
        int k = 0;
        while (i < hosts.size()) {
            Object spec = sizes.get(Math.min(k++, sizes.size() - 1));
            int size = size(spec, hosts.size(), at);
            out.add(List.copyOf(hosts.subList(i, Math.min(hosts.size(), i + size))));
            i += size;
        }
        return out;
    }

    /**
     * One serial entry as a number of hosts out of {@code total}: a count, or a percentage rounded down but at least
     * one host (ansible-core's pct_to_int); zero or less means all of them.
     */
    static int size(Object spec, int total, SourceLocation at) {
        String s = String.valueOf(spec).strip();
        try {
            int n;
            if (s.endsWith("%")) {
                n = Math.max(1, (int) (Double.parseDouble(s.substring(0, s.length() - 1)) / 100.0 * total));
            } else {
                n = Integer.parseInt(s);
            }
            return n <= 0 ? total : n;
        } catch (NumberFormatException e) {
            throw new EngineException(at, "serial must be a number, a percentage or a list of those; got '" + s + "'",
                    "write serial: 2, serial: \"30%\" or serial: [1, 5, \"100%\"]");
        }
    }

    /** How many hosts of {@code batch} have left the run, failed or unreachable. */
    static int countFailed(List<String> batch, Set<String> failedHosts, Set<String> unreachableHosts) {
        int n = 0;
        for (String h : batch) {
            if (failedHosts.contains(h) || unreachableHosts.contains(h)) {
                n++;
            }
        }
        return n;
    }

    /**
     * Whether {@code max_fail_percentage} (null: not set) is exceeded: the hosts of {@code batch} that failed since
     * it started ({@code failedBefore}: failed when it started) over the whole batch, hosts that failed before
     * included, as Ansible's linear strategy counts.
     */
    static boolean maxFailExceeded(Object maxFailPercentage, List<String> batch, Set<String> failedBefore,
                                   Set<String> failedHosts, SourceLocation at) {
        if (maxFailPercentage == null) {
            return false;
        }
        double pct;
        try {
            pct = Double.parseDouble(String.valueOf(maxFailPercentage).strip());
        } catch (NumberFormatException e) {
            throw new EngineException(at, "max_fail_percentage must be a number; got '" + maxFailPercentage + "'",
                    "write max_fail_percentage: 30 (percent of the batch's hosts that may fail)");
        }
        long failedInBatch = batch.stream().filter(h -> failedHosts.contains(h) && !failedBefore.contains(h)).count();
        return (double) failedInBatch / batch.size() > pct / 100.0;
    }
}
