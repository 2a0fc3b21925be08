package io.budgetctl.lifecycle;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a lifecycle run returned.
 *
 * @param exitCode the engine's exit code ({@link io.budgetctl.engine.run.ExitCodes})
 * @param results  per host, in the order the hosts reported it, the value of the request's declared result fact
 *                 ({@link LifecycleRequest#resultFact}); empty when none was declared or no host set it
 */
public record LifecycleResult(int exitCode, Map<String, Object> results) {
    public LifecycleResult {
        results = Collections.unmodifiableMap(new LinkedHashMap<>(results));
    }
}
