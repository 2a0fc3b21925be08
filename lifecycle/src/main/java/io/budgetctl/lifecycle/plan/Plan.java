package io.budgetctl.lifecycle.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@code deploy} would change on a customer's server: the difference between the deployments repository
 * ({@link DesiredState}) and the server's release record ({@link RunningState}). Read only; {@link #of} touches
 * nothing. Secret settings appear only as "changed", never with a value or digest.
 *
 * @param client         the client id
 * @param running        the running version ("" when nothing is installed)
 * @param runningResult  the running release's recorded result: ok, pending, failed ("" when nothing is installed);
 *                       deploy treats only an ok release as up to date
 * @param desired        the version deploy would install
 * @param settingsKnown  false when the running release recorded no settings (an older budgetctl deployed it)
 * @param changes        each setting that differs, sorted by path
 * @param restarts       the services a deploy would restart, sorted
 * @param migrations     "none", or "unknown" (a new version's migrations are known only from its images)
 */
public record Plan(String client, String running, String runningResult, String desired, boolean settingsKnown,
                   List<Change> changes, List<String> restarts, String migrations) {
    /** The application's services (every one starts on a fresh server). */
    static final List<String> ALL = List.of("backend", "frontend", "ingress", "scheduler", "worker");
    /** The application services: what reads the database, the cache, the licence and the instance id. */
    private static final List<String> APP = List.of("backend", "scheduler", "worker");

    public Plan {
        changes = List.copyOf(changes);
        restarts = List.copyOf(restarts);
    }

    /** One setting that differs. {@code from}/{@code to} are null for secrets (shown as "changed") and when absent. */
    public record Change(String path, String kind, String from, String to, boolean secret) {
    }

    /** True when deploy would change nothing. */
    public boolean inSync() {
        return running.equals(desired) && runningResult.equals("ok") && settingsKnown && changes.isEmpty();
    }

    /** The plan for {@code client}: what deploying {@code want} over {@code have} would change. */
    public static Plan of(String client, DesiredState want, RunningState have) {
        List<Change> changes = new ArrayList<>();
        boolean known = !have.fingerprint().isEmpty() || have.version().isEmpty();
        Map<String, String> before = have.settings();
        if (known) {
            Set<String> paths = new TreeSet<>(before.keySet());
            paths.addAll(want.settings().keySet());
            for (String p : paths) {
                String a = before.get(p);
                String b = want.settings().get(p);
                if (a != null && a.equals(b)) {
                    continue;
                }
                boolean secret = secret(a) || secret(b);
                String kind = a == null ? "added" : b == null ? "removed" : "changed";
                changes.add(new Change(p, kind, secret ? null : a, secret ? null : b, secret));
            }
        }
        Set<String> restarts = new TreeSet<>();
        boolean newVersion = !have.version().equals(want.version());
        if (!known || !have.result().equals("ok")) {
            restarts.addAll(ALL);
        } else {
            // a new version: every service but the ingress, which keeps its image while its configuration stays
            // (compose-up files/mounts.sh, ITBM_INGRESS_VERSION); a setting of its own (the domain) restarts it
            if (newVersion) {
                ALL.stream().filter(s -> !s.equals("ingress")).forEach(restarts::add);
            }
            changes.forEach(c -> restarts.addAll(services(c.path())));
        }
        String migrations = newVersion ? "unknown" : "none";
        return new Plan(client, have.version(), have.result(), want.version(), known, changes, new ArrayList<>(restarts),
                migrations);
    }

    private static boolean secret(String v) {
        return v != null && v.startsWith(DesiredState.SECRET_PREFIX);
    }

    /**
     * The services a setting reaches, as deploy/compose/docker-compose.yml passes it (docs/configuration.md): deploy
     * recreates exactly the services whose environment, mounts or secrets changed (compose-up files/mounts.sh), so
     * this is what restarts. The domain and TLS are the ingress's; SMTP and 1C the worker's; SSO the backend's; the
     * heartbeat's portal settings the scheduler's (its instance id is every application service's); everything else
     * (database, cache, modules, limits, licence, ...) is read by all three application services.
     */
    static List<String> services(String path) {
        String[] part = path.split("[.\\[]", 3);
        String top = part[0];
        String sub = part.length > 1 ? part[1] : "";
        return switch (top) {
            case "domain", "tls", "ingress" -> List.of("ingress");
            case "integrations" -> switch (sub) {
                case "smtp", "onec" -> List.of("worker");
                case "sso" -> List.of("backend");
                default -> APP;
            };
            case "heartbeat" -> sub.equals("instance_id") ? APP : List.of("scheduler");
            default -> APP;
        };
    }
}
