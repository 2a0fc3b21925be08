package io.budgetctl.itbm;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.YearMonth;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The 1C exchange: the month's expenses as CSV (the same format as {@code GET /api/integrations/1c/export}), POSTed
 * to {@code <ONEC_BASE_URL>/expenses?period=YYYY-MM} with HTTP basic auth from the "user:password" credentials. The
 * worker runs it on ONEC_SCHEDULE and once shortly after it starts.
 */
final class OneCExchange {
  private final IntegrationSettings.OneC onec;
  private final HttpClient http;

  OneCExchange(IntegrationSettings.OneC onec) {
    this.onec = onec;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /** Non-secret details for the status: base URL, schedule, user. */
  Map<String, Object> details() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("base_url", onec.baseUrl().toString());
    d.put("schedule", onec.schedule().toString());
    onec.user().ifPresent(u -> d.put("user", u));
    return d;
  }

  /** The CSV of {@code rows} (Store#expenses): header, then one line per expense, CRLF, ';' separated. */
  static String csv(List<Map<String, Object>> rows) {
    StringBuilder csv = new StringBuilder("cost_centre;spent_on;amount;description\r\n");
    for (Map<String, Object> row : rows) {
      csv.append(row.get("cost_centre")).append(';').append(row.get("spent_on")).append(';')
          .append(row.get("amount")).append(';')
          .append(String.valueOf(row.get("description")).replace(';', ',').replace('\n', ' ').replace('\r', ' '))
          .append("\r\n");
    }
    return csv.toString();
  }

  /** The endpoint for {@code period}. */
  URI endpoint(String period) {
    String base = onec.baseUrl().toString().replaceAll("/+$", "");
    return URI.create(base + "/expenses?period=" + URLEncoder.encode(period, StandardCharsets.UTF_8));
  }

  /** Runs one exchange of the current month and says how it went. */
  IntegrationStatus run(Store store, Clock clock) {
    return run(p -> store.expenses(p, false), clock);
  }

  /** As {@link #run(Store, Clock)}, with the month's expenses from {@code expenses}. */
  IntegrationStatus run(Function<String, List<Map<String, Object>>> expenses, Clock clock) {
    String period = YearMonth.now(clock).toString();
    Map<String, Object> details = details();
    details.put("last_period", period);
    if (onec.credentials().isEmpty() || onec.user().isEmpty()) {
      return IntegrationStatus.failing("onec", onec.credentials().isEmpty()
          ? "no credentials: ONEC_CREDENTIALS_FILE is empty (integrations.onec.credentials)"
          : "the credentials are not user:password", clock.instant(), details);
    }
    List<Map<String, Object>> rows;
    try {
      rows = expenses.apply(period);
    } catch (RuntimeException e) {
      return IntegrationStatus.failing("onec", "cannot read the expenses of " + period + ": " + e.getMessage(),
          clock.instant(), details);
    }
    URI uri = endpoint(period);
    HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
            onec.credentials().get().getBytes(StandardCharsets.UTF_8)))
        .header("Content-Type", "text/csv; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofString(csv(rows), StandardCharsets.UTF_8)).build();
    try {
      HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
      int code = r.statusCode();
      if (code >= 200 && code < 300) {
        return IntegrationStatus.ok("onec", "sent " + rows.size() + " expenses of " + period + " to " + uri.getHost()
            + " (HTTP " + code + ")", clock.instant(), details);
      }
      String why = code == 401 || code == 403 ? "1C refused the credentials of user " + onec.user().get()
          : "1C answered";
      return IntegrationStatus.failing("onec", redact(why + " (HTTP " + code + " from " + uri.getHost() + ":"
          + port(uri) + ")"), clock.instant(), details);
    } catch (IOException e) {
      return IntegrationStatus.failing("onec", redact("cannot reach " + uri.getHost() + ":" + port(uri) + ": "
          + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + Mailer.oneLine(e.getMessage()))),
          clock.instant(), details);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return IntegrationStatus.failing("onec", "interrupted", clock.instant(), details);
    }
  }

  private static int port(URI u) {
    return u.getPort() > 0 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80;
  }

  private String redact(String s) {
    return IntegrationStatus.redact(s, onec.credentials().stream().toList());
  }
}
