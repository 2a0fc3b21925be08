package io.budgetctl.itbm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The upgrade path against a real PostgreSQL 15 and Redis 7: migrate as v1.3.2, enter data through the v1.3.2 API,
 * let the worker write a report from a Redis job, migrate as v1.4.0, and check that the data survived and the new
 * column was backfilled.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // one database: the upgrade starts from an empty one
class UpgradeIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static LocalServices services;

  @BeforeAll
  static void start() throws Exception {
    services = new LocalServices();
  }

  @AfterAll
  static void stop() throws Exception {
    services.close();
  }

  private static Config config(String version, Map<String, String> extra) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("APP_VERSION", version);
    env.put("GIT_SHA", "0123abc");
    env.put("DATABASE_URL", services.jdbcUrl());
    env.put("DATABASE_USER", "itbm");
    env.put("DATABASE_PASSWORD", LocalServices.DB_PASSWORD);
    env.put("REDIS_URL", services.redisUrl());
    env.put("HTTP_PORT", Integer.toString(LocalServices.freePort()));
    env.put("HEARTBEAT_FILE", services.dir.resolve("hb-" + version).toString());
    env.putAll(extra);
    return Config.fromEnvironment(env);
  }

  private static HttpResponse<String> call(HttpServer s, String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.getAddress().getPort() + path));
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode ok(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
    return JSON.readTree(r.body());
  }

  @Test
  @Order(1)
  void upgradeFromV132ToV140KeepsTheDataAndBackfillsCategories() throws Exception {
    PrintStream log = new PrintStream(new ByteArrayOutputStream());
    // given: a database migrated by v1.3.2 stops at V2 although V3 is in the jar
    Config v132 = config("v1.3.2", Map.of());
    HttpServer before = Backend.start(v132, log);
    try {
      assertThat(call(before, "GET", "/readyz", null).statusCode()).isEqualTo(503);
      assertThat(Migrations.migrate(v132)).isEqualTo(new Migrations.Outcome(0, 2));
      assertThat(ok(call(before, "GET", "/api/readyz", null)).get("schema").asInt()).isEqualTo(2);

      ok(call(before, "POST", "/api/cost-centres", "{\"code\":\"IT-OPS\",\"name\":\"IT operations\"}"));
      ok(call(before, "POST", "/api/cost-centres", "{\"code\":\"DEV\",\"name\":\"Development\"}"));
      assertThat(call(before, "POST", "/api/cost-centres", "{\"code\":\"DEV\",\"name\":\"again\"}").statusCode()).isEqualTo(409);
      ok(call(before, "POST", "/api/budgets", "{\"cost_centre\":\"IT-OPS\",\"period\":\"2026-10\",\"amount\":\"10000.00\"}"));
      ok(call(before, "POST", "/api/budgets", "{\"cost_centre\":\"DEV\",\"period\":\"2026-10\",\"amount\":5000}"));
      ok(call(before, "POST", "/api/expenses", "{\"cost_centre\":\"IT-OPS\",\"spent_on\":\"2026-10-03\",\"amount\":\"1250.50\",\"description\":\"switches\"}"));
      ok(call(before, "POST", "/api/expenses", "{\"cost_centre\":\"IT-OPS\",\"spent_on\":\"2026-10-31\",\"amount\":\"49.50\"}"));
      ok(call(before, "POST", "/api/expenses", "{\"cost_centre\":\"DEV\",\"spent_on\":\"2026-11-01\",\"amount\":\"700\"}"));
      assertThat(call(before, "POST", "/api/expenses", "{\"cost_centre\":\"NOPE\",\"spent_on\":\"2026-11-01\",\"amount\":1}").statusCode()).isEqualTo(404);
      JsonNode totals = ok(call(before, "GET", "/api/totals?period=2026-10", null));
      assertThat(totals.get("spent").decimalValue()).isEqualByComparingTo("1300.00");
      assertThat(totals.get("budget").decimalValue()).isEqualByComparingTo("15000.00");
      assertThat(totals.get("remaining").decimalValue()).isEqualByComparingTo("13700.00");

      // the worker takes the report job from Redis and writes the report to PostgreSQL
      ok(call(before, "POST", "/api/reports", "{\"period\":\"2026-10\"}"));
      Thread worker = new Thread(() -> new Worker(v132, log).start(), "worker");
      worker.setDaemon(true);
      worker.start();
      JsonNode reports = await("the worker's report").atMost(Duration.ofSeconds(10))
          .pollDelay(Duration.ofMillis(100)).pollInterval(Duration.ofMillis(100)).pollInSameThread()
          .until(() -> ok(call(before, "GET", "/api/reports", null)), r -> !r.isEmpty());
      assertThat(reports).hasSize(1);
      assertThat(JSON.readTree(reports.get(0).get("body").asText()).get("spent").decimalValue()).isEqualByComparingTo("1300.00");
      assertThat(Files.exists(Path.of(services.dir.resolve("hb-v1.3.2").toString()))).isTrue();
    } finally {
      before.stop(0);
    }

    // when: v1.4.0 starts before its migration (not ready), then migrate runs
    Config v140 = config("v1.4.0", Map.of());
    HttpServer after = Backend.start(v140, log);
    try {
      assertThat(call(after, "GET", "/readyz", null).statusCode()).isEqualTo(503);
      assertThat(Migrations.migrate(v140)).isEqualTo(new Migrations.Outcome(2, 3));

      // then: ready, data intact, old expenses backfilled into 'general', new ones can carry a category
      assertThat(ok(call(after, "GET", "/readyz", null)).get("ready").asBoolean()).isTrue();
      JsonNode expenses = ok(call(after, "GET", "/api/expenses?period=2026-10", null));
      assertThat(expenses).hasSize(2);
      assertThat(expenses.findValuesAsText("category")).containsExactly("general", "general");
      assertThat(expenses.findValuesAsText("description")).containsExactly("switches", "");
      assertThat(ok(call(after, "GET", "/api/totals?period=2026-10", null)).get("spent").decimalValue()).isEqualByComparingTo("1300.00");
      ok(call(after, "POST", "/api/categories", "{\"code\":\"cloud\",\"name\":\"Cloud\"}"));
      ok(call(after, "POST", "/api/expenses", "{\"cost_centre\":\"DEV\",\"spent_on\":\"2026-10-15\",\"amount\":\"10\",\"category\":\"cloud\"}"));
      assertThat(ok(call(after, "GET", "/api/expenses?period=2026-10", null)).findValuesAsText("category"))
          .containsExactly("general", "cloud", "general");
      assertThat(ok(call(after, "GET", "/version", null)).get("schema").asInt()).isEqualTo(3);
      // and the old build refuses to "migrate" backwards
      assertThatThrownBy(() -> Migrations.migrate(v132)).hasMessageContaining("newer than V2");
    } finally {
      after.stop(0);
    }
  }

  @Test
  @Order(2)
  void licensedModulesAnswerAndOthersAre403() throws Exception {
    // given: a licence for forecasting only, signed by a vendor key made here
    KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Path pub = services.dir.resolve("licence.pub");
    Path lic = services.dir.resolve("licence.json");
    Files.writeString(pub, Base64.getEncoder().encodeToString(kp.getPublic().getEncoded()));
    Files.write(lic, Licence.sign("acme", LocalDate.now().plusDays(30), List.of("forecasting"), kp.getPrivate()));
    Config c = config("v1.4.0", Map.of("LICENCE_FILE", lic.toString(), "LICENCE_PUBLIC_KEY_FILE", pub.toString()));
    Migrations.migrate(c);
    HttpServer s = Backend.start(c, new PrintStream(new ByteArrayOutputStream()));
    try {
      // when
      HttpResponse<String> forecast = call(s, "GET", "/api/forecast?months=2", null);
      HttpResponse<String> sso = call(s, "GET", "/api/sso/config", null);

      // then
      assertThat(forecast.statusCode()).as(forecast.body()).isEqualTo(200);
      assertThat(JSON.readTree(forecast.body()).get("forecast")).hasSize(2);
      assertThat(sso.statusCode()).isEqualTo(403);
      assertThat(ok(call(s, "GET", "/version", null)).get("modules").toString()).isEqualTo("[\"forecasting\"]");
    } finally {
      s.stop(0);
    }
  }
}
