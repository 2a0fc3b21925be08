package io.budgetctl.itbm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * OpenID Connect at the backend's start: the issuer's discovery document
 * ({@code <issuer>/.well-known/openid-configuration}, whose {@code issuer} must be the configured one) and the key set
 * at its {@code jwks_uri} (https, at least one key). TLS trusts the JDK's CAs plus OIDC_CA_FILE (PEM) when given.
 * The client secret is never sent or shown here: it only counts towards "configured".
 */
final class OidcDiscovery {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final IntegrationSettings.Oidc oidc;
  private final HttpClient http;

  OidcDiscovery(IntegrationSettings.Oidc oidc) {
    this.oidc = oidc;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NEVER).sslContext(sslContext(oidc)).build();
  }

  Map<String, Object> details() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("issuer", oidc.issuer().toString());
    d.put("client_id", oidc.clientId());
    d.put("scopes", String.join(" ", oidc.scopes()));
    return d;
  }

  /** The discovery URL of the issuer (the issuer without a trailing slash, then the well-known path). */
  URI discoveryUri() {
    return URI.create(trimSlash(oidc.issuer().toString()) + "/.well-known/openid-configuration");
  }

  /** Loads both documents once and says how it went. */
  IntegrationStatus check(Clock clock) {
    Map<String, Object> details = details();
    if (oidc.clientSecret().isEmpty()) {
      return IntegrationStatus.failing("sso", "no client secret: OIDC_CLIENT_SECRET_FILE is empty"
          + " (integrations.sso.client_secret)", clock.instant(), details);
    }
    try {
      JsonNode discovery = get(discoveryUri(), "discovery document");
      String issuer = discovery.path("issuer").asText("");
      if (!trimSlash(issuer).equals(trimSlash(oidc.issuer().toString()))) {
        return IntegrationStatus.failing("sso", "the discovery document at " + discoveryUri() + " names issuer '"
            + issuer + "', not the configured one", clock.instant(), details);
      }
      String jwks = discovery.path("jwks_uri").asText("");
      if (!jwks.startsWith("https://")) {
        return IntegrationStatus.failing("sso", "the discovery document has no https jwks_uri (got '" + jwks + "')",
            clock.instant(), details);
      }
      JsonNode keys = get(URI.create(jwks), "key set (jwks_uri)").path("keys");
      if (!keys.isArray() || keys.isEmpty()) {
        return IntegrationStatus.failing("sso", "the key set at " + jwks + " has no keys", clock.instant(), details);
      }
      List<String> kids = new ArrayList<>();
      keys.forEach(k -> kids.add(k.path("kid").asText("?")));
      details.put("keys", kids.size());
      details.put("jwks_uri", jwks);
      details.put("authorization_endpoint", discovery.path("authorization_endpoint").asText(""));
      return IntegrationStatus.ok("sso", "discovery and " + kids.size() + " signing key(s) (kid " + String.join(", ",
          kids) + ") loaded from " + oidc.issuer().getHost(), clock.instant(), details);
    } catch (Failure f) {
      return IntegrationStatus.failing("sso", f.getMessage(), clock.instant(), details);
    }
  }

  private JsonNode get(URI uri, String what) throws Failure {
    try {
      HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15))
          .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = r.body()) {
        byte[] body = in.readNBytes(1 << 20);
        if (r.statusCode() != 200) {
          throw new Failure("the " + what + " at " + uri + " answered HTTP " + r.statusCode());
        }
        try {
          return JSON.readTree(body);
        } catch (IOException e) {
          throw new Failure("the " + what + " at " + uri + " is not JSON");
        }
      }
    } catch (IOException e) {
      throw new Failure("cannot load the " + what + " from " + uri + ": " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : " " + Mailer.oneLine(e.getMessage())));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure("interrupted");
    }
  }

  private static String trimSlash(String s) {
    return s.replaceAll("/+$", "");
  }

  /** The JDK's trusted CAs plus the certificates in the CA file, if any. */
  static SSLContext sslContext(IntegrationSettings.Oidc oidc) {
    try {
      if (oidc.caFile().isEmpty()) {
        return SSLContext.getDefault();
      }
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      jdk.init((KeyStore) null);
      int n = 0;
      for (TrustManager tm : jdk.getTrustManagers()) {
        if (tm instanceof X509TrustManager x) {
          for (X509Certificate c : x.getAcceptedIssuers()) {
            ks.setCertificateEntry("jdk-" + n++, c);
          }
        }
      }
      int added = 0;
      try (InputStream in = Files.newInputStream(oidc.caFile().get())) {
        for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
          ks.setCertificateEntry("oidc-ca-" + added++, c);
        }
      }
      if (added == 0) {
        throw new ConfigException("OIDC_CA_FILE=" + oidc.caFile().get() + " holds no PEM certificate");
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException | GeneralSecurityException e) {
      throw new ConfigException("OIDC_CA_FILE=" + oidc.caFile().orElse(null) + " cannot be used: " + e.getMessage());
    }
  }

  /** A failed step, with the reason to show. */
  private static final class Failure extends Exception {
    Failure(String message) {
      super(message);
    }
  }
}
