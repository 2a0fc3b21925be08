package io.budgetctl.itbm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IntegrationSettingsTest {
  @TempDir
  Path dir;

  @Test
  void nothingSetMeansNothingConfigured() {
    IntegrationSettings s = IntegrationSettings.fromEnvironment(Map.of());
    assertThat(s.smtp()).isEmpty();
    assertThat(s.oidc()).isEmpty();
    assertThat(s.onec()).isEmpty();
  }

  @Test
  void allThreeFromTheVariablesDeployRendersWithSecretsFromFiles() throws Exception {
    // given: what .env and the compose file give the containers
    Files.writeString(dir.resolve("smtp_password"), "mail-pw\n");
    Files.writeString(dir.resolve("oidc_client_secret"), "oidc-secret");
    Files.writeString(dir.resolve("onec_credentials"), "exchange:p:w");
    Map<String, String> env = Map.ofEntries(Map.entry("SMTP_HOST", "smtp.acme.example"),
        Map.entry("SMTP_PORT", "2525"), Map.entry("SMTP_USER", "itbm-mailer"),
        Map.entry("SMTP_PASSWORD_FILE", dir.resolve("smtp_password").toString()),
        Map.entry("SMTP_SENDER", "budget@acme.example"), Map.entry("SMTP_STARTTLS", "false"),
        Map.entry("OIDC_ISSUER", "https://login.acme.example/realms/staff"), Map.entry("OIDC_CLIENT_ID", "itbm"),
        Map.entry("OIDC_CLIENT_SECRET_FILE", dir.resolve("oidc_client_secret").toString()),
        Map.entry("OIDC_SCOPES", "openid,email"),
        Map.entry("ONEC_BASE_URL", "http://1c.delta.internal/buh/hs/itbm"),
        Map.entry("ONEC_CREDENTIALS_FILE", dir.resolve("onec_credentials").toString()),
        Map.entry("ONEC_SCHEDULE", "30 2 * * *"));
    // when
    IntegrationSettings s = IntegrationSettings.fromEnvironment(env);
    // then
    IntegrationSettings.Smtp smtp = s.smtp().orElseThrow();
    assertThat(smtp.host()).isEqualTo("smtp.acme.example");
    assertThat(smtp.port()).isEqualTo(2525);
    assertThat(smtp.password()).contains("mail-pw");
    assertThat(smtp.starttls()).isFalse();
    assertThat(smtp.recipients()).containsExactly("budget@acme.example");
    IntegrationSettings.Oidc oidc = s.oidc().orElseThrow();
    assertThat(oidc.issuer().toString()).isEqualTo("https://login.acme.example/realms/staff");
    assertThat(oidc.scopes()).containsExactly("openid", "email");
    assertThat(oidc.clientSecret()).contains("oidc-secret");
    assertThat(oidc.caFile()).isEmpty();
    IntegrationSettings.OneC onec = s.onec().orElseThrow();
    assertThat(onec.user()).contains("exchange");
    assertThat(onec.schedule()).hasToString("30 2 * * *");
    assertThat(onec.firstRunSeconds()).isEqualTo(10);
    // no secret in what a log line would show
    assertThat(s.toString()).doesNotContain("mail-pw", "oidc-secret", "p:w");
    assertThat(Config.fromEnvironment(env).toString()).doesNotContain("mail-pw", "oidc-secret", "p:w")
        .contains("smtp smtp.acme.example:2525");
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    IntegrationSettings s = IntegrationSettings.fromEnvironment(Map.of("SMTP_HOST", "mail", "SMTP_SENDER",
        "a@b.example", "OIDC_ISSUER", "https://idp.example", "OIDC_CLIENT_ID", "x", "ONEC_BASE_URL",
        "https://1c.example"));
    assertThat(s.smtp().orElseThrow().port()).isEqualTo(587);
    assertThat(s.smtp().get().starttls()).isTrue();
    assertThat(s.smtp().get().user()).isEmpty();
    assertThat(s.oidc().orElseThrow().scopes()).containsExactly("openid", "profile", "email");
    assertThat(s.onec().orElseThrow().schedule()).hasToString("0 * * * *");
  }

  @Test
  void anEmptySecretFileIsNoSecretAndAnEmptyCaFileIsNoCa() throws Exception {
    // deploy writes an empty file for every secret the customer does not use
    Path empty = Files.writeString(dir.resolve("empty"), "");
    IntegrationSettings s = IntegrationSettings.fromEnvironment(Map.of("OIDC_ISSUER", "https://idp.example",
        "OIDC_CLIENT_ID", "x", "OIDC_CLIENT_SECRET_FILE", empty.toString(), "OIDC_CA_FILE", empty.toString(),
        "SMTP_HOST", "", "ONEC_BASE_URL", " "));
    assertThat(s.oidc().orElseThrow().clientSecret()).isEmpty();
    assertThat(s.oidc().get().caFile()).isEmpty();
    assertThat(s.smtp()).isEmpty();
    assertThat(s.onec()).isEmpty();
  }

  @Test
  void malformedValuesStopTheServiceWithOneLineNamingTheVariable() {
    Map<String, String> base = Map.of("SMTP_SENDER", "a@b.example");
    assertThatThrownBy(() -> env(base, "SMTP_HOST", "smtp.example\nX=1")).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("SMTP_HOST=");
    assertThatThrownBy(() -> env(Map.of(), "SMTP_HOST", "smtp.example")).hasMessageContaining("SMTP_SENDER is not");
    assertThatThrownBy(() -> env(Map.of("SMTP_HOST", "m"), "SMTP_SENDER", "nobody")).hasMessageContaining(
        "SMTP_SENDER='nobody' is not a mail address");
    assertThatThrownBy(() -> env(Map.of("SMTP_HOST", "m", "SMTP_SENDER", "a@b.example"), "SMTP_PORT", "70000"))
        .hasMessageContaining("SMTP_PORT='70000' is not a port");
    assertThatThrownBy(() -> env(Map.of("SMTP_HOST", "m", "SMTP_SENDER", "a@b.example"), "SMTP_STARTTLS", "maybe"))
        .hasMessageContaining("SMTP_STARTTLS='maybe' is not true or false");
    assertThatThrownBy(() -> env(Map.of("OIDC_CLIENT_ID", "x"), "OIDC_ISSUER", "http://idp.example"))
        .hasMessageContaining("must be https://");
    assertThatThrownBy(() -> env(Map.of(), "OIDC_ISSUER", "https://idp.example"))
        .hasMessageContaining("OIDC_CLIENT_ID is not");
    assertThatThrownBy(() -> env(Map.of(), "ONEC_BASE_URL", "ftp://1c.example"))
        .hasMessageContaining("not an http:// or https:// URL");
    assertThatThrownBy(() -> env(Map.of(), "ONEC_BASE_URL", "https://user:pw@1c.example"))
        .hasMessageContaining("holds user:password@").hasMessageNotContaining("pw@1c");
    assertThatThrownBy(() -> env(Map.of("ONEC_BASE_URL", "https://1c.example"), "ONEC_SCHEDULE", "0 0 * *"))
        .hasMessageContaining("ONEC_SCHEDULE='0 0 * *' is not a 5-field cron expression");
  }

  @Test
  void recipientsDefaultToTheSenderAndAreChecked() {
    Map<String, String> env = new HashMap<>(Map.of("SMTP_HOST", "m", "SMTP_SENDER", "a@b.example",
        "SMTP_RECIPIENTS", "fin@b.example, it@b.example"));
    assertThat(IntegrationSettings.fromEnvironment(env).smtp().orElseThrow().recipients())
        .isEqualTo(List.of("fin@b.example", "it@b.example"));
    env.put("SMTP_RECIPIENTS", "fin");
    assertThatThrownBy(() -> IntegrationSettings.fromEnvironment(env)).hasMessageContaining("'fin' is not a mail");
  }

  @Test
  void aReasonNeverCarriesTheSecretOrThePasswordHalfOfCredentials() {
    assertThat(IntegrationStatus.redact("535 auth failed for exchange:s3cr3t-pw and s3cr3t-pw",
        List.of("exchange:s3cr3t-pw"))).isEqualTo("535 auth failed for *** and ***");
  }

  private static IntegrationSettings env(Map<String, String> base, String name, String value) {
    Map<String, String> env = new HashMap<>(base);
    env.put(name, value);
    return IntegrationSettings.fromEnvironment(env);
  }
}
