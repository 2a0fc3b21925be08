package io.budgetctl.lifecycle.fleet;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which customers a fleet command acts on. Criteria combine with AND: {@code --clients a,b} (these ids),
 * {@code --environment production}, {@code --where ring=1} (repeatable: every tag must match). Nothing is selected
 * by default: without criteria the caller must say {@code --all}, so a forgotten option never deploys everyone.
 * The result keeps the repository's order (sorted by id), not the order of {@code --clients}.
 */
public record Selection(List<String> clients, String environment, Map<String, String> where, boolean all) {
    public Selection {
        clients = clients == null ? List.of() : List.copyOf(clients);
        where = where == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(where));
    }

    /**
     * From command-line text: {@code clients} as {@code a,b}, {@code where} as {@code key=value} items.
     *
     * @throws EngineException for a {@code --where} without '='
     */
    public static Selection parse(List<String> clients, String environment, List<String> where, boolean all) {
        List<String> ids = new ArrayList<>();
        for (String c : clients == null ? List.<String>of() : clients) {
            for (String id : c.split(",")) {
                if (!id.isBlank()) {
                    ids.add(id.strip());
                }
            }
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (String w : where == null ? List.<String>of() : where) {
            int eq = w.indexOf('=');
            if (eq <= 0) {
                throw new EngineException(SourceLocation.of("--where"), "'" + w + "' is not TAG=VALUE",
                        "select by a client file tag, e.g. --where ring=1 or --where region=eu");
            }
            tags.put(w.substring(0, eq).strip(), w.substring(eq + 1).strip());
        }
        return new Selection(ids, environment, tags, all);
    }

    public boolean empty() {
        return clients.isEmpty() && environment == null && where.isEmpty() && !all;
    }

    /**
     * The selected customers.
     *
     * @throws EngineException when no criterion is given, a named client does not exist, or nothing matches
     */
    public List<FleetCustomer> apply(List<FleetCustomer> customers, String repoLabel) {
        SourceLocation at = SourceLocation.of(repoLabel);
        if (empty()) {
            throw new EngineException(at, "no customers selected",
                    "say which: --clients a,b, --environment NAME, --where TAG=VALUE, or --all for every customer");
        }
        List<String> known = customers.stream().map(FleetCustomer::id).toList();
        for (String id : clients) {
            if (!known.contains(id)) {
                throw new EngineException(at, "no customer '" + id + "' in the deployments repository",
                        "known customers: " + String.join(", ", known));
            }
        }
        List<FleetCustomer> out = new ArrayList<>();
        for (FleetCustomer c : customers) {
            if ((clients.isEmpty() || clients.contains(c.id()))
                    && (environment == null || environment.equals(c.environment()))
                    && where.entrySet().stream().allMatch(e -> Objects.equals(e.getValue(), c.tags().get(e.getKey())))) {
                out.add(c);
            }
        }
        if (out.isEmpty()) {
            throw new EngineException(at, "no customer matches " + describe(),
                    "check the values against the client files (budgetctl fleet plan --all lists every customer)");
        }
        return out;
    }

    /** The criteria as the user would type them, for messages and the journal. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (all) {
            parts.add("--all");
        }
        if (!clients.isEmpty()) {
            parts.add("--clients " + String.join(",", clients));
        }
        if (environment != null) {
            parts.add("--environment " + environment);
        }
        where.forEach((k, v) -> parts.add("--where " + k + "=" + v));
        return String.join(" ", parts);
    }
}
