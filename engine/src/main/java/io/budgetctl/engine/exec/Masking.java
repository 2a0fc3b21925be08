package io.budgetctl.engine.exec;

import io.budgetctl.engine.api.Secret;
import io.budgetctl.engine.module.Result;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Event data is a masked copy of the result dict: no_log results are replaced by Ansible's censored notice; since
 * templating hands revealed values to modules, any text that contains a value of the run's mask set
 * ({@link SecretLedger}: secrets and values derived from them, in their output forms) has that value replaced by the
 * mask; and a {@link Secret} object is shown as its text masked the same way, or as the mask alone when that would
 * hide nothing of it.
 */
final class Masking {
    /** Shorter secrets would mask ordinary words; they are still masked where they appear as Secret objects. */
    private static final int MIN_SECRET = io.budgetctl.engine.template.SecretFlow.MIN_LENGTH;
    /** What a no_log result keeps besides changed (which every result has): ansible-core 2.14's _PRESERVE. */
    private static final List<String> NO_LOG_KEPT = List.of("attempts", "retries");

    private Masking() {
    }

    /** The revealed values of all secrets among the variables (hostvars excluded). */
    static Set<String> secretsIn(Map<String, Object> vars) {
        return values(secretObjectsIn(vars));
    }

    /**
     * The secrets among the variables (hostvars excluded), not revealed: a lazy secret (a reference not yet
     * decrypted) is only fetched if the task uses it, so a task that does not need it does not need its key.
     */
    static List<Secret> secretObjectsIn(Map<String, Object> vars) {
        List<Secret> out = new ArrayList<>();
        for (Map.Entry<String, Object> e : vars.entrySet()) {
            if (!e.getKey().equals("hostvars") && !e.getKey().equals("vars")) {
                collect(e.getValue(), out, 0);
            }
        }
        return out;
    }

    /**
     * The values of the secrets that have been revealed by now (one not revealed has reached no output), each also in
     * its base64 forms ({@code b64encode}, a file read back through {@code slurp}); longest first, so a value that
     * contains another is masked whole.
     */
    static Set<String> values(List<Secret> secrets) {
        List<String> out = new ArrayList<>();
        for (Secret s : secrets) {
            if (s.revealed() && s.reveal().length() >= MIN_SECRET) {
                out.addAll(SecretLedger.forms(s.reveal(), true));
            }
        }
        out.sort(Comparator.comparingInt(String::length).reversed());
        return new LinkedHashSet<>(out);
    }

    /**
     * A secret as output shows it: its text with the mask set applied (so {@code "{{ pw }}-suffix"} shows as
     * {@code ********-suffix}); the mask alone when that would leave it unchanged or it is too short to look for.
     */
    static String display(Secret s, Set<String> secrets) {
        if (!s.revealed()) {
            return Secret.MASK;
        }
        String v = s.reveal();
        String masked = text(v, secrets);
        return v.length() < MIN_SECRET || masked.equals(v) ? Secret.MASK : masked;
    }

    private static void collect(Object v, List<Secret> out, int depth) {
        if (depth > 20) {
            return;
        }
        if (v instanceof Secret s) {
            out.add(s);
        } else if (v instanceof Map<?, ?> m) {
            for (Object o : m.values()) {
                collect(o, out, depth + 1);
            }
        } else if (v instanceof Collection<?> c) {
            for (Object o : c) {
                collect(o, out, depth + 1);
            }
        }
    }

    /**
     * The result as events show it: with no_log, Ansible's censored notice and the keys its TaskResult.clean_copy
     * keeps ({@code attempts} of an until loop, {@code changed}, {@code retries}); else a masked copy.
     */
    static Map<String, Object> mask(Map<String, Object> result, boolean noLog, Set<String> secrets) {
        if (noLog) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("censored", TaskRunner.NO_LOG);
            for (String k : NO_LOG_KEPT) {
                if (result.containsKey(k)) {
                    m.put(k, result.get(k));
                }
            }
            m.put("changed", Boolean.TRUE.equals(result.get("changed")));
            return m;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> copy = (Map<String, Object>) copy(result, secrets);
        return copy;
    }

    static String text(String s, Set<String> secrets) {
        if (s == null || secrets.isEmpty()) {
            return s;
        }
        String out = s;
        for (String secret : secrets) {
            out = out.replace(secret, Secret.MASK);
        }
        return out;
    }

    static List<Result.Diff> diffs(List<Result.Diff> diffs, Set<String> secrets) {
        if (secrets.isEmpty()) {
            return diffs;
        }
        List<Result.Diff> out = new ArrayList<>();
        for (Result.Diff d : diffs) {
            out.add(new Result.Diff(d.path(), text(d.before(), secrets), text(d.after(), secrets)));
        }
        return out;
    }

    private static Object copy(Object v, Set<String> secrets) {
        if (v instanceof HostVars) {
            return v.toString();
        }
        if (v instanceof Secret s) {
            return display(s, secrets);
        }
        if (v instanceof String s) {
            return text(s, secrets);
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, val) -> out.put(String.valueOf(k), copy(val, secrets)));
            return out;
        }
        if (v instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>();
            for (Object o : c) {
                out.add(copy(o, secrets));
            }
            return out;
        }
        return v;
    }
}
