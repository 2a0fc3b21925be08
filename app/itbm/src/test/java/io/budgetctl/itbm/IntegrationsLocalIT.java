package io.budgetctl.itbm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The wiring of the integrations in the real services, without Docker: backend and worker in this JVM against a real
 * PostgreSQL and Redis ({@link LocalServices}), configured through the same environment variables deploy renders,
 * with GreenMail (user and password), the HTTPS issuer stand-in of {@link OidcDiscoveryTest} and a 1C receiver on
 * loopback. The worker's reports reach the backend's {@code /api/integrations} through Redis; the monthly report is
 * mailed; no secret is in either service's log. (IntegrationsIT in the cli module does the same through a deploy.)
 */
class IntegrationsLocalIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void theServicesUseEveryIntegrationAndReportItThroughRedis() throws Exception {
    String smtpPw = "smtp-pw-" + System.nanoTime();
    String onecPw = "onec-pw-" + System.nanoTime();
    String oidcSecret = "oidc-secret-" + System.nanoTime();
    List<String> onecAuth = new CopyOnWriteArrayList<>();
    OidcDiscoveryTest.dir = Files.createTempDirectory("itbm-oidc-");
    OidcDiscoveryTest.startIssuer();
    GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp").dynamicPort())
        .withConfiguration(GreenMailConfiguration.aConfig().withUser("itbm-mailer", smtpPw));
    smtp.start();
    HttpServer onec = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    onec.createContext("/hs/itbm/expenses", ex -> {
      onecAuth.add(new String(Base64.getDecoder().decode(ex.getRequestHeaders().getFirst("Authorization")
          .substring("Basic ".length())), StandardCharsets.UTF_8));
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    onec.start();
    ByteArrayOutputStream logs = new ByteArrayOutputStream();
    PrintStream log = new PrintStream(logs, true, StandardCharsets.UTF_8);
    try (LocalServices services = new LocalServices()) {
      Path secrets = Files.createDirectories(services.dir.resolve("secrets"));
      Map<String, String> env = new HashMap<>();
      env.put("APP_VERSION", "v1.4.0");
      env.put("DATABASE_URL", services.jdbcUrl());
      env.put("DATABASE_PASSWORD", LocalServices.DB_PASSWORD);
      env.put("REDIS_URL", services.redisUrl());
      env.put("HTTP_PORT", Integer.toString(LocalServices.freePort()));
      env.put("HEARTBEAT_FILE", services.dir.resolve("hb").toString());
      env.put("SMTP_HOST", "127.0.0.1");
      env.put("SMTP_PORT", Integer.toString(smtp.getSmtp().getPort()));
      env.put("SMTP_USER", "itbm-mailer");
      env.put("SMTP_PASSWORD_FILE", Files.writeString(secrets.resolve("smtp_password"), smtpPw).toString());
      env.put("SMTP_SENDER", "budget@acme.example");
      env.put("SMTP_STARTTLS", "false");
      env.put("OIDC_ISSUER", OidcDiscoveryTest.base + "/realms/staff");
      env.put("OIDC_CLIENT_ID", "itbm");
      env.put("OIDC_CLIENT_SECRET_FILE", Files.writeString(secrets.resolve("oidc"), oidcSecret).toString());
      env.put("OIDC_CA_FILE", OidcDiscoveryTest.caPem.toString());
      env.put("ONEC_BASE_URL", "http://127.0.0.1:" + onec.getAddress().getPort() + "/hs/itbm");
      env.put("ONEC_CREDENTIALS_FILE", Files.writeString(secrets.resolve("onec"), "exchange:" + onecPw).toString());
      env.put("ONEC_FIRST_RUN_SECONDS", "1");
      Config config = Config.fromEnvironment(env);
      Migrations.migrate(config);
      HttpServer backend = Backend.start(config, log);
      Thread worker = new Thread(() -> new Worker(config, log).start(), "worker");
      worker.setDaemon(true);
      worker.start();
      try {
        // when: the services start; then every integration is ok in the backend's API
        JsonNode states = await("every integration ok").atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO)
            .pollInterval(Duration.ofMillis(500)).pollInSameThread()
            .until(() -> JSON.readTree(get(backend, "/api/integrations")),
                s -> s.findValuesAsText("state").equals(List.of("ok", "ok", "ok")));
        assertThat(states.findValuesAsText("state")).as(states.toString()).containsExactly("ok", "ok", "ok");
        assertThat(states.findValuesAsText("name")).containsExactly("smtp", "sso", "onec");
        assertThat(onecAuth).first().isEqualTo("exchange:" + onecPw);
        // and the product's event is mailed
        post(backend, "/api/reports", "{\"period\":\"2026-10\"}");
        assertThat(smtp.waitForIncomingEmail(20_000, 1)).isTrue();
        assertThat(smtp.getReceivedMessages()[0].getSubject()).isEqualTo(
            "IT Budget Manager: monthly report 2026-10 is ready");
        assertThat(get(backend, "/api/integrations")).doesNotContain(smtpPw, onecPw, oidcSecret);
        assertThat(logs.toString(StandardCharsets.UTF_8)).contains("worker: integration onec ok",
            "backend: integration sso ok").doesNotContain(smtpPw, onecPw, oidcSecret);
      } finally {
        backend.stop(0);
      }
    } finally {
      smtp.stop();
      onec.stop(0);
      OidcDiscoveryTest.stop();
    }
  }

  private static String get(HttpServer s, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.getAddress().getPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  private static void post(HttpServer s, String path, String body) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.getAddress().getPort()
        + path)).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
  }
}
