package io.budgetctl.portal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How the portal runs, from flags ({@code --port 8090}) over environment variables ({@code PORTAL_PORT}) over
 * defaults. The admin token is kept only as its hash; the database password is kept as given and never printed.
 *
 * @param host              listen address (default 127.0.0.1; 0.0.0.0 in the image)
 * @param port              listen port (0: any free port, for tests)
 * @param dbUrl             JDBC URL: {@code jdbc:h2:file:...} (default {@code jdbc:h2:file:./portal-data/portal}) or
 *                          {@code jdbc:postgresql://...}
 * @param signingKey        the current Ed25519 private key file (base64 PKCS#8)
 * @param signingPub        its public half (default: the private key's path with {@code .pub} for {@code .key})
 * @param adminTokenHash    SHA-256 (hex) of the API token budgetctl and the vendor's tools use
 * @param heartbeatInterval how often instances report; a customer is stale after two intervals without one
 */
record PortalConfig(String host, int port, String dbUrl, String dbUser, String dbPassword, Path signingKey,
                    Path signingPub, String adminTokenHash, Duration heartbeatInterval, Alerting alerting) {

    static final List<String> OPTIONS = List.of("host", "port", "db-url", "db-user", "db-password-file",
            "signing-key", "signing-pub", "admin-token-file", "heartbeat-interval", "alert-smtp", "alert-smtp-user",
            "alert-smtp-password-file", "alert-smtp-starttls", "alert-from", "alert-to", "alert-webhook",
            "alert-check-interval");

    /**
     * Where alerts go when a customer turns stale or reports again (docs/licence-portal.md "Alerts"): mail over SMTP and/or
     * a Slack-style incoming webhook ({@code POST {"text": ...}}); null channels are off. The SMTP password is never
     * printed.
     */
    record Alerting(String smtpHost, int smtpPort, String smtpUser, String smtpPassword, boolean startTls, String from,
                    List<String> to, java.net.URI webhook, Duration checkEvery) {
        boolean mail() {
            return smtpHost != null;
        }

        boolean any() {
            return mail() || webhook != null;
        }

        @Override
        public String toString() {
            return "Alerting[smtp " + smtpHost + ":" + smtpPort + ", to " + to + ", webhook " + (webhook == null
                    ? "off" : webhook.getHost()) + "]";
        }
    }

    PortalConfig {
        if (adminTokenHash == null) {
            throw new ConfigException("no admin token: the API would be open to anyone",
                    "set PORTAL_ADMIN_TOKEN_FILE (or --admin-token-file) to a file holding a long random token");
        }
        if (signingKey == null) {
            throw new ConfigException("no signing key", "set PORTAL_SIGNING_KEY (or --signing-key) to the private key"
                    + " file; create one with: java -jar portal.jar keygen DIR");
        }
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new ConfigException("heartbeat interval must be positive", "seconds, e.g. 300");
        }
    }

    /** The portal's configuration error: one line and a hint, printed without a stack trace. */
    static final class ConfigException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String hint;

        ConfigException(String message, String hint) {
            super(message, null, false, false);
            this.hint = hint;
        }

        String hint() {
            return hint;
        }
    }

    /** Reads {@code --name value} flags over {@code PORTAL_NAME} variables of {@code env}. */
    static PortalConfig from(List<String> args, Map<String, String> env) {
        Map<String, String> v = new HashMap<>();
        for (String o : OPTIONS) {
            String e = env.get("PORTAL_" + o.toUpperCase().replace('-', '_'));
            if (e != null && !e.isBlank()) {
                v.put(o, e);
            }
        }
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--") || !OPTIONS.contains(a.substring(2))) {
                throw new ConfigException("unknown option '" + a + "'", "options: --" + String.join(", --", OPTIONS));
            }
            if (i + 1 >= args.size()) {
                throw new ConfigException("option '" + a + "' needs a value", "e.g. " + a + " VALUE");
            }
            v.put(a.substring(2), args.get(++i));
        }
        String token = env.get("PORTAL_ADMIN_TOKEN");
        if (v.containsKey("admin-token-file")) {
            token = readSecret(Path.of(v.get("admin-token-file")));
        }
        if (token != null && token.strip().length() < 24) {
            throw new ConfigException("the admin token is shorter than 24 characters",
                    "use a long random token, e.g. openssl rand -hex 32");
        }
        String dbPassword = env.get("PORTAL_DB_PASSWORD");
        if (v.containsKey("db-password-file")) {
            dbPassword = readSecret(Path.of(v.get("db-password-file")));
        }
        Path key = v.containsKey("signing-key") ? Path.of(v.get("signing-key")) : null;
        Path pub = v.containsKey("signing-pub") ? Path.of(v.get("signing-pub"))
                : key == null ? null : key.resolveSibling(key.getFileName().toString().replaceFirst("\\.key$", "") + ".pub");
        return new PortalConfig(v.getOrDefault("host", "127.0.0.1"), integer(v, "port", 8090),
                v.getOrDefault("db-url", "jdbc:h2:file:./portal-data/portal"), v.getOrDefault("db-user", ""),
                dbPassword == null ? "" : dbPassword, key, pub, token == null ? null : Tokens.hash(token.strip()),
                Duration.ofSeconds(integer(v, "heartbeat-interval", 300)), alerting(v, env));
    }

    private static Alerting alerting(Map<String, String> v, Map<String, String> env) {
        String smtp = v.get("alert-smtp");
        String host = null;
        int port = 25;
        if (smtp != null) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("([A-Za-z0-9.-]+)(?::([0-9]{1,5}))?")
                    .matcher(smtp.strip());
            if (!m.matches()) {
                throw new ConfigException("alert-smtp '" + smtp + "' is not HOST[:PORT]", "e.g. --alert-smtp"
                        + " smtp.vendor.example:587");
            }
            host = m.group(1);
            port = m.group(2) == null ? 25 : Integer.parseInt(m.group(2));
        }
        List<String> to = v.get("alert-to") == null ? List.of() : java.util.Arrays.stream(v.get("alert-to").split(","))
                .map(String::strip).filter(x -> !x.isEmpty()).toList();
        if (host != null && (to.isEmpty() || v.get("alert-from") == null)) {
            throw new ConfigException("alert mail needs --alert-from and --alert-to", "e.g. --alert-from"
                    + " portal@vendor.example --alert-to ops@vendor.example,oncall@vendor.example");
        }
        java.net.URI hook = null;
        if (v.get("alert-webhook") != null) {
            try {
                hook = java.net.URI.create(v.get("alert-webhook").strip());
            } catch (IllegalArgumentException e) {
                hook = null;
            }
            if (hook == null || hook.getHost() == null
                    || !("https".equals(hook.getScheme()) || "http".equals(hook.getScheme()))) {
                throw new ConfigException("alert-webhook is not an http(s) URL", "e.g. a Slack incoming webhook URL");
            }
        }
        String password = env.get("PORTAL_ALERT_SMTP_PASSWORD");
        if (v.containsKey("alert-smtp-password-file")) {
            password = readSecret(Path.of(v.get("alert-smtp-password-file")));
        }
        int every = integer(v, "alert-check-interval", 60);
        if (every < 1) {
            throw new ConfigException("alert-check-interval must be at least 1 second", "e.g. 60");
        }
        return new Alerting(host, port, v.get("alert-smtp-user"), password,
                !"false".equalsIgnoreCase(v.getOrDefault("alert-smtp-starttls", "true")), v.get("alert-from"), to, hook,
                Duration.ofSeconds(every));
    }

    private static int integer(Map<String, String> v, String name, int dflt) {
        String s = v.get(name);
        if (s == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " must be a whole number, got '" + s + "'", "e.g. --" + name + " " + dflt);
        }
    }

    private static String readSecret(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read (" + e.getMessage() + ")", "check the path");
        }
    }

    @Override
    public String toString() {
        return "PortalConfig[host=" + host + ", port=" + port + ", dbUrl=" + dbUrl + ", signingKey=" + signingKey
                + ", heartbeatInterval=" + heartbeatInterval + "]";
    }
}
