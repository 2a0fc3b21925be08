package io.budgetctl.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.security.LoginThrottle;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole server from its properties file, over real HTTPS on 127.0.0.1, as the registry's clients reach it. */
class TokenServerTest {
  @TempDir
  Path dir;

  @Test
  void servesTokensOverHttpsAndPicksUpAnAclChangeWithoutRestart() throws Exception {
    // given
    keysAndAccount();
    Files.writeString(dir.resolve("acl"), "ci itbm/* pull\n");
    Files.writeString(dir.resolve("auth.properties"), String.join("\n", "listen = 127.0.0.1:0",
        "tls.certificate = server.crt", "tls.key = server.key", "signing.certificate = token.crt",
        "signing.key = token.key", "accounts = htpasswd", "acl = acl", "issuer = test-issuer",
        "service = test-registry", "ttl = 120", ""));
    List<String> log = new ArrayList<>();
    HttpClient client = HttpClient.newBuilder().sslContext(trusting(dir.resolve("server.crt"))).build();

    try (TokenServer server = Main.start(Config.load(dir.resolve("auth.properties")), log::add)) {
      InetSocketAddress a = server.addresses().get(0);
      URI uri = URI.create("https://127.0.0.1:" + a.getPort()
          + "/token?service=test-registry&scope=repository%3Aitbm%2Fredis%3Apull%2Cpush");
      String auth = "Basic " + Base64.getEncoder().encodeToString("ci:pw-of-ci".getBytes());

      // when
      HttpResponse<String> before = client.send(HttpRequest.newBuilder(uri).header("Authorization", auth).build(),
          HttpResponse.BodyHandlers.ofString());
      Files.writeString(dir.resolve("acl"), "ci itbm/* pull,push\n");
      Files.setLastModifiedTime(dir.resolve("acl"), java.nio.file.attribute.FileTime.fromMillis(
          System.currentTimeMillis() + 5000));
      HttpResponse<String> after = client.send(HttpRequest.newBuilder(uri).header("Authorization", auth).build(),
          HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> anonymous = client.send(HttpRequest.newBuilder(uri).build(),
          HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> post = client.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody())
          .build(), HttpResponse.BodyHandlers.ofString());

      // then
      assertThat(before.statusCode()).isEqualTo(200);
      assertThat(actions(before)).isEqualTo(List.of("pull"));
      assertThat(after.statusCode()).isEqualTo(200);
      assertThat(actions(after)).isEqualTo(List.of("pull", "push"));
      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(post.statusCode()).isEqualTo(405);
      assertThat(String.join("\n", log)).contains("reloaded " + dir.resolve("acl"), "from=127.0.0.1 account=ci")
          .doesNotContain("pw-of-ci", (String) JSONObjectUtils.parse(after.body()).get("token"));
    }
  }

