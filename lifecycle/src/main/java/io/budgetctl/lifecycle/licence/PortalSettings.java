package io.budgetctl.lifecycle.licence;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.Secret;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.lifecycle.secrets.SecretResolver;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Where the licence portal is and how budgetctl logs in: {@code portal.yaml} at the root of the deployments
 * repository ({@code url:} and {@code token:}, the token a secret reference such as
 * {@code sops:secrets/portal.sops.yaml#api_token}), each overridden by {@code BUDGETCTL_PORTAL_URL} /
 * {@code BUDGETCTL_PORTAL_TOKEN}. The token is a {@link Secret}: it is sent in one header and never printed.
 */
public record PortalSettings(URI url, Secret token) {
    public static final String FILE = "portal.yaml";

    public static PortalSettings load(Path repoRoot, Map<String, String> env) {
        Path file = repoRoot.resolve(FILE);
        Map<?, ?> doc = Map.of();
        if (Files.isRegularFile(file)) {
            try {
                Object o = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
                if (!(o instanceof Map<?, ?> m)) {
                    throw new EngineException(SourceLocation.of(file.toString()), "portal.yaml is not a mapping",
                            "url: https://portal.example\\ntoken: sops:secrets/portal.sops.yaml#api_token");
                }
                doc = m;
            } catch (IOException | YamlEngineException e) {
                throw new EngineException(SourceLocation.of(file.toString()), "cannot read portal.yaml: "
                        + e.getMessage().lines().findFirst().orElse(""), "fix the file (docs/licence-portal.md)");
            }
        }
        String url = env.getOrDefault("BUDGETCTL_PORTAL_URL", doc.get("url") == null ? null : doc.get("url").toString());
        if (url == null || url.isBlank()) {
            throw new EngineException(SourceLocation.of(file.toString()), "no licence portal configured",
                    "set 'url:' in portal.yaml of the deployments repository or BUDGETCTL_PORTAL_URL");
        }
        URI uri;
        try {
            uri = URI.create(url.strip().replaceAll("/+$", ""));
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new EngineException(SourceLocation.of(file.toString()), "the portal URL '" + url + "' is not an"
                    + " http(s) URL", "e.g. https://licences.vendor.example");
        }
        Secret token;
        String envToken = env.get("BUDGETCTL_PORTAL_TOKEN");
        if (envToken != null && !envToken.isBlank()) {
            token = Secret.of(envToken.strip());
        } else if (doc.get("token") instanceof String ref && SecretResolver.isReference(ref)) {
            token = new SecretResolver(repoRoot).resolve(ref, SourceLocation.of(file.toString()));
        } else if (doc.get("token") != null) {
            throw new EngineException(SourceLocation.of(file.toString()), "portal.yaml 'token' must be a secret"
                    + " reference, not the token itself", "token: sops:secrets/portal.sops.yaml#api_token");
        } else {
            throw new EngineException(SourceLocation.of(file.toString()), "no API token for the licence portal",
                    "set 'token:' (a secret reference) in portal.yaml or BUDGETCTL_PORTAL_TOKEN");
        }
        return new PortalSettings(uri, token);
    }
}
