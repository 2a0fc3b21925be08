package io.budgetctl.cli.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.lifecycle.ProductServices;
import io.budgetctl.lifecycle.diagnose.LogFilters;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code budgetctl status --client X [--logs N [--since WHEN] [--service NAME]] [--output json]}: playbooks/status.yml. */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Show what runs on a customer's server: services (state, health, image, digest), version and"
                + " schema, integrations (SMTP, SSO, 1C: ok, failing with the reason, not configured), current"
                + " release and last deploy, lock, releases kept, disk use; --logs N log lines.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:every service running and healthy (one-shot services such as migrate: completed)", " 1:repository or playbook does not load",
            " 3:not healthy (or nothing deployed)", " 4:host unreachable", " 5:bad command line"})
public final class StatusCommand extends ReadCommand {
    @Option(names = "--logs", paramLabel = "N", defaultValue = "0", description = "Last N log lines per service.")
    int logs;

    @Option(names = "--since", paramLabel = "WHEN", description = "With --logs: only lines since a duration ago"
            + " (10m, 2h, 7d, 1h30m) or an ISO time (2026-12-05T10:00:00Z, 2026-12-05).")
    String since;

    @Option(names = "--service", paramLabel = "NAME", split = ",", description = "With --logs: only these services'"
            + " logs (repeatable or comma-separated): migrate, backend, worker, scheduler, frontend, ingress,"
            + " postgres, redis.")
    List<String> services = new ArrayList<>();

    @Override
    protected String playbook() {
        return "status";
    }

    @Override
    protected Map<String, Object> vars() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("logs", logs);
        try {
            String s = LogFilters.since("--since", since);
            if (s != null) {
                v.put("logs_since", s);
            }
            if (!services.isEmpty()) {
                v.put("logs_services", LogFilters.services("--service", services));
            }
        } catch (EngineException refusedByCheckOptions) {
            // checkOptions refuses the value (exit 5) before anything runs
        }
        return v;
    }

    @Override
    protected void checkOptions() {
        if (logs < 0) {
            throw new EngineException(SourceLocation.UNKNOWN, "--logs " + logs + " is not a number of lines",
                    "use --logs N with N >= 1 (0, the default, shows no logs)");
        }
        if ((since != null || !services.isEmpty()) && logs == 0) {
            throw new EngineException(SourceLocation.UNKNOWN, (since != null ? "--since" : "--service")
                    + " selects log lines, but no --logs N was given",
                    "add --logs N (at most N lines per service), e.g. status --client X --logs 200 --since 1h");
        }
        LogFilters.since("--since", since);
        LogFilters.services("--service", services);
    }

    /** Healthy as the product defines it ({@link ProductServices#healthy}). */
    static boolean healthy(JsonNode doc) {
        return ProductServices.healthy(doc);
    }

    /**
     * One line per integration the backend reports (GET /api/integrations): name, state, reason and when it was
     * checked. A failing integration does not change the exit code: the services are what "healthy" means here.
     */
    static void printIntegrations(PrintWriter out, JsonNode integrations) {
        if (!integrations.isArray() || integrations.isEmpty()) {
            return;
        }
        out.println("  integrations:");
        for (JsonNode i : integrations) {
            String state = i.path("state").asText("?");
            String reason = state.equals("not_configured") ? "" : i.path("reason").asText("");
            String at = i.path("last_checked").isTextual() ? " (checked " + i.path("last_checked").asText() + ")" : "";
            out.println(String.format("    %-5s %-15s %s%s", i.path("name").asText("?"), state.replace('_', ' '), reason,
                    reason.isEmpty() ? "" : at).stripTrailing());
        }
    }

    @Override
    protected int jsonExit(Map<String, JsonNode> docs) {
        return docs.values().stream().allMatch(StatusCommand::healthy) ? 0 : 3;
    }

    @Override
    protected int printHuman(PrintWriter out, String host, JsonNode doc) {
        boolean ok = healthy(doc);
        JsonNode v = doc.path("version");
        out.printf("%s: %s%n", host, ok ? "HEALTHY" : "NOT HEALTHY");
        out.printf("  version %s (git %s), schema %s (expected %s)%n", v.path("version").asText("?"),
                v.path("git_sha").asText("?"), v.path("schema").asText("?"), v.path("expected_schema").asText("?"));
        out.printf("  current release %s%n", doc.path("current").asText("(none)"));
        printIntegrations(out, doc.path("integrations"));
        JsonNode a = doc.path("last_audit");
        if (!a.isMissingNode() && !a.isNull()) {
            out.printf("  last action: %s %s -> %s by %s at %s: %s%n", a.path("action").asText(),
                    a.path("from").asText(""), a.path("to").asText(""), a.path("who").asText(), a.path("at").asText(),
                    a.path("result").asText());
        }
        JsonNode lock = doc.path("lock");
        out.printf("  lock: %s%n", lock.isNull() || lock.isMissingNode() ? "not held"
                : "held by " + lock.path("holder").asText("?") + " since " + lock.path("acquired_utc").asText("?"));
        out.printf("  %-10s %-10s %-10s %-30s %s%n", "SERVICE", "STATE", "HEALTH", "IMAGE", "STARTED");
        for (JsonNode s : doc.path("services")) {
            out.printf("  %-10s %-10s %-10s %-30s %s%n", s.path("service").asText(), s.path("state").asText(),
                    s.path("health").asText(), s.path("image").asText(), s.path("started_at").asText());
            if (s.has("logs")) {
                for (String line : s.path("logs").asText().split("\n")) {
                    out.println("      | " + line);
                }
            }
        }
        JsonNode d = doc.path("disk");
        out.printf("  disk: client dir %d MB, %d MB free there; docker root %s %d MB free%n",
                d.path("client_dir_kb").asLong() / 1024, d.path("client_fs_free_kb").asLong() / 1024,
                d.path("docker_root").asText(), d.path("docker_root_free_kb").asLong() / 1024);
        return ok ? 0 : 3;
    }
}
