package io.budgetctl.lifecycle.plan;

import java.util.Map;
import java.util.TreeMap;

/**
 * What runs on the server, as its release record ({@code current/release.json}) says: the version, the recorded
 * fingerprint and settings (see {@link DesiredState}). A release recorded before fingerprints existed has neither:
 * its settings are unknown and any deploy renders a new release once.
 *
 * @param release     the release directory name, or "" when nothing is installed
 * @param version     the running version, or "" when nothing is installed
 * @param result      the record's result: ok, pending, failed, or ""
 * @param fingerprint the recorded fingerprint, or "" when the record has none
 * @param settings    the recorded settings (secrets as digests), empty when unknown
 */
public record RunningState(String release, String version, String result, String fingerprint,
                           Map<String, String> settings) {
    public RunningState {
        release = release == null ? "" : release;
        version = version == null ? "" : version;
        result = result == null ? "" : result;
        fingerprint = fingerprint == null ? "" : fingerprint;
        settings = Map.copyOf(new TreeMap<>(settings == null ? Map.of() : settings));
    }

    /** Nothing installed. */
    public static RunningState none() {
        return new RunningState("", "", "", "", Map.of());
    }

    /** From a parsed release.json (as the host holds it). */
    public static RunningState fromRecord(Map<String, ?> record) {
        Map<String, String> settings = new TreeMap<>();
        if (record.get("settings") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> settings.put(String.valueOf(k), String.valueOf(v)));
        }
        return new RunningState(str(record.get("release")), str(record.get("version")), str(record.get("result")),
                str(record.get("fingerprint")), settings);
    }

    private static String str(Object o) {
        return o == null ? "" : String.valueOf(o);
    }
}
