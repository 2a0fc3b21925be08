package io.budgetctl.packaging;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * One scripts/registry instance for a test: its own state dir and free ports; {@link #close()} purges it. Talks to
 * the registry's HTTP API itself (token from the token server, then /v2/...) to check what docker does not show.
 */
final class LocalRegistry implements AutoCloseable {
  static final String CUSTOMER_ADDRESS = "172.16.238.1";
  private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");

  final Path repo;
  final Path dir;
  final int port;
  final int authPort;
  final Map<String, String> env;

  LocalRegistry(Path tmp, String customers) throws Exception {
    this.repo = ComposeFiles.repo();
    this.dir = tmp.resolve("registry");
    this.port = ComposeBundleIT.freePort();
    int a;
    do {
      a = ComposeBundleIT.freePort();
    } while (a == port);
    this.authPort = a;
    this.env = Map.of("ITBM_REGISTRY_DIR", dir.toString(), "ITBM_REGISTRY_PORT", Integer.toString(port),
        "ITBM_REGISTRY_AUTH_PORT", Integer.toString(authPort), "ITBM_REGISTRY_CUSTOMERS", customers,
        "DOCKER_CONFIG", tmp.resolve("docker-config").toString());
  }

  String up() throws Exception {
    return Cmd.ok(repo, env, 600, "scripts/registry", "up");
  }

  String local() {
    return "127.0.0.1:" + port;
  }

  String forContainers() {
    return CUSTOMER_ADDRESS + ":" + port;
  }

  Path passwordFile(String account) {
    return dir.resolve(account + ".password");
  }

  String password(String account) throws Exception {
    return Files.readString(passwordFile(account)).strip();
  }

  /** {@code docker login} on this machine (DOCKER_CONFIG of the test), the password on stdin. */
  Cmd.Out login(String user, String password) throws Exception {
    Path pw = Files.createTempFile("itbm-login", ".txt");
    try {
      Files.writeString(pw, password);
      return stdin(pw, List.of("docker", "login", "-u", user, "--password-stdin", local()));
    } finally {
      Files.delete(pw);
    }
  }

  Cmd.Out stdin(Path input, List<String> argv) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(input.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Cmd.Out(p.waitFor(), out);
  }

  HttpClient https() throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(
        new ByteArrayInputStream(Files.readAllBytes(dir.resolve("ca.crt")))));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(ctx).build();
  }

  /** GET /token as a registry client does; the raw response. */
  HttpResponse<String> token(String account, String password, String scope) throws Exception {
    String q = "service=itbm-registry&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8);
    String basic = Base64.getEncoder().encodeToString((account + ":" + password).getBytes(StandardCharsets.UTF_8));
    return https().send(HttpRequest.newBuilder(URI.create("https://" + CUSTOMER_ADDRESS + ":" + authPort
        + "/token?" + q)).header("Authorization", "Basic " + basic).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** GET https://127.0.0.1:PORT/v2/PATH with a token for {@code scope} from {@code account}. */
  HttpResponse<String> api(String account, String scope, String path) throws Exception {
    HttpResponse<String> t = token(account, password(account), scope);
    Matcher m = TOKEN.matcher(t.body());
    if (t.statusCode() != 200 || !m.find()) {
      throw new AssertionError("no token: " + t.statusCode() + " " + t.body());
    }
    return https().send(HttpRequest.newBuilder(URI.create("https://" + local() + "/v2/" + path))
        .header("Authorization", "Bearer " + m.group(1)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() throws Exception {
    Cmd.run(repo, env, 120, List.of("scripts/registry", "purge"));
  }
}
