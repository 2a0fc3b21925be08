package io.budgetctl.itbm;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;

/** The HTTP API on the JDK's built-in server. Never migrates: /readyz stays 503 until `itbm migrate` has run. */
final class Backend {
  /** How long a stopping backend waits for the requests in flight (Docker's stop timeout is 10 s). */
  static final int STOP_GRACE_SECONDS = 5;

  private Backend() {}

  static HttpServer start(Config config, PrintStream log) {
    LiveLicence live = new LiveLicence(config, log);
    Licence licence = live.get();
    Store store = new Store(config);
    Jobs jobs = new Jobs(config);
    BackendIntegrations integrations = new BackendIntegrations(config.integrations(), jobs, log, Clock.systemUTC());
    Api api = new Api(config.version(), live, store, jobs, () -> readiness(config, store, jobs), Clock.systemUTC(),
        integrations::all);
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(config.httpPort()), 64);
    } catch (IOException e) {
      throw new IllegalStateException("cannot listen on port " + config.httpPort() + ": " + e.getMessage());
    }
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.createContext("/", exchange -> serve(api, exchange, log));
    server.start();
    // docker stop (compose recreating the backend, budgetctl removing its candidate): stop listening at once, so new
    // connections go to the other backend behind the same name, and let the requests in flight finish
    Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(STOP_GRACE_SECONDS), "http-stop"));
    integrations.start();
    log.printf("backend %s (%s) listening on :%d, schema expected V%d, modules %s, licensed to %s%n",
        config.version().appVersion(), config.version().gitSha(), server.getAddress().getPort(),
        config.version().expectedSchema(), licence.modules(), licence.customer());
    return server;
  }

  static Licence loadLicence(Config config) {
    // no licence (or none mounted yet): the core product, every feature module answers 403
    if (config.licenceFile().isEmpty() || !Files.exists(config.licenceFile().get())) {
      return Licence.none();
    }
    if (config.licencePublicKeyFile().isEmpty()) {
      throw new ConfigException("LICENCE_FILE is set but LICENCE_PUBLIC_KEY_FILE is not; both are needed to check the signature");
    }
    try {
      return Licence.verify(Files.readAllBytes(config.licenceFile().get()),
          Licence.publicKey(Files.readString(config.licencePublicKeyFile().get())));
    } catch (IOException e) {
      throw new ConfigException("licence file cannot be read: " + e.getMessage());
    } catch (LicenceException e) {
      throw new ConfigException("licence " + config.licenceFile().get() + " rejected: " + e.getMessage());
    }
  }

  static Api.Readiness readiness(Config config, Store store, Jobs jobs) {
    boolean db = false;
    int schema = 0;
    try (Connection c = store.connect()) {
      db = true;
      schema = Migrations.currentVersion(c);
    } catch (Exception e) {
      // reported as database=false
    }
    boolean redis;
    try {
      redis = jobs.ping();
    } catch (RuntimeException e) {
      redis = false;
    }
    return new Api.Readiness(db, redis, schema, config.version().expectedSchema());
  }

  private static void serve(Api api, HttpExchange ex, PrintStream log) throws IOException {
    try (ex) {
      byte[] body;
      try (InputStream in = ex.getRequestBody()) {
        body = in.readNBytes(1 << 20);
      }
      Api.Response r;
      try {
        r = api.handle(new Api.Request(ex.getRequestMethod(), ex.getRequestURI().getPath(),
            query(ex.getRequestURI().getRawQuery()), body));
      } catch (RuntimeException e) {
        log.println("backend: " + ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + " failed: " + e);
        r = Api.json(500, Map.of("error", "internal error; see the backend log"));
      }
      ex.getResponseHeaders().set("Content-Type", r.contentType());
      ex.sendResponseHeaders(r.status(), r.body().length == 0 ? -1 : r.body().length);
      if (r.body().length > 0) {
        ex.getResponseBody().write(r.body());
      }
    }
  }

  static Map<String, String> query(String raw) {
    Map<String, String> q = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return q;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      q.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return q;
  }
}
