package io.budgetctl.lifecycle.plan;

import io.budgetctl.lifecycle.repo.DeploymentsRepository;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A running release's record ({@code release.json}) after {@code budgetctl modules install} put a new licence into
 * it: the licence settings ({@code licence_file}, {@code modules}, {@code limits.*}) become the repository's, every
 * other setting stays as deployed, and the fingerprint is computed again over them ({@link DesiredState}), so
 * {@code plan} shows only what the licence did not change and {@code deploy} is a no-op when nothing else changed.
 * A record whose fingerprint this budgetctl cannot reproduce (an older budgetctl, a hand edit) keeps its settings and
 * fingerprint: then the next deploy renders a release, which is safe.
 */
public final class LicenceRecord {
    private LicenceRecord() {
    }

    /** Settings that only the licence file carries to the services. */
    static boolean licenceSetting(String key) {
        return key.equals("licence_file") || key.equals("modules") || key.startsWith("modules.")
                || key.equals("limits") || key.startsWith("limits.");
    }

    /** {@code record} with the licence installed: see the class comment. */
    public static Map<String, Object> updated(Map<String, Object> record, DeploymentsRepository repo, String client,
                                              String licenceId) {
        Map<String, Object> out = new LinkedHashMap<>(record == null ? Map.of() : record);
        out.put("licence", Map.of("id", licenceId, "installed_at", Instant.now().toString()));
        String version = record == null ? "" : String.valueOf(record.getOrDefault("version", ""));
        String fingerprint = record == null ? "" : String.valueOf(record.getOrDefault("fingerprint", ""));
        Map<String, String> settings = new TreeMap<>();
        if (record != null && record.get("settings") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> settings.put(String.valueOf(k), String.valueOf(v)));
        }
        if (version.isEmpty() || fingerprint.isEmpty()
                || !new DesiredState(version, "", settings).fingerprint().equals(fingerprint)) {
            return out;
        }
        Map<String, String> merged = new TreeMap<>();
        settings.forEach((k, v) -> {
            if (!licenceSetting(k)) {
                merged.put(k, v);
            }
        });
        DesiredState.of(repo, client, version, "").settings().forEach((k, v) -> {
            if (licenceSetting(k)) {
                merged.put(k, v);
            }
        });
        out.put("settings", merged);
        out.put("fingerprint", new DesiredState(version, "", merged).fingerprint());
        return out;
    }
}
