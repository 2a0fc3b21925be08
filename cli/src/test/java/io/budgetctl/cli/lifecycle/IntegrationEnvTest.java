package io.budgetctl.cli.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.budgetctl.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The integrations' part of the release's {@code .env}: roles/compose-up/tasks/env.yml (the same tasks deploy runs,
 * through {@code include_role}) against localhost. Every configured setting becomes its variable, nothing else does,
 * no secret or reference is written, and a value that could end the line, quote or interpolate stops the run before
 * {@code .env} exists, naming the setting.
 */
class IntegrationEnvTest {
    @TempDir
    Path tmp;

    record Run(int code, String output, Path envFile) {
        String env() throws Exception {
            return Files.readString(envFile);
        }
    }

    private Run render(Map<String, Object> integrations) throws Exception {
        Path repo = LifecycleRolesIT.repo();
        Path release = Files.createDirectories(tmp.resolve("release"));
        Path playbook = Files.writeString(tmp.resolve("env.yml"), String.join("\n",
                "- hosts: all",
                "  gather_facts: false",
                "  vars_files:",
                "    - " + repo.resolve("playbooks/vars/itbm.yml"),
                "  tasks:",
                "    - include_role:",
                "        name: " + repo.resolve("roles/compose-up"),
                "        tasks_from: env",
                ""));
        Path inventory = Files.writeString(tmp.resolve("hosts.yml"),
                "all:\n  hosts:\n    pilot:\n      ansible_connection: local\n");
        Map<String, Object> client = new LinkedHashMap<>(Map.of("id", "pilot", "domain", "budget.pilot.example"));
        if (integrations != null) {
            client.put("integrations", integrations);
        }
        Map<String, Object> vars = Map.of("client", "pilot", "itbm_client", client, "itbm_release_dir",
                release.toString(), "itbm_release", "v1.4.0-20261206T100000Z", "itbm_version", "v1.4.0");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), new String[] {"run", "-i",
            inventory.toString(), playbook.toString(), "-e", new ObjectMapper().writeValueAsString(vars)});
        return new Run(code, out + "\n" + err, release.resolve(".env"));
    }

    static Map<String, Object> all() {
        return Map.of(
                "smtp", Map.of("host", "smtp.acme.example", "port", 2525, "user", "itbm-mailer",
                        "password", "sops:secrets/acme.sops.yaml#smtp_password", "sender", "budget@acme.example",
                        "starttls", false, "recipients", List.of("fin@acme.example", "it@acme.example")),
                "sso", Map.of("protocol", "oidc", "issuer", "https://login.acme.example/realms/staff",
                        "client_id", "itbm", "client_secret", "sops:secrets/acme.sops.yaml#oidc_client_secret",
                        "scopes", List.of("openid", "email"), "ca", "sops:secrets/acme.sops.yaml#oidc_ca"),
                "onec", Map.of("base_url", "http://1c.acme.internal/buh/hs/itbm",
                        "credentials", "sops:secrets/acme.sops.yaml#onec_credentials", "schedule", "30 2 * * *"));
    }

    @Test
    void everyConfiguredSettingBecomesItsVariableAndNoReferenceIsWritten() throws Exception {
        // when
        Run r = render(all());
        // then
        assertThat(r.code()).as(r.output()).isZero();
        assertThat(r.env().lines().filter(l -> l.matches("(SMTP|OIDC|ONEC)_.*")).toList()).containsExactly(
                "SMTP_HOST=smtp.acme.example",
                "SMTP_PORT=2525",
                "SMTP_USER=itbm-mailer",
                "SMTP_SENDER=budget@acme.example",
                "SMTP_STARTTLS=false",
                "SMTP_RECIPIENTS=fin@acme.example,it@acme.example",
                "OIDC_ISSUER=https://login.acme.example/realms/staff",
                "OIDC_CLIENT_ID=itbm",
                "OIDC_SCOPES=openid,email",
                "ONEC_BASE_URL=http://1c.acme.internal/buh/hs/itbm",
                "ONEC_SCHEDULE=30 2 * * *");
        assertThat(r.env().lines().filter(l -> !l.startsWith("#")).toList().toString())
                .doesNotContain("sops:", "password", "secret", "_FILE");
    }

    @Test
    void defaultsAreWrittenOutAndAnUnconfiguredIntegrationWritesNothing() throws Exception {
        // given: only SMTP, with the fewest settings; SAML single sign-on has no variables in this build
        Run r = render(Map.of("smtp", Map.of("host", "mail", "sender", "a@b.example"),
                "sso", Map.of("protocol", "saml", "idp_metadata_url", "https://idp.example/md", "entity_id", "itbm")));
        // then
        assertThat(r.code()).as(r.output()).isZero();
        assertThat(r.env()).contains("SMTP_HOST=mail\nSMTP_PORT=587\nSMTP_USER=\nSMTP_SENDER=a@b.example\n"
                + "SMTP_STARTTLS=true\nSMTP_RECIPIENTS=\n").doesNotContain("OIDC_", "ONEC_");
        Run none = render(null);
        assertThat(none.code()).as(none.output()).isZero();
        assertThat(none.env()).doesNotContain("SMTP_", "OIDC_", "ONEC_");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aNewlineInAValueCannotAddAVariableTheRunStopsNamingTheSetting() throws Exception {
        // given
        Map<String, Object> i = new LinkedHashMap<>(all());
        Map<String, Object> smtp = new LinkedHashMap<>((Map<String, Object>) i.get("smtp"));
        smtp.put("host", "smtp.acme.example\nDATABASE_URL=jdbc:postgresql://evil/itbm");
        i.put("smtp", smtp);
        // when
        Run r = render(i);
        // then
        assertThat(r.code()).as(r.output()).isEqualTo(2);
        assertThat(r.output()).contains("integrations.smtp.host of pilot cannot go into .env as written")
                .contains("docs/integrations.md");
        assertThat(r.envFile()).doesNotExist();
    }

    @Test
    void quotesDollarsHashesAndABrokenScheduleAreRefusedToo() throws Exception {
        for (Object[] bad : List.of(
                new Object[] {"smtp", "sender", "budget$(id)@acme.example", "integrations.smtp.sender"},
                new Object[] {"smtp", "user", "itbm\"mailer", "integrations.smtp.user"},
                new Object[] {"sso", "issuer", "https://login.acme.example/#${DATABASE_URL}", "integrations.sso.issuer"},
                new Object[] {"sso", "client_id", "it bm", "integrations.sso.client_id"},
                new Object[] {"onec", "base_url", "http://1c.acme.internal/'x'", "integrations.onec.base_url"},
                new Object[] {"onec", "schedule", "30 2 * * *\nX=1", "integrations.onec.schedule"},
                new Object[] {"sso", "client_id", "itbm\n", "integrations.sso.client_id"},
                new Object[] {"smtp", "host", "smtp.acme.example\r", "integrations.smtp.host"})) {
            // given
            Map<String, Object> i = new LinkedHashMap<>(all());
            @SuppressWarnings("unchecked")
            Map<String, Object> section = new LinkedHashMap<>((Map<String, Object>) i.get((String) bad[0]));
            section.put((String) bad[1], bad[2]);
            i.put((String) bad[0], section);
            // when
            Run r = render(i);
            // then
            assertThat(r.code()).as(bad[3] + ": " + r.output()).isEqualTo(2);
            assertThat(r.output()).contains(bad[3] + " of pilot cannot go into .env as written");
            assertThat(r.envFile()).doesNotExist();
        }
    }
}
