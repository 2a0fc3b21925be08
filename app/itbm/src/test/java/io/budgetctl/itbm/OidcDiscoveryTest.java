package io.budgetctl.itbm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.FileInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OIDC discovery against an HTTPS issuer stand-in on loopback whose certificate only the given CA file vouches for. */
class OidcDiscoveryTest {
  @TempDir
  static Path dir;
  static HttpsServer issuer;
  static String base;
  static Path caPem;
  static final AtomicReference<String> discoveryIssuer = new AtomicReference<>();
  static final AtomicReference<String> jwks = new AtomicReference<>("{\"keys\":[{\"kty\":\"EC\",\"kid\":\"k1\"}]}");

  @BeforeAll
  static void startIssuer() throws Exception {
    Path ks = dir.resolve("issuer.p12");
    caPem = dir.resolve("issuer.pem");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    run(keytool, "-genkeypair", "-alias", "issuer", "-keyalg", "EC", "-dname", "CN=127.0.0.1", "-ext",
        "san=ip:127.0.0.1", "-validity", "2", "-keystore", ks.toString(), "-storetype", "PKCS12", "-storepass",
        "changeit");
    run(keytool, "-exportcert", "-rfc", "-alias", "issuer", "-keystore", ks.toString(), "-storepass", "changeit",
        "-file", caPem.toString());
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (FileInputStream in = new FileInputStream(ks.toFile())) {
      store.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, "changeit".toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    issuer = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    issuer.setHttpsConfigurator(new HttpsConfigurator(ctx));
    base = "https://127.0.0.1:" + issuer.getAddress().getPort();
    discoveryIssuer.set(base + "/realms/staff");
    issuer.createContext("/realms/staff/.well-known/openid-configuration", ex -> {
      byte[] b = ("{\"issuer\":\"" + discoveryIssuer.get() + "\",\"jwks_uri\":\"" + base
          + "/realms/staff/certs\",\"authorization_endpoint\":\"" + base + "/realms/staff/auth\"}")
          .getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, b.length);
      ex.getResponseBody().write(b);
      ex.close();
    });
    issuer.createContext("/realms/staff/certs", ex -> {
      byte[] b = jwks.get().getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, b.length);
      ex.getResponseBody().write(b);
      ex.close();
    });
    issuer.start();
  }

  @AfterAll
  static void stop() {
    issuer.stop(0);
  }

  static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as(out).isTrue();
  }

  static IntegrationSettings.Oidc settings(String issuerUrl, Optional<Path> ca) {
    return new IntegrationSettings.Oidc(URI.create(issuerUrl), "itbm", Optional.of("oidc-Secret-42"),
        List.of("openid"), ca);
  }

  @Test
  void theDiscoveryDocumentAndTheKeysLoadThroughTheConfiguredCa() {
    IntegrationStatus s = new OidcDiscovery(settings(base + "/realms/staff/", Optional.of(caPem))).check(Clock.systemUTC());
    assertThat(s.state()).as(s.reason()).isEqualTo("ok");
    assertThat(s.reason()).isEqualTo("discovery and 1 signing key(s) (kid k1) loaded from 127.0.0.1");
    assertThat(s.toMap()).containsEntry("keys", 1).containsEntry("client_id", "itbm");
    assertThat(s.toJson()).doesNotContain("oidc-Secret-42");
  }

  @Test
  void withoutTheCaTheCertificateIsNotTrusted() {
    IntegrationStatus s = new OidcDiscovery(settings(base + "/realms/staff", Optional.empty())).check(Clock.systemUTC());
    assertThat(s.state()).isEqualTo("failing");
    assertThat(s.reason()).startsWith("cannot load the discovery document from " + base
        + "/realms/staff/.well-known/openid-configuration: SSLHandshakeException");
  }

  @Test
  void anotherIssuerInTheDocumentOrNoKeysIsFailing() {
    OidcDiscovery d = new OidcDiscovery(settings(base + "/realms/staff", Optional.of(caPem)));
    discoveryIssuer.set("https://evil.example/realms/staff");
    try {
      assertThat(d.check(Clock.systemUTC()).reason()).contains("names issuer 'https://evil.example/realms/staff'");
    } finally {
      discoveryIssuer.set(base + "/realms/staff");
    }
    jwks.set("{\"keys\":[]}");
    try {
      assertThat(d.check(Clock.systemUTC()).reason()).endsWith("/realms/staff/certs has no keys");
    } finally {
      jwks.set("{\"keys\":[{\"kty\":\"EC\",\"kid\":\"k1\"}]}");
    }
    assertThat(new OidcDiscovery(settings(base + "/realms/other", Optional.of(caPem))).check(Clock.systemUTC())
        .reason()).contains("answered HTTP 404");
  }

  @Test
  void noClientSecretIsFailingWithoutAsking() {
    IntegrationStatus s = new OidcDiscovery(new IntegrationSettings.Oidc(URI.create(base), "itbm", Optional.empty(),
        List.of("openid"), Optional.of(caPem))).check(Clock.systemUTC());
    assertThat(s.reason()).contains("OIDC_CLIENT_SECRET_FILE is empty");
  }

  @Test
  void aCaFileWithoutCertificatesStopsTheBackend() throws Exception {
    Path junk = Files.writeString(dir.resolve("junk.pem"), "not a certificate\n");
    assertThatThrownBy(() -> new OidcDiscovery(settings(base, Optional.of(junk)))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("OIDC_CA_FILE=" + junk);
  }
}
