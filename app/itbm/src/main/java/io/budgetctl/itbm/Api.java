package io.budgetctl.itbm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Routing and the rules of the API, independent of the HTTP server so it is tested without sockets. Every path works
 * with and without the {@code /api} prefix (Caddy forwards /api/... unchanged).
 */
final class Api {
  record Request(String method, String path, Map<String, String> query, byte[] body) {}

  record Response(int status, String contentType, byte[] body) {}

  /** Readiness as seen by /readyz: each check's result, ready only when all are ok. */
  record Readiness(boolean database, boolean redis, int schema, int expectedSchema) {
    boolean ready() {
      return database && redis && schema == expectedSchema;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final AppVersion version;
  private final Supplier<Licence> licence;
  private final Store store;
  private final Jobs jobs;
  private final Supplier<Readiness> readiness;
  private final Clock clock;
  private final Supplier<List<IntegrationStatus>> integrations;

  Api(AppVersion version, Licence licence, Store store, Jobs jobs, Supplier<Readiness> readiness, Clock clock) {
    this(version, () -> licence, store, jobs, readiness, clock, List::of);
  }

  Api(AppVersion version, Supplier<Licence> licence, Store store, Jobs jobs, Supplier<Readiness> readiness,
      Clock clock) {
    this(version, licence, store, jobs, readiness, clock, List::of);
  }

  /**
   * With the licence in use at each request ({@link LiveLicence}: a new one installed on the server applies) and the
   * integrations' status ({@link BackendIntegrations#all}).
   */
  Api(AppVersion version, Supplier<Licence> licence, Store store, Jobs jobs, Supplier<Readiness> readiness,
      Clock clock, Supplier<List<IntegrationStatus>> integrations) {
    this.integrations = integrations;
    this.version = version;
    this.licence = licence;
    this.store = store;
    this.jobs = jobs;
    this.readiness = readiness;
    this.clock = clock;
  }

  Response handle(Request r) {
    try {
      return route(r);
    } catch (ApiException e) {
      return json(e.status, Map.of("error", e.getMessage()));
    }
  }

  private Response route(Request r) {
    String path = r.path().startsWith("/api/") ? r.path().substring(4) : r.path();
    if (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    String m = r.method();
    switch (path) {
      case "/healthz":
        return json(200, Map.of("status", "alive"));
      case "/readyz": {
        Readiness rd = readiness.get();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ready", rd.ready());
        body.put("database", rd.database());
        body.put("redis", rd.redis());
        body.put("schema", rd.schema());
        body.put("expected_schema", rd.expectedSchema());
        return json(rd.ready() ? 200 : 503, body);
      }
      case "/version": {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", version.appVersion());
        body.put("git_sha", version.gitSha());
        body.put("expected_schema", version.expectedSchema());
        body.put("schema", readiness.get().schema());
        Licence l = licence.get();
        body.put("modules", new TreeSet<>(l.activeModules(today())));
        body.put("licensed_to", l.customer());
        body.put("licence_id", l.id());
        return json(200, body);
      }
      case "/cost-centres":
        if (m.equals("GET")) {
          return json(200, store.costCentres());
        }
        requirePost(m);
        JsonNode cc = body(r);
        return json(201, store.addCostCentre(Validation.code(cc, "code"), Validation.text(cc, "name")));
      case "/budgets":
        if (m.equals("GET")) {
          return json(200, store.budgets(Validation.period(r.query().get("period"), "period")));
        }
        requirePost(m);
        JsonNode b = body(r);
        return json(201, store.setBudget(Validation.code(b, "cost_centre"), Validation.period(text(b, "period"), "period"),
            Validation.amount(b, "amount", true)));
      case "/expenses":
        if (m.equals("GET")) {
          return json(200, store.expenses(Validation.period(r.query().get("period"), "period"), version.hasCategories()));
        }
        requirePost(m);
        JsonNode e = body(r);
        String category = null;
        if (version.hasCategories()) {
          category = e.hasNonNull("category") ? Validation.code(e, "category") : "general";
        } else if (e.has("category")) {
          throw new ApiException(400, "category needs v1.4.0 or later; this is " + version.appVersion());
        }
        String description = e.hasNonNull("description") ? e.get("description").asText() : "";
        return json(201, store.addExpense(Validation.code(e, "cost_centre"), Validation.date(e, "spent_on"),
            Validation.amount(e, "amount", false), description, category));
      case "/categories":
        if (!version.hasCategories()) {
          throw new ApiException(404, "expense categories arrive in v1.4.0; this is " + version.appVersion());
        }
        if (m.equals("GET")) {
          return json(200, store.categories());
        }
        requirePost(m);
        JsonNode c = body(r);
        return json(201, store.addCategory(Validation.code(c, "code"), Validation.text(c, "name")));
      case "/totals":
        requireGet(m);
        return json(200, store.totals(Validation.period(r.query().get("period"), "period")));
      case "/reports":
        if (m.equals("GET")) {
          return json(200, store.reports());
        }
        requirePost(m);
        String period = Validation.period(text(body(r), "period"), "period");
        jobs.enqueue(Jobs.monthlyReportJob(period));
        return json(202, Map.of("queued", "monthly-report", "period", period));
      case "/forecast": {
        requireModule("forecasting");
        requireGet(m);
        int months = parseMonths(r.query().get("months"));
        return json(200, Map.of("months", months, "forecast", Forecast.project(store.monthlySpend(), months)));
      }
      case "/integrations": {
        // each integration's state, never a secret: what budgetctl status shows
        requireGet(m);
        return json(200, integrations.get().stream().map(IntegrationStatus::toMap).toList());
      }
      case "/integrations/1c/export": {
        requireModule("integrations-1c");
        requireGet(m);
        String p = Validation.period(r.query().get("period"), "period");
        return new Response(200, "text/csv; charset=utf-8",
            OneCExchange.csv(store.expenses(p, false)).getBytes(StandardCharsets.UTF_8));
      }
      case "/sso/config":
        requireModule("sso");
        requireGet(m);
        return json(200, Map.of("enabled", true, "protocols", List.of("saml2", "oidc")));
      default:
        throw new ApiException(404, "no such endpoint: " + r.method() + " " + r.path());
    }
  }

  private LocalDate today() {
    return LocalDate.now(clock);
  }

  private void requireModule(String module) {
    Licence l = licence.get();
    if (!l.allows(module, today())) {
      throw new ApiException(403, "module '" + module + "' is not licensed for " + l.customer()
          + (l.modules().contains(module) ? " (licence expired " + l.expires() + ")" : ""));
    }
  }

  private static int parseMonths(String v) {
    if (v == null) {
      return 3;
    }
    try {
      int i = Integer.parseInt(v);
      if (i >= 1 && i <= 24) {
        return i;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new ApiException(400, "months must be 1..24, got '" + v + "'");
  }

  private static void requirePost(String m) {
    if (!m.equals("POST")) {
      throw new ApiException(405, "method " + m + " not allowed here (GET or POST)");
    }
  }

  private static void requireGet(String m) {
    if (!m.equals("GET")) {
      throw new ApiException(405, "method " + m + " not allowed here (GET)");
    }
  }

  private static String text(JsonNode body, String field) {
    JsonNode n = body.get(field);
    return n == null || !n.isTextual() ? null : n.asText();
  }

  private static JsonNode body(Request r) {
    if (r.body() == null || r.body().length == 0) {
      throw new ApiException(400, "a JSON object body is required");
    }
    try {
      JsonNode n = JSON.readTree(r.body());
      if (n == null || !n.isObject()) {
        throw new ApiException(400, "the body must be a JSON object");
      }
      return n;
    } catch (IOException e) {
      throw new ApiException(400, "the body is not valid JSON");
    }
  }

  static Response json(int status, Object body) {
    try {
      return new Response(status, "application/json", JSON.writeValueAsBytes(body == null ? JsonNodeFactory.instance.nullNode() : body));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static YearMonth month(String p) {
    return YearMonth.parse(p);
  }
}
