package io.budgetctl.cli.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.budgetctl.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code fleet status SELECTION}: the single-customer {@code budgetctl status --client ID -o json} for every selected
 * customer (the command itself, without building the whole command line each time; the repository validated once,
 * {@link io.budgetctl.lifecycle.ValidatedRepository}), at most {@code parallel} at once, reduced to one row each (health, version, lock, last action). Host
 * output is data: the rows are built from the parsed JSON fields and printed, never templated.
 */
final class FleetLiveStatus {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IN_SYNC = "in sync";

    /**
     * One customer's row; {@code state} is healthy, unhealthy, not-installed, unreachable or error; {@code drift}
     * (with --drift) is "in sync", "drifted: ..." (what deploy would change) or "unknown: ...", else null.
     */
    record Row(String customer, String state, String version, String lock, String lastAction, int exit,
               String detail, String drift) {
        Row(String customer, String state, String version, String lock, String lastAction, int exit, String detail) {
            this(customer, state, version, lock, lastAction, exit, detail, null);
        }

        boolean healthy() {
            return "healthy".equals(state);
        }

        /** Asked for drift, and not in sync (drifted or unknown). */
        boolean drifted() {
            return drift != null && !drift.equals(IN_SYNC);
        }

        Row withDrift(String d) {
            return new Row(customer, state, version, lock, lastAction, exit, detail, d);
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("customer", customer);
            m.put("state", state);
            m.put("version", version);
            m.put("lock", lock);
            m.put("last_action", lastAction);
            m.put("status_exit", exit);
            m.put("detail", detail);
            if (drift != null) {
                m.put("drift", drift);
            }
            return m;
        }
    }

    private FleetLiveStatus() {
    }

    /**
     * Every customer's row, in the order given; runs the single-customer status {@code parallel} at a time, each
     * with {@code extra} (checked {@code -e} arguments, e.g. the SSH key) after its own options.
     */
    static List<Row> read(List<String> customers, String repo, int parallel, List<String> extra)
            throws InterruptedException {
        return read(customers, repo, parallel, extra, false);
    }

