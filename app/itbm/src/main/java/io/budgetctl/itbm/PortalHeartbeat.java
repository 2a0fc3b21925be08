package io.budgetctl.itbm;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The instance's heartbeat to the vendor's licence portal ({@code POST <LICENCE_PORTAL_URL>/api/v1/heartbeats} with
 * the instance's own token, docs/licence-portal.md): instance id, licence id, version, git sha, schema, uptime, active
 * modules, health. A failed heartbeat never affects the app: it is logged (the first three failures in a row and
 * then every tenth, never the token), retried after {@link #RETRY} up to {@link #RETRIES} times, then sent again at
 * the normal interval; nothing is queued, so a long outage costs no memory. The first success after failures says
 * so in the log.
 */
final class PortalHeartbeat {
  static final Duration RETRY = Duration.ofSeconds(30);
  static final int RETRIES = 3;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI endpoint;
  private final String token;
  private final String instanceId;
  private final Duration interval;
  private final PrintStream log;
  private final HttpClient http;
  private final Clock clock;
  private int failures;

  PortalHeartbeat(Config config, PrintStream log, Clock clock) {
    String base = config.licencePortalUrl().orElseThrow().replaceAll("/+$", "");
    this.endpoint = URI.create(base.endsWith("/api/v1/heartbeats") ? base : base + "/api/v1/heartbeats");
    if (!"https".equals(endpoint.getScheme()) && !"http".equals(endpoint.getScheme())) {
      throw new ConfigException("LICENCE_PORTAL_URL '" + base + "' is not an http(s) URL");
    }
    this.token = config.licencePortalToken().orElseThrow(() -> new ConfigException("LICENCE_PORTAL_URL is set but"
        + " the instance's token is not: set LICENCE_PORTAL_TOKEN_FILE (the secret file from enrolment)"));
    this.instanceId = config.instanceId();
    this.interval = Duration.ofSeconds(config.heartbeatSeconds());
    this.log = log;
    this.clock = clock;
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NEVER);
    config.licencePortalProxy().ifPresent(p -> b.proxy(ProxySelector.of(proxyAddress(p))));
    this.http = b.build();
  }

  URI endpoint() {
    return endpoint;
  }

  /** LICENCE_PORTAL_PROXY: {@code http://HOST:PORT} (an HTTP proxy; HTTPS goes through it with CONNECT). */
  static InetSocketAddress proxyAddress(String proxy) {
    URI u;
    try {
      u = URI.create(proxy.strip());
    } catch (IllegalArgumentException e) {
      u = null;
    }
    if (u == null || !"http".equals(u.getScheme()) || u.getHost() == null || u.getPort() < 1) {
      throw new ConfigException("LICENCE_PORTAL_PROXY '" + proxy + "' is not http://HOST:PORT");
    }
    return InetSocketAddress.createUnresolved(u.getHost(), u.getPort());
  }

  /** The heartbeat document, as the portal's API takes it. */
  Map<String, Object> body(Licence licence, Api.Readiness health, Duration uptime, AppVersion version) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("instance_id", instanceId);
    body.put("licence", licence.id());
    body.put("version", version.appVersion());
    body.put("git_sha", version.gitSha());
    body.put("schema", String.valueOf(health.schema()));
    body.put("uptime_seconds", Math.max(0, uptime.toSeconds()));
    body.put("active_modules", new TreeSet<>(licence.activeModules(LocalDate.now(clock))));
    body.put("health", health.ready() ? "ok" : health.database() ? "degraded" : "failing");
    return body;
  }

  /**
   * Sends one heartbeat; returns how long to wait before the next: the interval after a success, {@link #RETRY}
   * after one of the first {@link #RETRIES} failures in a row, the interval after that.
   */
  Duration send(Licence licence, Api.Readiness health, Duration uptime, AppVersion version) {
    String problem;
    try {
      HttpRequest req = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10))
          .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
          .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body(licence, health, uptime, version))))
          .build();
      HttpResponse<Void> resp = http.send(req, HttpResponse.BodyHandlers.discarding());
      if (resp.statusCode() / 100 == 2) {
        if (failures > 0) {
          log.println("scheduler: licence portal heartbeat delivered again after " + failures + " failed");
        }
        failures = 0;
        return interval;
      }
      problem = "the portal answered HTTP " + resp.statusCode() + (resp.statusCode() == 401
          ? " (the instance token is wrong or revoked)" : resp.statusCode() == 403 ? " (not this instance's licence)" : "");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return interval;
    } catch (IOException e) {
      problem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
    failures++;
    Duration next = failures <= RETRIES ? RETRY.compareTo(interval) < 0 ? RETRY : interval : interval;
    if (failures <= RETRIES || failures % 10 == 0) {
      log.println("scheduler: licence portal heartbeat failed (" + failures + " in a row): " + problem
          + "; next try in " + next.toSeconds() + " s");
    }
    return next;
  }

  int failures() {
    return failures;
  }
}
