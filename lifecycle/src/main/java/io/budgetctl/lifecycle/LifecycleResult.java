package io.budgetctl.lifecycle;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a lifecycle run returned.
 *
 * @param exitCode the engine's exit code ({@link io.budgetctl.engine.run.ExitCodes})
 * @param facts    per declared result fact ({@link LifecycleRequest#resultFacts}), per host in the order the hosts set
 *                 it, the last value the run set; a fact no host set is absent
 */
public record LifecycleResult(int exitCode, Map<String, Map<String, Object>> facts) {
    public LifecycleResult {
        Map<String, Map<String, Object>> copy = new LinkedHashMap<>();
        facts.forEach((name, hosts) -> copy.put(name, Collections.unmodifiableMap(new LinkedHashMap<>(hosts))));
        facts = Collections.unmodifiableMap(copy);
    }

    /** A run that did not start (input refused, access denied): the exit code, no facts. */
    public static LifecycleResult notRun(int exitCode) {
        return new LifecycleResult(exitCode, Map.of());
    }

    /** Per host, the value the run gave the declared variable {@code name}; empty when no host set it. */
    public Map<String, Object> fact(String name) {
        return facts.getOrDefault(name, Map.of());
    }

    /**
     * Per host, the {@code stdout} of the task result registered as {@code name} ({@code register: name}): the text
     * a command printed on the host, as the run reports it (secrets masked). Hosts whose value has no stdout are left
     * out.
     */
    public Map<String, String> stdout(String name) {
        Map<String, String> out = new LinkedHashMap<>();
        fact(name).forEach((host, value) -> {
            if (value instanceof Map<?, ?> registered && registered.get("stdout") != null) {
                out.put(host, String.valueOf(registered.get("stdout")));
            }
        });
        return out;
    }
}