  @Test
  void wrongPasswordsPastTheLimitGet429WithRetryAfterEvenForTheRightOne() throws Exception {
    // given a server that allows 3 wrong passwords per address per minute
    keysAndAccount();
    List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
    HttpClient client = HttpClient.newBuilder().sslContext(trusting(dir.resolve("server.crt"))).build();
    try (TokenServer server = server("ci itbm/* pull\n", limit(3), LoginThrottle.standard(), log)) {
      URI uri = URI.create("https://127.0.0.1:" + server.addresses().get(0).getPort()
          + "/token?service=test-registry&scope=repository%3Aitbm%2Fredis%3Apull");
      HttpRequest anonymous = HttpRequest.newBuilder(uri).build();
      HttpRequest wrong = HttpRequest.newBuilder(uri).header("Authorization", "Basic "
          + Base64.getEncoder().encodeToString("ci:guess".getBytes())).build();
      HttpRequest right = HttpRequest.newBuilder(uri).header("Authorization", "Basic "
          + Base64.getEncoder().encodeToString("ci:pw-of-ci".getBytes())).build();

      // when: anonymous challenges (not counted), three wrong passwords, then the right one
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        statuses.add(client.send(anonymous, HttpResponse.BodyHandlers.ofString()).statusCode());
      }
      statuses.add(client.send(right, HttpResponse.BodyHandlers.ofString()).statusCode());
      for (int i = 0; i < 3; i++) {
        statuses.add(client.send(wrong, HttpResponse.BodyHandlers.ofString()).statusCode());
      }
      HttpResponse<String> held = client.send(right, HttpResponse.BodyHandlers.ofString());

      // then
      assertThat(statuses).containsExactly(401, 401, 401, 401, 401, 200, 401, 401, 401);
      assertThat(held.statusCode()).isEqualTo(429);
      assertThat(Long.parseLong(held.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
      assertThat(held.body()).contains("TOOMANYREQUESTS").doesNotContain("token\"");
      assertThat(String.join("\n", log)).contains("from=127.0.0.1 status=429 throttled=address")
          .doesNotContain("pw-of-ci", "guess");
    }
  }

  @Test
  void wrongPasswordsForOneAccountPastItsLimitHoldThatAccountOnly() throws Exception {
    // given: a generous limit per address, 3 wrong passwords per account per minute, and a second account
    keysAndAccount();
    Process h = new ProcessBuilder("htpasswd", "-iBn", "ro").start();
    h.getOutputStream().write("pw-of-ro\n".getBytes());
    h.getOutputStream().close();
    Files.write(dir.resolve("htpasswd"), h.getInputStream().readAllBytes(), java.nio.file.StandardOpenOption.APPEND);
    h.waitFor();
    List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
    HttpClient client = HttpClient.newBuilder().sslContext(trusting(dir.resolve("server.crt"))).build();
    try (TokenServer server = server("ci itbm/* pull\nro itbm/* pull\n", limit(100), limit(3), log)) {
      URI uri = URI.create("https://127.0.0.1:" + server.addresses().get(0).getPort()
          + "/token?service=test-registry&scope=repository%3Aitbm%2Fredis%3Apull");
      java.util.function.Function<String, HttpRequest> as = userPass -> HttpRequest.newBuilder(uri)
          .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(userPass.getBytes())).build();

      // when: three wrong passwords for ci, then ci with the right one, then ro with its right one
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        statuses.add(client.send(as.apply("ci:guess-" + i), HttpResponse.BodyHandlers.ofString()).statusCode());
      }
      HttpResponse<String> ci = client.send(as.apply("ci:pw-of-ci"), HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> ro = client.send(as.apply("ro:pw-of-ro"), HttpResponse.BodyHandlers.ofString());

      // then: ci is held (by account, not by address), ro from the same address is not
      assertThat(statuses).containsExactly(401, 401, 401);
      assertThat(ci.statusCode()).isEqualTo(429);
      assertThat(ci.body()).contains("too many wrong passwords for this account");
      assertThat(ro.statusCode()).isEqualTo(200);
      assertThat(String.join("\n", log)).contains("status=429 throttled=account")
          .doesNotContain("pw-of-ci", "guess-", "pw-of-ro");
    }
  }

  /** N wrong passwords per key per minute. */
  private static LoginThrottle limit(int n) {
    return new LoginThrottle(n, java.time.Duration.ofMinutes(1), java.time.Clock.systemUTC());
  }

  /** A token server on 127.0.0.1 over this test's keys, htpasswd and {@code acl}, with the two throttles. */
  private TokenServer server(String aclText, LoginThrottle perAddress, LoginThrottle perAccount, List<String> log)
      throws Exception {
    TokenIssuer issuer = new TokenIssuer("test-issuer", "test-registry", java.time.Duration.ofMinutes(2),
        Pem.privateKey(dir.resolve("token.key")), Pem.certificates(dir.resolve("token.crt")),
        java.time.Clock.systemUTC());
    Accounts accounts = Accounts.load(dir.resolve("htpasswd"));
    Files.writeString(dir.resolve("acl"), aclText);
    Acl acl = Acl.load(dir.resolve("acl"));
    TokenService service = new TokenService(() -> accounts, () -> acl, issuer);
    return new TokenServer(List.of(new InetSocketAddress("127.0.0.1", 0)),
        TokenServer.tls(Pem.certificates(dir.resolve("server.crt")), Pem.privateKey(dir.resolve("server.key"))),
        service, perAddress, perAccount, log::add);
  }

  /** TLS and signing keys plus an htpasswd file with the account ci (password pw-of-ci), made by real htpasswd. */
  private void keysAndAccount() throws Exception {
    TestKeys.make(dir, "server", "rsa");
    TestKeys.make(dir, "token", "ec");
    Process h = new ProcessBuilder("htpasswd", "-iBn", "ci").start();
    h.getOutputStream().write("pw-of-ci\n".getBytes());
    h.getOutputStream().close();
    Files.write(dir.resolve("htpasswd"), h.getInputStream().readAllBytes());
    h.waitFor();
  }

  @SuppressWarnings("unchecked")
  private static List<String> actions(HttpResponse<String> r) throws Exception {
    SignedJWT jwt = SignedJWT.parse((String) JSONObjectUtils.parse(r.body()).get("token"));
    List<Object> access = jwt.getJWTClaimsSet().getListClaim("access");
    return (List<String>) ((Map<String, Object>) access.get(0)).get("actions");
  }

  private static SSLContext trusting(Path cert) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setCertificateEntry("ca", Pem.certificates(cert).get(0));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }
}