    /** As {@link #read(List, String, int, List)}; with {@code drift}, each customer's plan too. */
    static List<Row> read(List<String> customers, String repo, int parallel, List<String> extra, boolean drift)
            throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallel, customers.size())), r -> {
            Thread t = new Thread(r, "fleet-status");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Row>> futures = new ArrayList<>();
            for (String id : customers) {
                futures.add(pool.submit(() -> drift ? one(id, repo, extra).withDrift(drift(id, repo, extra))
                        : one(id, repo, extra)));
            }
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                try {
                    rows.add(futures.get(i).get());
                } catch (java.util.concurrent.ExecutionException e) {
                    rows.add(new Row(customers.get(i), "error", null, null, null, 1,
                            e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage()));
                }
            }
            return rows;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Row one(String id, String repo, List<String> extra) {
        Ran r = run(new StatusCommand(), id, repo, extra, "--output", "json");
        return row(id, r.code(), r.out(), r.err());
    }

    /** A single-customer command's exit code and output. */
    private record Ran(int code, String out, String err) {
    }

    /**
     * Runs {@code command} for customer {@code id} in this JVM (its output as to a file), with {@code options} after
     * {@code --client} and {@code --repo}, then {@code extra}.
     */
    private static Ran run(LifecycleCommand command, String id, String repo, List<String> extra, String... options) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> args = new ArrayList<>(List.of("--client", id, "--repo", repo));
        args.addAll(List.of(options));
        args.addAll(extra);
        int code = Main.runCommand(command.inFile(), new PrintWriter(out, true), new PrintWriter(err, true),
                args.toArray(String[]::new));
        return new Ran(code, out.toString(), err.toString());
    }

    /** The customer's plan ({@code budgetctl plan --json}) reduced to one phrase: in sync, drifted: what, unknown. */
    private static String drift(String id, String repo, List<String> extra) {
        Ran r = run(new PlanCommand(), id, repo, extra, "--json");
        return drift(r.code(), r.out(), r.err());
    }

    /**
     * One phrase from plan's exit code and JSON: "in sync"; "drifted: v1.3.2 -> v1.4.0, 2 settings, restarts
     * backend, worker"; or "unknown: ..." (unreachable, refused, a host that could not be read).
     */
    static String drift(int code, String stdout, String stderr) {
        JsonNode doc = null;
        try {
            doc = stdout.isBlank() ? null : JSON.readTree(stdout);
        } catch (IOException e) {
            doc = null;
        }
        if (doc == null || !doc.isObject() || !doc.has("in_sync")) {
            String why = lastLine(stderr.isBlank() ? stdout : stderr).replaceAll("[\\p{Cntrl}]", " ");
            return "unknown: " + (why.isEmpty() ? "plan exited " + code : why);
        }
        if (doc.path("in_sync").asBoolean()) {
            return IN_SYNC;
        }
        List<String> what = new ArrayList<>();
        String running = doc.path("running_version").isNull() ? "nothing" : text(doc.path("running_version"));
        String desired = text(doc.path("desired_version"));
        if (!running.equals(desired)) {
            what.add(running + " -> " + desired);
        }
        int settings = doc.path("changes").size();
        if (settings > 0) {
            what.add(settings + (settings == 1 ? " setting" : " settings"));
        }
        List<String> restarts = new ArrayList<>();
        doc.path("restarts").forEach(r -> restarts.add(text(r)));
        if (!restarts.isEmpty()) {
            what.add("restarts " + String.join(", ", restarts));
        }
        return "drifted: " + (what.isEmpty() ? "deploy would change it" : String.join(", ", what));
    }

    /**
     * The row of one customer from its status command's exit code and output: the JSON document (one host) or the
     * map of host to document (several hosts: healthy only when every host is, the first host's version and lock).
     */
    static Row row(String id, int code, String stdout, String stderr) {
        JsonNode doc = null;
        try {
            doc = stdout.isBlank() ? null : JSON.readTree(stdout);
        } catch (IOException e) {
            doc = null;
        }
        if (doc == null || !doc.isObject()) {
            String why = lastLine(stderr.isBlank() ? stdout : stderr);
            return new Row(id, code == 4 ? "unreachable" : "error", null, null, null, code, why);
        }
        List<JsonNode> hosts = new ArrayList<>();
        if (doc.has("services") || doc.has("version")) {
            hosts.add(doc);
        } else {
            doc.elements().forEachRemaining(hosts::add);
        }
        if (hosts.isEmpty()) {
            return new Row(id, "error", null, null, null, code, "status printed no host");
        }
        boolean healthy = code == 0 && hosts.stream().allMatch(StatusCommand::healthy);
        JsonNode first = hosts.get(0);
        if (!healthy && hosts.stream().allMatch(FleetLiveStatus::nothingInstalled)) {
            return new Row(id, "not-installed", null, "free", null, code, "no release of IT Budget Manager on "
                    + (hosts.size() == 1 ? "its server" : "any of its servers") + " (budgetctl deploy installs it)");
        }
        String version = text(first.path("version").path("version"));
        JsonNode lock = first.path("lock");
        String lockText = lock.isNull() || lock.isMissingNode() ? "free"
                : "held by " + text(lock.path("holder")) + " since " + text(lock.path("acquired_utc"));
        JsonNode a = first.path("last_audit");
        String last = a.isNull() || a.isMissingNode() ? null : text(a.path("action")) + " "
                + (a.path("from").asText("").isEmpty() ? "" : a.path("from").asText() + " -> ") + text(a.path("to"))
                + " by " + text(a.path("who")) + " at " + text(a.path("at")) + ": " + text(a.path("result"));
        return new Row(id, healthy ? "healthy" : "unhealthy", version, lockText, last, code, null);
    }

    /**
     * A status document (roles/compose-up/files/status.sh) of a host where nothing was ever deployed: no
     * {@code current} release link, no release record and no service running. A deployed customer whose containers
     * are all down still has its current release, so it stays "unhealthy".
     */
    static boolean nothingInstalled(JsonNode host) {
        JsonNode release = host.path("release");
        if (!host.path("current").asText("").isEmpty() || !(release.isMissingNode() || release.isNull())) {
            return false;
        }
        for (JsonNode s : host.path("services")) {
            if (s.path("state").asText().equals("running")) {
                return false;
            }
        }
        return true;
    }

    private static String text(JsonNode n) {
        return n.isMissingNode() || n.isNull() ? "?" : n.asText().replaceAll("[\\p{Cntrl}]", " ");
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        String l = lines.length == 0 ? "" : lines[lines.length - 1].replaceAll("\u001B\\[[0-9;]*m", "").strip();
        for (int i = lines.length - 1; i >= 0; i--) {
            if (lines[i].startsWith("ERROR! ") || lines[i].startsWith("fatal: ")) {
                l = lines[i].strip();
                break;
            }
        }
        return l.length() > 300 ? l.substring(0, 297) + "..." : l;
    }

    /**
     * Prints the rows (plain or one JSON object per line); 3 when any is not healthy, else 2 when drift was asked and
     * any is not in sync, else 0.
     */
    static int print(PrintWriter out, List<Row> rows, boolean json) {
        for (Row r : rows) {
            if (json) {
                try {
                    out.println(JSON.writeValueAsString(r.toMap()));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            } else if (r.version() == null) {
                out.printf("%-16s %-11s %s%s%n", r.customer(), r.state().toUpperCase(java.util.Locale.ROOT),
                        r.detail() == null ? "status exited " + r.exit() : r.detail(),
                        r.drift() == null ? "" : "; " + r.drift());
            } else {
                out.printf("%-16s %-11s %-9s lock %s; last %s%s%n", r.customer(),
                        r.state().toUpperCase(java.util.Locale.ROOT), r.version(), r.lock(),
                        r.lastAction() == null ? "(none)" : r.lastAction(), r.drift() == null ? "" : "; " + r.drift());
            }
        }
        long bad = rows.stream().filter(r -> !r.healthy()).count();
        long drifted = rows.stream().filter(Row::drifted).count();
        if (!json) {
            out.println((rows.size() - bad) + " of " + rows.size() + " healthy"
                    + (rows.stream().anyMatch(r -> r.drift() != null) ? "; " + drifted + " not in sync" : ""));
        }
        out.flush();
        return bad > 0 ? 3 : drifted > 0 ? 2 : 0;
    }
}
