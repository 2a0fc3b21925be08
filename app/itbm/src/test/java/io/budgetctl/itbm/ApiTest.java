package io.budgetctl.itbm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The API's rules that are decided before any SQL runs (the store is absent here; ApiIT covers the database). */
class ApiTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);

  private static Api api(String version, Licence licence) {
    return new Api(AppVersion.of(version, "abc123"), licence, null, null,
        () -> new Api.Readiness(true, true, 2, AppVersion.of(version, "x").expectedSchema()), CLOCK);
  }

  private static Api.Response call(Api api, String method, String path, String body) {
    return api.handle(new Api.Request(method, path, Map.of(), body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8)));
  }

  private static String text(Api.Response r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  @Test
  void unlicensedModuleAnswers403AndNamesTheModule() {
    // given
    Api api = api("v1.4.0", new Licence("acme", LocalDate.of(2027, 1, 1), Set.of("sso")));

    // when
    Api.Response forecast = call(api, "GET", "/api/forecast", null);
    Api.Response export = call(api, "GET", "/api/integrations/1c/export", null);
    Api.Response sso = call(api, "GET", "/api/sso/config", null);

    // then
    assertThat(forecast.status()).isEqualTo(403);
    assertThat(text(forecast)).contains("module 'forecasting' is not licensed for acme");
    assertThat(export.status()).isEqualTo(403);
    assertThat(sso.status()).isEqualTo(200);
  }

  @Test
  void expiredLicenceTurnsItsModulesOff() {
    // given
    Api api = api("v1.4.0", new Licence("acme", LocalDate.of(2026, 11, 26), Set.of("sso")));

    // when
    Api.Response sso = call(api, "GET", "/sso/config", null);

    // then
    assertThat(sso.status()).isEqualTo(403);
    assertThat(text(sso)).contains("expired 2026-11-26");
  }

  @Test
  void versionReportsBuildSchemaAndActiveModules() {
    // given
    Api api = api("1.3.2", new Licence("acme", LocalDate.of(2027, 1, 1), Set.of("sso", "forecasting")));

    // when
    Api.Response r = call(api, "GET", "/version", null);

    // then
    assertThat(r.status()).isEqualTo(200);
    assertThat(text(r)).contains("\"version\":\"v1.3.2\"", "\"git_sha\":\"abc123\"", "\"expected_schema\":2",
        "\"modules\":[\"forecasting\",\"sso\"]");
  }

  @Test
  void readyzIs503WhileTheSchemaIsNotTheExpectedOne() {
    // given: a v1.4.0 backend on a database still at V2
    Api api = api("v1.4.0", Licence.none());

    // when
    Api.Response r = call(api, "GET", "/readyz", null);

    // then
    assertThat(r.status()).isEqualTo(503);
    assertThat(text(r)).contains("\"schema\":2", "\"expected_schema\":3");
    assertThat(call(api("v1.3.2", Licence.none()), "GET", "/api/readyz", null).status()).isEqualTo(200);
  }

  @Test
  void badInputIs400NamingTheField() {
    // given
    Api api = api("v1.3.2", Licence.none());

    // when / then
    assertThat(text(call(api, "POST", "/api/expenses", "{\"cost_centre\":\"IT\",\"spent_on\":\"2026-10-01\",\"amount\":\"-5\"}")))
        .contains("amount must be more than zero");
    assertThat(text(call(api, "POST", "/api/expenses", "{\"cost_centre\":\"IT\",\"spent_on\":\"yesterday\",\"amount\":5}")))
        .contains("spent_on must be a date as YYYY-MM-DD");
    assertThat(text(call(api, "POST", "/api/budgets", "{\"cost_centre\":\"IT\",\"period\":\"2026-13\",\"amount\":5}")))
        .contains("period must be a month as YYYY-MM, got '2026-13'");
    assertThat(text(call(api, "POST", "/api/budgets", "{\"cost_centre\":\"IT\",\"period\":\"2026-12\",\"amount\":1.005}")))
        .contains("more than two decimals");
    assertThat(call(api, "POST", "/api/cost-centres", "[1]").status()).isEqualTo(400);
    assertThat(call(api, "POST", "/api/cost-centres", "{").status()).isEqualTo(400);
    assertThat(call(api, "DELETE", "/api/cost-centres", null).status()).isEqualTo(405);
    assertThat(call(api, "GET", "/api/nothing", null).status()).isEqualTo(404);
  }

  @Test
  void categoriesExistFromV140Only() {
    // given
    Api old = api("v1.3.2", Licence.none());

    // when
    Api.Response categories = call(old, "GET", "/api/categories", null);
    Api.Response categorised = call(old, "POST", "/api/expenses",
        "{\"cost_centre\":\"IT\",\"spent_on\":\"2026-10-01\",\"amount\":5,\"category\":\"cloud\"}");

    // then
    assertThat(categories.status()).isEqualTo(404);
    assertThat(text(categories)).contains("arrive in v1.4.0");
    assertThat(categorised.status()).isEqualTo(400);
  }

  @Test
  void integrationsListEachStateWithoutLicenceOrSecretAndOnlyOnGet() {
    // given: the backend's own OIDC result and the worker's reports as BackendIntegrations#all hands them over
    Api api = new Api(AppVersion.of("v1.4.0", "abc123"), () -> Licence.none(), null, null,
        () -> new Api.Readiness(true, true, 3, 3), CLOCK, () -> java.util.List.of(
            IntegrationStatus.ok("smtp", "connected and authenticated as itbm-mailer", CLOCK.instant(),
                Map.of("host", "smtp.acme.example:587")),
            IntegrationStatus.notConfigured("sso"),
            IntegrationStatus.unknown("onec", "no report from the worker in the last 180 s: is it running?")));
    // when
    Api.Response r = call(api, "GET", "/api/integrations", null);
    // then
    assertThat(r.status()).isEqualTo(200);
    assertThat(text(r)).isEqualTo("[{\"name\":\"smtp\",\"configured\":true,\"state\":\"ok\",\"reason\":"
        + "\"connected and authenticated as itbm-mailer\",\"last_checked\":\"2026-11-27T10:00:00Z\","
        + "\"host\":\"smtp.acme.example:587\"},{\"name\":\"sso\",\"configured\":false,\"state\":"
        + "\"not_configured\",\"reason\":\"not set in the client file\",\"last_checked\":null},{\"name\":"
        + "\"onec\",\"configured\":null,\"state\":\"unknown\",\"reason\":\"no report from the worker in the"
        + " last 180 s: is it running?\",\"last_checked\":null}]");
    assertThat(call(api, "POST", "/integrations", "{}").status()).isEqualTo(405);
  }
}
