package io.budgetctl.lifecycle.fleet;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How a fleet run proceeds.
 *
 * @param parallel         at most this many customers at once ({@code --parallel}, at least 1)
 * @param budget           the failure budget ({@code --max-failures})
 * @param pause            the wait between waves ({@code --pause}); zero for none
 * @param windows          what to do with a customer outside its maintenance window
 * @param retryInterrupted on resume, run again the customers whose job died mid-deploy ({@code --retry-interrupted})
 * @param job              the per-customer job's own settings (repository, version ...), recorded in the journal so
 *                         a resume runs the same job
 */
public record FleetOptions(int parallel, FailureBudget budget, Duration pause, WindowPolicy windows,
                           boolean retryInterrupted, Map<String, String> job) {
    /** Outside its window a customer is skipped with the reason (default), waits for it, or runs anyway. */
    public enum WindowPolicy { SKIP, WAIT, IGNORE }

    public FleetOptions {
        if (parallel < 1) {
            throw new IllegalArgumentException("--parallel must be at least 1");
        }
        Objects.requireNonNull(budget, "budget");
        pause = pause == null ? Duration.ZERO : pause;
        windows = windows == null ? WindowPolicy.SKIP : windows;
        job = job == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(job));
    }

    public static FleetOptions defaults() {
        return new FleetOptions(1, FailureBudget.none(), Duration.ZERO, WindowPolicy.SKIP, false, Map.of());
    }

    public FleetOptions withParallel(int n) {
        return new FleetOptions(n, budget, pause, windows, retryInterrupted, job);
    }

    public FleetOptions withBudget(FailureBudget b) {
        return new FleetOptions(parallel, b, pause, windows, retryInterrupted, job);
    }

    public FleetOptions withPause(Duration p) {
        return new FleetOptions(parallel, budget, p, windows, retryInterrupted, job);
    }

    public FleetOptions withWindows(WindowPolicy w) {
        return new FleetOptions(parallel, budget, pause, w, retryInterrupted, job);
    }

    public FleetOptions withRetryInterrupted(boolean r) {
        return new FleetOptions(parallel, budget, pause, windows, r, job);
    }

    public FleetOptions withJob(Map<String, String> j) {
        return new FleetOptions(parallel, budget, pause, windows, retryInterrupted, j);
    }

    /** As the journal records them (an {@code --ignore-windows} run is visible there). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("parallel", parallel);
        m.put("max_failures", budget.toString());
        m.put("pause_seconds", pause.toSeconds());
        m.put("windows", windows.name().toLowerCase(java.util.Locale.ROOT));
        m.put("retry_interrupted", retryInterrupted);
        m.put("job", job);
        return m;
    }

    /** Reads {@link #toMap}'s output back (resume takes the options of the run it continues). */
    public static FleetOptions fromMap(Map<String, Object> m) {
        FleetOptions d = defaults();
        if (m == null) {
            return d;
        }
        return new FleetOptions(((Number) m.getOrDefault("parallel", 1)).intValue(),
                FailureBudget.parse(String.valueOf(m.getOrDefault("max_failures", "0"))),
                Duration.ofSeconds(((Number) m.getOrDefault("pause_seconds", 0)).longValue()),
                WindowPolicy.valueOf(String.valueOf(m.getOrDefault("windows", "skip")).toUpperCase(java.util.Locale.ROOT)),
                Boolean.TRUE.equals(m.get("retry_interrupted")), jobOf(m.get("job")));
    }

    private static Map<String, String> jobOf(Object o) {
        Map<String, String> out = new LinkedHashMap<>();
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
        }
        return out;
    }
}
