package io.budgetctl.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static io.budgetctl.engine.testkit.Polling.poll;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Compose bundle for real with docker-compose 1.29: images from scripts/build-images pushed to a local registry
 * (scripts/registry) by the CI account and pulled by the bundle with the customer's pull-only account, bundled
 * postgres and redis by profile, HTTPS at the ingress with a certificate from a CA made here, data entered on v1.3.2, upgrade to v1.4.0
 * (migrate runs again), data survived and was backfilled; then down -v.
 */
class ComposeBundleIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  @Test
  void bundleComesUpHealthyServesTheApiOverHttpsAndUpgradesWithTheData() throws Exception {
    Cmd.requireDocker();
    Path repo = ComposeFiles.repo();
    Cmd.ok(repo, Map.of("ITBM_SKIP_MAVEN", "1"), 1800, "scripts/build-images", "v1.3.2", "v1.4.0");

    // given: the bundle as a customer gets it, with secrets, a licence and a certificate
    Path dir = tmp.resolve("bundle");
    copyTree(ComposeFiles.bundle(), dir);
    Path secrets = Files.createDirectories(dir.resolve("secrets"));
    Files.setPosixFilePermissions(secrets, PosixFilePermissions.fromString("rwx------"));
    String dbPassword = "db-" + System.nanoTime();
    String redisPassword = "redis-" + System.nanoTime();
    writeReadable(secrets.resolve("db_password"), dbPassword);
    writeReadable(secrets.resolve("redis_password"), redisPassword);
    writeReadable(Files.createDirectories(secrets.resolve("postgres")).resolve("db_password"), dbPassword);
    writeReadable(Files.createDirectories(secrets.resolve("redis")).resolve("redis_password"), redisPassword);
    for (String unused : List.of("db_ca", "redis_ca", "portal_token", "smtp_password", "oidc_client_secret", "oidc_ca",
        "onec_credentials")) {
      writeReadable(secrets.resolve(unused), "");
    }
    TestPki pki = TestPki.create(tmp.resolve("pki"));
    Path tls = Files.createDirectories(dir.resolve("tls"));
    Files.copy(pki.cert, tls.resolve("cert.pem"));
    Files.copy(pki.key, tls.resolve("key.pem"));
    Files.setPosixFilePermissions(tls.resolve("key.pem"), PosixFilePermissions.fromString("rw-r--r--"));
    Path jar = repo.resolve("app/itbm/target/itbm.jar");
    Path licence = Files.createDirectories(dir.resolve("licence"));
    Cmd.ok(tmp, Map.of(), 60, "java", "-jar", jar.toString(), "licence", "keygen", tmp.resolve("vendor").toString());
    Cmd.ok(tmp, Map.of(), 60, "java", "-jar", jar.toString(), "licence", "sign",
        tmp.resolve("vendor/licence-signing.key").toString(), "acme", "2099-12-31", "forecasting", licence.resolve("licence.json").toString());
    Files.copy(tmp.resolve("vendor/licence-signing.pub"), licence.resolve("licence-signing.pub"));
    for (Path p : new Path[] {licence.resolve("licence.json"), licence.resolve("licence-signing.pub")}) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
    }
    // and: the release pushed to the local registry by the CI account, and the customer logged in with its
    // pull-only account: the bundle runs from pulled images, as on a customer's server
    LocalRegistry registry = new LocalRegistry(tmp, "acme");
    registry.up();
    String prefix = registry.local() + "/itbm";
    Map<String, String> docker = Map.of("DOCKER_CONFIG", registry.env.get("DOCKER_CONFIG"));
    Map<String, String> builtIds = new TreeMap<>();
    assertThat(registry.login("ci", registry.password("ci")).exit()).isZero();
    for (String version : List.of("v1.3.2", "v1.4.0")) {
      for (String image : IMAGES) {
        String built = "itbm/" + image + ":" + version;
        String pushed = prefix + "/" + image + ":" + version;
        builtIds.put(pushed, imageId(built));
        Cmd.ok(tmp, docker, 60, "docker", "tag", built, pushed);
        Cmd.ok(tmp, docker, 900, "docker", "push", pushed);
        Cmd.ok(tmp, docker, 60, "docker", "rmi", pushed);
      }
    }
    assertThat(registry.login("pull-acme", registry.password("pull-acme")).exit()).isZero();

    int port = freePort();
    String project = "itbmit" + Long.toHexString(System.nanoTime()).substring(0, 8);
    writeEnv(dir, project, port, "v1.3.2", prefix);
    HttpClient https = HttpClient.newBuilder().sslContext(pki.clientContext()).connectTimeout(Duration.ofSeconds(5)).build();
    String base = "https://127.0.0.1:" + port;

    try {
      // when: pulled and up on v1.3.2
      Cmd.ok(dir, docker, 900, "docker-compose", "pull");
      assertPulled(builtIds, prefix, "v1.3.2");
      Cmd.ok(dir, docker, 900, "docker-compose", "up", "-d");
      waitHealthy(dir, project, "ingress");

      // then: the API answers through the ingress over HTTPS, with the licence's modules
      JsonNode version = get(https, base + "/api/version");
      assertThat(version.get("version").asText()).isEqualTo("v1.3.2");
      assertThat(version.get("schema").asInt()).isEqualTo(2);
      assertThat(version.get("modules").toString()).isEqualTo("[\"forecasting\"]");
      assertThat(send(https, "GET", base + "/api/sso/config", null).statusCode()).isEqualTo(403);
      assertThat(send(https, "GET", base + "/", null).body()).contains("<title>IT Budget Manager</title>");
      post(https, base + "/api/cost-centres", "{\"code\":\"IT-OPS\",\"name\":\"IT operations\"}");
      post(https, base + "/api/budgets", "{\"cost_centre\":\"IT-OPS\",\"period\":\"2026-10\",\"amount\":\"9000\"}");
      post(https, base + "/api/expenses", "{\"cost_centre\":\"IT-OPS\",\"spent_on\":\"2026-10-05\",\"amount\":\"123.45\"}");
      // a client that does not trust the test CA is refused
      assertThat(catchHandshake(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/api/version")).build(),
          HttpResponse.BodyHandlers.discarding()))).isTrue();
      // limits and log rotation reached the containers
      String inspect = Cmd.ok(dir, Map.of(), 60, "docker", "inspect", "-f",
          "{{.HostConfig.Memory}} {{.HostConfig.LogConfig.Type}} {{index .HostConfig.LogConfig.Config \"max-size\"}} {{.Config.User}}",
          project + "_backend_1");
      assertThat(inspect.strip()).isEqualTo("805306368 json-file 10m 10001:10001");

      // when: upgrade to v1.4.0 (the migrate service runs again with the new image)
      writeEnv(dir, project, port, "v1.4.0", prefix);
      Cmd.ok(dir, docker, 900, "docker-compose", "pull");
      assertPulled(builtIds, prefix, "v1.4.0");
      Cmd.ok(dir, docker, 900, "docker-compose", "up", "-d");
      waitHealthy(dir, project, "backend");
      waitHealthy(dir, project, "ingress");

      // then: new version and schema, the data survived, old expenses backfilled into 'general'
      JsonNode after = get(https, base + "/api/version");
      assertThat(after.get("version").asText()).isEqualTo("v1.4.0");
      assertThat(after.get("schema").asInt()).isEqualTo(3);
      JsonNode expenses = get(https, base + "/api/expenses?period=2026-10");
      assertThat(expenses).hasSize(1);
      assertThat(expenses.get(0).get("amount").decimalValue()).isEqualByComparingTo("123.45");
      assertThat(expenses.get(0).get("category").asText()).isEqualTo("general");
      assertThat(get(https, base + "/api/totals?period=2026-10").get("remaining").decimalValue()).isEqualByComparingTo("8876.55");
    } catch (AssertionError | Exception e) {
      System.err.println(Cmd.run(dir, Map.of(), 120, java.util.List.of("docker-compose", "logs", "--no-color", "--tail", "60")).text());
      throw e;
    } finally {
      Cmd.run(dir, Map.of(), 300, java.util.List.of("docker-compose", "down", "-v", "--remove-orphans"));
      for (String pushed : builtIds.keySet()) {
        Cmd.run(tmp, Map.of(), 60, List.of("docker", "rmi", pushed));
      }
      registry.close();
    }
  }

  private static final List<String> IMAGES = List.of("backend", "worker", "scheduler", "frontend", "postgres", "redis");

  private static String imageId(String image) throws Exception {
    return Cmd.ok(Path.of("."), Map.of(), 60, "docker", "image", "inspect", "-f", "{{.Id}}", image).strip();
  }

  /** every image of {@code version} is now on this machine under the registry's name, the very image CI pushed */
  private static void assertPulled(Map<String, String> builtIds, String prefix, String version) throws Exception {
    for (String image : IMAGES) {
      String pushed = prefix + "/" + image + ":" + version;
      assertThat(imageId(pushed)).as(pushed).isEqualTo(builtIds.get(pushed));
    }
  }

  interface Call {
    void run() throws Exception;
  }

  private static boolean catchHandshake(Call c) throws Exception {
    try {
      c.run();
      return false;
    } catch (SSLHandshakeException e) {
      return true;
    }
  }

  static void writeEnv(Path dir, String project, int port, String version, String imagePrefix) throws Exception {
    String env = Files.readString(dir.resolve(".env.example"))
        .replaceAll("(?m)^ITBM_IMAGE_PREFIX=.*$", "ITBM_IMAGE_PREFIX=" + imagePrefix)
        .replaceAll("(?m)^COMPOSE_PROJECT_NAME=.*$", "COMPOSE_PROJECT_NAME=" + project)
        .replaceAll("(?m)^ITBM_(INGRESS_)?VERSION=.*$", "ITBM_$1VERSION=" + version)
        .replaceAll("(?m)^INGRESS_BIND=.*$", "INGRESS_BIND=127.0.0.1")
        .replaceAll("(?m)^INGRESS_PORT=.*$", "INGRESS_PORT=" + port);
    Files.writeString(dir.resolve(".env"), env);
    Files.setPosixFilePermissions(dir.resolve(".env"), PosixFilePermissions.fromString("rw-------"));
  }

  static void waitHealthy(Path dir, String project, String service) {
    poll(service + " healthy", Duration.ofSeconds(240), Duration.ofSeconds(1))
        .untilAsserted(() -> assertThat(Cmd.run(dir, Map.of(), 60, List.of("docker", "inspect", "-f",
            "{{.State.Health.Status}}", project + "_" + service + "_1")).text().strip())
            .as("health of %s", service).isEqualTo("healthy"));
  }

  static JsonNode get(HttpClient c, String url) throws Exception {
    HttpResponse<String> r = send(c, "GET", url, null);
    assertThat(r.statusCode()).as(url + " -> " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  static void post(HttpClient c, String url, String body) throws Exception {
    HttpResponse<String> r = send(c, "POST", url, body);
    assertThat(r.statusCode()).as(url + " -> " + r.body()).isEqualTo(201);
  }

  static HttpResponse<String> send(HttpClient c, String method, String url, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static void writeReadable(Path p, String content) throws Exception {
    Files.writeString(p, content + "\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static void copyTree(Path from, Path to) throws Exception {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
