package io.budgetctl.lifecycle.licence;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.budgetctl.engine.api.EngineException;
import io.budgetctl.lifecycle.repo.DeploymentsRepository;
import io.budgetctl.lifecycle.repo.Identifiers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code budgetctl modules publish}: every customer's desired version and modules, as the deployments repository
 * says (client file over its environment's defaults), sent to the licence portal as one snapshot
 * ({@code PUT /api/v1/desired-state}); the portal's fleet view shows drift against it. A customer whose version is
 * missing or not a valid version is left out and named. Nothing changes in the repository or on any server.
 */
public final class DesiredStatePublish {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DesiredStatePublish() {
    }

    /** One customer as published. */
    public record Entry(String customer, String version, List<String> modules) {
    }

    /** A customer left out, and why. */
    public record Skipped(String customer, String reason) {
    }

    /**
     * @param sent     false for a dry run
     * @param recorded how many customers the portal says it recorded (0 for a dry run)
     */
    public record Result(List<Entry> entries, List<Skipped> skipped, boolean sent, int recorded) {
    }

    /** The snapshot of {@code repo}, without sending it. */
    public static Result collect(DeploymentsRepository repo) {
        List<Entry> entries = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (String id : repo.clientIds()) {
            Map<String, Object> merged;
            try {
                merged = repo.mergedClient(id);
            } catch (EngineException e) {
                skipped.add(new Skipped(id, e.getMessage()));
                continue;
            }
            Object v = merged.get("version");
            if (v == null || String.valueOf(v).isBlank()) {
                skipped.add(new Skipped(id, "no version: in the client file or its environment's defaults"));
                continue;
            }
            try {
                Identifiers.check("version", Identifiers.Kind.VERSION, String.valueOf(v));
            } catch (EngineException e) {
                skipped.add(new Skipped(id, e.getMessage()));
                continue;
            }
            TreeSet<String> modules = new TreeSet<>();
            if (merged.get("modules") instanceof List<?> l) {
                l.forEach(m -> modules.add(String.valueOf(m)));
            }
            entries.add(new Entry(id, String.valueOf(v), List.copyOf(modules)));
        }
        return new Result(entries, skipped, false, 0);
    }

    /** Collects the snapshot and, unless {@code dryRun}, replaces the portal's desired state with it. */
    public static Result run(DeploymentsRepository repo, Map<String, String> env, String operator, Duration timeout,
                             boolean dryRun) {
        Result snapshot = collect(repo);
        if (dryRun) {
            return snapshot;
        }
        PortalSettings settings = PortalSettings.load(repo.root(), env);
        int recorded = new PortalClient(settings, timeout).putDesiredState(document(snapshot), operator);
        return new Result(snapshot.entries(), snapshot.skipped(), true, recorded);
    }

    /** The request body: {@code {"customers": [{"customer", "version", "modules"}]}}. */
    public static ObjectNode document(Result r) {
        ObjectNode doc = JSON.createObjectNode();
        ArrayNode list = doc.putArray("customers");
        for (Entry e : r.entries()) {
            ObjectNode o = list.addObject().put("customer", e.customer()).put("version", e.version());
            ArrayNode m = o.putArray("modules");
            e.modules().forEach(m::add);
        }
        return doc;
    }
}
