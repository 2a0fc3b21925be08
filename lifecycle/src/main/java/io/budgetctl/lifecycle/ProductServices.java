package io.budgetctl.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;

/**
 * The services of IT Budget Manager's Compose bundle (deploy/compose/docker-compose.yml; DiagnoseLibraryTest compares)
 * and what "healthy" means for them: the product's knowledge, kept here once for status, fleet status, log filters and
 * diagnostics instead of in a command.
 */
public final class ProductServices {
    /** Every service of the bundle, in its order. */
    public static final List<String> ALL = List.of("migrate", "backend", "worker", "scheduler", "frontend", "ingress",
            "postgres", "redis");
    /** Services that run once and exit (restart policy "no"): done when completed, failed when they exit non-zero. */
    public static final Set<String> ONE_SHOT = Set.of("migrate");
    /** Data stores a customer may run elsewhere (an external PostgreSQL or Redis): checked when present only. */
    public static final Set<String> DATA = Set.of("postgres", "redis");
    /** What must run for the product to serve: every service that is neither one-shot nor a data store. */
    public static final Set<String> REQUIRED = Set.copyOf(ALL.stream()
            .filter(s -> !ONE_SHOT.contains(s) && !DATA.contains(s)).toList());

    private ProductServices() {
    }

    /**
     * Healthy, from status.sh's document ({@code services}: service, state, health, one_shot): every required service
     * present, running, and healthy where it has a health check; every other service present is running and healthy
     * too; a one-shot service has completed (exit 0) or is still running, never failed.
     */
    public static boolean healthy(JsonNode status) {
        int seen = 0;
        for (JsonNode s : status.path("services")) {
            String name = s.path("service").asText();
            // status.sh marks a one-shot service (restart policy "no"); fine done ("completed") or busy, a failure when
            // it exited non-zero ("failed")
            if (s.path("one_shot").asBoolean(ONE_SHOT.contains(name))) {
                if (s.path("state").asText().equals("failed")) {
                    return false;
                }
                continue;
            }
            if (!s.path("state").asText().equals("running") || s.path("health").asText().matches("unhealthy|starting")) {
                return false;
            }
            if (REQUIRED.contains(name)) {
                seen++;
            }
        }
        return seen == REQUIRED.size();
    }
}
