package io.budgetctl.lifecycle.plan;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.lifecycle.repo.DeploymentsRepository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the deployments repository wants on a customer's server: the version and the settings that reach the host,
 * flattened to dotted paths. A secret (a {@code sops:} or {@code vault:} reference) is held only as the SHA-256 of
 * its reference, so the desired state can be written to the host's release record and compared without the value.
 * The fingerprint is the SHA-256 of the version, the image prefix and the sorted settings (docs/configuration.md,
 * "Desired state and its fingerprint").
 *
 * @param version     the version to install
 * @param imagePrefix where the images come from (part of the fingerprint: a new registry is a new release)
 * @param settings    dotted path -> value as text; secrets as {@code secret:sha256:<hex>}
 */
public record DesiredState(String version, String imagePrefix, Map<String, String> settings) {
    /** Top-level keys of a client file that do not reach the server: who and where it is, how it is scheduled. */
    static final Set<String> NOT_ON_HOST = Set.of("id", "name", "version", "environment", "tags", "ssh",
            "maintenance", "window", "maintenance_window");
    /**
     * {@code -e} variables that do not change the release: how budgetctl reaches the host (controller-side key,
     * known hosts, password) and how long it waits or how many releases it keeps. Like the client file's
     * {@code ssh:} they are left out of the fingerprint, so the same release deployed with another operator's key
     * file, or with a longer health timeout, is still up to date.
     */
    static final Set<String> NOT_CONFIGURATION = Set.of("ansible_ssh_private_key_file", "ansible_private_key_file",
            "budgetctl_known_hosts", "ansible_password", "ansible_ssh_pass", "itbm_health_timeout",
            "itbm_candidate_timeout", "itbm_revert_health_timeout", "itbm_keep_releases");
    /** How a secret setting is recorded. */
    public static final String SECRET_PREFIX = "secret:sha256:";

    public DesiredState {
        settings = Map.copyOf(new TreeMap<>(settings));
    }

    /**
     * The desired state of {@code client}: {@code override} (the {@code --version} option) when given, else the
     * {@code version:} of its client file or environment.
     *
     * @throws EngineException naming the client file and the hint when no version is given anywhere
     */
    public static DesiredState of(DeploymentsRepository repo, String client, String override, String imagePrefix) {
        Map<String, Object> merged = repo.mergedClient(client);
        Map<String, String> settings = settings(merged);
        // the signed licence that modules sync wrote (docs/licence-portal.md): a new one makes the next deploy install it
        Path licence = repo.root().resolve("licences").resolve(client + ".json");
        if (Files.isRegularFile(licence)) {
            try {
                settings.put("licence_file", "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(Files.readAllBytes(licence))));
            } catch (IOException | NoSuchAlgorithmException e) {
                throw new EngineException(SourceLocation.of(licence.toString()), "cannot read the licence file: "
                        + e.getMessage(), "run budgetctl modules sync --client " + client + " again");
            }
        }
        return new DesiredState(version(repo, client, merged, override), imagePrefix, settings);
    }

    /**
     * This desired state with the operator's {@code -e} values folded in: each becomes a setting
     * {@code extra_vars.<path>} held as the SHA-256 of its value (it may carry a secret), so a deploy with an override
     * that changes what is rendered is not "up to date", and the same override twice is. The variables of
     * {@link #NOT_CONFIGURATION} (SSH access, timeouts, releases kept) are left out.
     */
    public DesiredState withExtraVars(Map<String, Object> extraVars) {
        if (extraVars.isEmpty()) {
            return this;
        }
        Map<String, String> flat = new TreeMap<>();
        extraVars.forEach((k, v) -> {
            if (!NOT_CONFIGURATION.contains(k)) {
                flatten("extra_vars." + k, v, flat);
            }
        });
        Map<String, String> all = new TreeMap<>(settings);
        flat.forEach((k, v) -> all.put(k, "sha256:" + sha256(v)));
        return new DesiredState(version, imagePrefix, all);
    }

    /** The version to deploy: {@code override}, else the client file's (or its environment's) {@code version:}. */
    public static String version(DeploymentsRepository repo, String client, Map<String, Object> merged,
                                 String override) {
        if (override != null) {
            return override;
        }
        Object v = merged.get("version");
        if (v == null || String.valueOf(v).isBlank()) {
            throw new EngineException(SourceLocation.of(clientFile(repo, client).toString()),
                    "no version to deploy for '" + client + "': neither --version nor version: in the client file"
                            + " or its environment's defaults",
                    "pin it in the client file (version: v1.4.0) or give budgetctl deploy --version v1.4.0"
                            + " (docs/configuration.md)");
        }
        return String.valueOf(v);
    }

    /** The client's file, {@code clients/<id>.yaml} or {@code .yml}. */
    public static Path clientFile(DeploymentsRepository repo, String client) {
        Path yaml = repo.root().resolve("clients").resolve(client + ".yaml");
        return Files.exists(yaml) ? yaml : repo.root().resolve("clients").resolve(client + ".yml");
    }

    /** The settings of a merged client configuration that reach the host, flattened, secrets as digests. */
    public static Map<String, String> settings(Map<String, Object> merged) {
        Map<String, String> out = new TreeMap<>();
        merged.forEach((k, v) -> {
            if (!NOT_ON_HOST.contains(k)) {
                flatten(k, v, out);
            }
        });
        return out;
    }

    private static void flatten(String path, Object value, Map<String, String> out) {
        if (value instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                out.put(path, "{}");
            }
            m.forEach((k, v) -> flatten(path + "." + k, v, out));
        } else if (value instanceof List<?> l) {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < l.size(); i++) {
                Object item = l.get(i);
                if (item instanceof Map<?, ?> || item instanceof List<?>) {
                    flatten(path + "[" + i + "]", item, out);
                } else {
                    b.append(b.length() > 1 ? ", " : "").append(text(item));
                }
            }
            if (b.length() > 1 || l.isEmpty()) {
                out.put(path, b.append("]").toString());
            }
        } else {
            out.put(path, isSecret(value) ? SECRET_PREFIX + sha256(String.valueOf(value)) : text(value));
        }
    }

    private static String text(Object v) {
        return v == null ? "null" : String.valueOf(v);
    }

    /** A secret reference ({@code sops:...} or {@code vault:...}), or a value the engine already holds as a secret. */
    static boolean isSecret(Object value) {
        if (value instanceof io.budgetctl.engine.api.Secret) {
            return true;
        }
        return value instanceof String s && (s.startsWith("sops:") || s.startsWith("vault:"));
    }

    /** The fingerprint: SHA-256 over version, image prefix and each setting, one {@code key=value} line each. */
    public String fingerprint() {
        StringBuilder b = new StringBuilder();
        b.append("version=").append(version).append('\n');
        b.append("image_prefix=").append(imagePrefix == null ? "" : imagePrefix).append('\n');
        settings.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> b.append(e.getKey()).append('=').append(e.getValue()).append('\n'));
        return "sha256:" + sha256(b.toString());
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
