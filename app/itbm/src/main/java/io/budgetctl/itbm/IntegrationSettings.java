package io.budgetctl.itbm;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The integrations with the customer's other systems, from the environment (all optional; an integration whose main
 * setting is unset is not configured). Secrets come as {@code X_FILE} (or {@code X}); an empty secret file, which is
 * what deploy writes for a secret the customer does not use, counts as not given. A malformed value is a
 * {@link ConfigException} (the service does not start: the deploy's health gate reports it); a missing secret is not
 * (the service runs and reports the integration as failing, with the reason).
 *
 * <pre>
 *   SMTP_HOST SMTP_PORT(587) SMTP_USER SMTP_PASSWORD[_FILE] SMTP_SENDER SMTP_STARTTLS(true) SMTP_RECIPIENTS(sender)
 *   OIDC_ISSUER(https) OIDC_CLIENT_ID OIDC_CLIENT_SECRET[_FILE] OIDC_SCOPES(openid,profile,email) OIDC_CA_FILE
 *   ONEC_BASE_URL ONEC_CREDENTIALS[_FILE](user:password) ONEC_SCHEDULE(0 * * * *) ONEC_FIRST_RUN_SECONDS(10)
 * </pre>
 */
record IntegrationSettings(Optional<Smtp> smtp, Optional<Oidc> oidc, Optional<OneC> onec) {
  static final String ADDRESS = "[^@\\s,]+@[^@\\s,]+\\.[^@\\s,]+";

  /** Outgoing mail. {@code password} is empty when the secret is; toString never shows it. */
  record Smtp(String host, int port, Optional<String> user, Optional<String> password, String sender,
              boolean starttls, List<String> recipients) {
    @Override
    public String toString() {
      return "smtp " + host + ":" + port + (starttls ? " starttls" : "") + user.map(u -> " as " + u).orElse("")
          + " from " + sender;
    }
  }

  /** OpenID Connect: the issuer whose discovery document and keys the backend loads. */
  record Oidc(URI issuer, String clientId, Optional<String> clientSecret, List<String> scopes, Optional<Path> caFile) {
    @Override
    public String toString() {
      return "oidc " + issuer + " client " + clientId + " scopes " + scopes;
    }
  }

  /** The 1C exchange: where, with which credentials ("user:password"), when. */
  record OneC(URI baseUrl, Optional<String> credentials, Cron schedule, int firstRunSeconds) {
    /** The user part of the credentials, or empty (never the password). */
    Optional<String> user() {
      return credentials.filter(c -> c.indexOf(':') > 0).map(c -> c.substring(0, c.indexOf(':')));
    }

    @Override
    public String toString() {
      return "1c " + baseUrl + " schedule '" + schedule + "'" + user().map(u -> " as " + u).orElse("");
    }
  }

  static IntegrationSettings none() {
    return new IntegrationSettings(Optional.empty(), Optional.empty(), Optional.empty());
  }

  static IntegrationSettings fromEnvironment(Map<String, String> env) {
    return new IntegrationSettings(smtp(env), oidc(env), onec(env));
  }

  private static Optional<Smtp> smtp(Map<String, String> env) {
    Optional<String> host = value(env, "SMTP_HOST");
    if (host.isEmpty()) {
      return Optional.empty();
    }
    if (!host.get().matches("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+\\]")) {
      throw new ConfigException("SMTP_HOST='" + host.get() + "' is not a host name or address");
    }
    String sender = value(env, "SMTP_SENDER").orElseThrow(() -> new ConfigException(
        "SMTP_HOST is set but SMTP_SENDER is not: the From address of the product's mail"));
    if (!sender.matches(ADDRESS)) {
      throw new ConfigException("SMTP_SENDER='" + sender + "' is not a mail address");
    }
    List<String> recipients = list(env, "SMTP_RECIPIENTS");
    for (String r : recipients) {
      if (!r.matches(ADDRESS)) {
        throw new ConfigException("SMTP_RECIPIENTS: '" + r + "' is not a mail address");
      }
    }
    return Optional.of(new Smtp(host.get(), port(env, "SMTP_PORT", 587), value(env, "SMTP_USER"),
        secret(env, "SMTP_PASSWORD"), sender, bool(env, "SMTP_STARTTLS", true),
        recipients.isEmpty() ? List.of(sender) : recipients));
  }

  private static Optional<Oidc> oidc(Map<String, String> env) {
    Optional<String> issuer = value(env, "OIDC_ISSUER");
    if (issuer.isEmpty()) {
      return Optional.empty();
    }
    URI uri = uri("OIDC_ISSUER", issuer.get());
    if (!"https".equals(uri.getScheme())) {
      throw new ConfigException("OIDC_ISSUER='" + issuer.get() + "' must be https:// (OpenID Connect requires it)");
    }
    String clientId = value(env, "OIDC_CLIENT_ID").orElseThrow(() -> new ConfigException(
        "OIDC_ISSUER is set but OIDC_CLIENT_ID is not"));
    List<String> scopes = list(env, "OIDC_SCOPES");
    Optional<Path> ca = value(env, "OIDC_CA_FILE").map(Path::of).filter(IntegrationSettings::nonEmptyFile);
    return Optional.of(new Oidc(uri, clientId, secret(env, "OIDC_CLIENT_SECRET"),
        scopes.isEmpty() ? List.of("openid", "profile", "email") : scopes, ca));
  }

  private static Optional<OneC> onec(Map<String, String> env) {
    Optional<String> base = value(env, "ONEC_BASE_URL");
    if (base.isEmpty()) {
      return Optional.empty();
    }
    URI uri = uri("ONEC_BASE_URL", base.get());
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw new ConfigException("ONEC_BASE_URL='" + base.get() + "' is not an http:// or https:// URL");
    }
    Cron schedule = Cron.parse("ONEC_SCHEDULE", value(env, "ONEC_SCHEDULE").orElse("0 * * * *"));
    int first = value(env, "ONEC_FIRST_RUN_SECONDS").map(v -> {
      if (!v.matches("\\d{1,5}")) {
        throw new ConfigException("ONEC_FIRST_RUN_SECONDS='" + v + "' is not a number of seconds");
      }
      return Integer.parseInt(v);
    }).orElse(10);
    return Optional.of(new OneC(uri, secret(env, "ONEC_CREDENTIALS"), schedule, first));
  }

  private static Optional<String> value(Map<String, String> env, String name) {
    return Optional.ofNullable(env.get(name)).map(String::strip).filter(s -> !s.isEmpty());
  }

  /** A secret as {@link Config#secret}, but an empty one (deploy's file for an unused secret) is none. */
  private static Optional<String> secret(Map<String, String> env, String name) {
    return Config.secret(env, name).filter(s -> !s.isBlank());
  }

  private static boolean nonEmptyFile(Path p) {
    try {
      return Files.size(p) > 0;
    } catch (IOException e) {
      throw new ConfigException("OIDC_CA_FILE=" + p + " cannot be read (" + e.getClass().getSimpleName()
          + "); mount the CA file or unset OIDC_CA_FILE");
    }
  }

  /** Comma- or space-separated. */
  private static List<String> list(Map<String, String> env, String name) {
    List<String> out = new ArrayList<>();
    for (String s : value(env, name).orElse("").split("[,\\s]+")) {
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return List.copyOf(out);
  }

  private static int port(Map<String, String> env, String name, int fallback) {
    Optional<String> v = value(env, name);
    if (v.isEmpty()) {
      return fallback;
    }
    if (!v.get().matches("\\d{1,5}") || Integer.parseInt(v.get()) < 1 || Integer.parseInt(v.get()) > 65535) {
      throw new ConfigException(name + "='" + v.get() + "' is not a port (1-65535)");
    }
    return Integer.parseInt(v.get());
  }

  private static boolean bool(Map<String, String> env, String name, boolean fallback) {
    Optional<String> v = value(env, name);
    if (v.isEmpty()) {
      return fallback;
    }
    return switch (v.get().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0" -> false;
      default -> throw new ConfigException(name + "='" + v.get() + "' is not true or false");
    };
  }

  private static URI uri(String name, String v) {
    try {
      URI u = new URI(v);
      if (u.getRawUserInfo() != null) {
        // not echoed: the part before @ may be a password
        throw new ConfigException(name + " holds user:password@; credentials belong in the secret, not the URL");
      }
      if (u.getHost() == null || u.getRawFragment() != null) {
        throw new URISyntaxException(v, "needs scheme://host[:port][/path] and no #fragment");
      }
      return u;
    } catch (URISyntaxException e) {
      throw new ConfigException(name + "='" + v + "' is not a usable URL: " + e.getReason());
    }
  }
}
