package io.budgetctl.lifecycle.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The plan between a desired state and a fake "what runs" record, and its text and JSON (golden files under
 * src/test/resources/plan; {@code -Dgolden.update=true} rewrites them, then review the git diff).
 */
class PlanTest {
    static final Path DIR = Path.of("src/test/resources/plan");

    /** A client configuration as the repository merges it. */
    static Map<String, Object> client(String smtpHost, String smtpPassword, List<String> modules) {
        Map<String, Object> smtp = new LinkedHashMap<>();
        smtp.put("host", smtpHost);
        smtp.put("port", 587);
        smtp.put("password", smtpPassword);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", "acme");
        c.put("version", "v1.4.0");
        c.put("environment", "production");
        c.put("domain", "budget.acme.example");
        c.put("ssh", Map.of("user", "itbm", "key", "sops:secrets/acme.sops.yaml#ssh_key"));
        c.put("modules", modules);
        c.put("limits", Map.of("users", 250));
        c.put("integrations", Map.of("smtp", smtp));
        c.put("tags", Map.of("ring", 1));
        return c;
    }

    static final Map<String, Object> BASE = client("smtp.acme.example", "sops:secrets/acme.sops.yaml#smtp_password",
            List.of("forecasting", "reporting"));

    static DesiredState desired(String version, Map<String, Object> client) {
        return new DesiredState(version, "registry.example/itbm", DesiredState.settings(client));
    }

    /** What the host's release.json would say after deploying {@code d}. */
    static RunningState runningAs(DesiredState d) {
        return new RunningState(d.version() + "-20261201T000000Z", d.version(), "ok", d.fingerprint(), d.settings());
    }

    @Test
    void theSameVersionAndSettingsAreInSyncAndExitZero() {
        // given
        DesiredState d = desired("v1.4.0", BASE);
        // when
        Plan p = Plan.of("acme", d, runningAs(d));
        // then
        assertThat(p.inSync()).isTrue();
        assertThat(PlanText.exitCode(p)).isZero();
        assertThat(p.restarts()).isEmpty();
        assertGolden("in-sync.txt", PlanText.human(p));
    }

    @Test
    void eachSettingRestartsOnlyTheServicesTheComposeFilePassesItTo() {
        assertThat(Plan.services("integrations.smtp.host")).containsExactly("worker");
        assertThat(Plan.services("integrations.onec.base_url")).containsExactly("worker");
        assertThat(Plan.services("integrations.sso.client_id")).containsExactly("backend");
        assertThat(Plan.services("heartbeat.interval")).containsExactly("scheduler");
        assertThat(Plan.services("heartbeat.instance_id")).containsExactly("backend", "scheduler", "worker");
        assertThat(Plan.services("domain")).containsExactly("ingress");
        assertThat(Plan.services("database.host")).containsExactly("backend", "scheduler", "worker");
        assertThat(Plan.services("modules[1]")).containsExactly("backend", "scheduler", "worker");
    }

    @Test
    void aSettingChangeRestartsTheApplicationServicesOnlyAndMasksSecrets() {
        // given
        DesiredState before = desired("v1.4.0", BASE);
        Map<String, Object> changed = client("smtp2.acme.example", "sops:secrets/acme.sops.yaml#smtp_password_2",
                List.of("forecasting", "reporting", "audit"));
        // when
        Plan p = Plan.of("acme", desired("v1.4.0", changed), runningAs(before));
        // then
        assertThat(p.inSync()).isFalse();
        assertThat(PlanText.exitCode(p)).isEqualTo(2);
        assertThat(p.restarts()).containsExactly("backend", "scheduler", "worker");
        assertThat(p.migrations()).isEqualTo("none");
        String text = PlanText.human(p);
        String json = PlanText.json(p);
        for (String out : List.of(text, json)) {
            assertThat(out).doesNotContain("smtp_password").doesNotContain("sha256").doesNotContain("sops:");
        }
        assertGolden("config-change.txt", text);
        assertGolden("config-change.json", json);
    }

    @Test
    void aDomainChangeRestartsTheIngressOnly() {
        Map<String, Object> changed = new LinkedHashMap<>(BASE);
        changed.put("domain", "itbm.acme.example");
        Plan p = Plan.of("acme", desired("v1.4.0", changed), runningAs(desired("v1.4.0", BASE)));
        assertThat(p.restarts()).containsExactly("ingress");
        assertThat(p.changes()).extracting(Plan.Change::path).containsExactly("domain");
    }

    @Test
    void anUpgradeRestartsAllButTheIngressAndItsMigrationsAreUnknown() {
        Plan p = Plan.of("acme", desired("v1.4.0", BASE), runningAs(desired("v1.3.2", BASE)));
        assertThat(p.inSync()).isFalse();
        assertThat(p.restarts()).containsExactly("backend", "frontend", "scheduler", "worker");
        assertThat(p.migrations()).isEqualTo("unknown");
        assertGolden("upgrade.txt", PlanText.human(p));
    }

    @Test
    void anUpgradeWithANewDomainRestartsTheIngressToo() {
        Map<String, Object> changed = new LinkedHashMap<>(BASE);
        changed.put("domain", "itbm.acme.example");
        Plan p = Plan.of("acme", desired("v1.4.0", changed), runningAs(desired("v1.3.2", BASE)));
        assertThat(p.restarts()).containsExactly("backend", "frontend", "ingress", "scheduler", "worker");
    }

    @Test
    void aFreshServerGetsEverySetting() {
        Plan p = Plan.of("acme", desired("v1.4.0", BASE), RunningState.none());
        assertThat(p.inSync()).isFalse();
        assertThat(p.changes()).allMatch(c -> c.kind().equals("added"));
        assertGolden("fresh.txt", PlanText.human(p));
    }

    @Test
    void aReleaseRecordedWithoutSettingsIsNeverInSync() {
        // given: release.json written before fingerprints existed
        RunningState old = RunningState.fromRecord(Map.of("version", "v1.4.0", "release", "v1.4.0-x",
                "result", "ok"));
        // when
        Plan p = Plan.of("acme", desired("v1.4.0", BASE), old);
        // then
        assertThat(p.settingsKnown()).isFalse();
        assertThat(p.inSync()).isFalse();
        assertThat(PlanText.human(p)).contains("settings:   unknown");
    }

    @Test
    void aReleaseThatDidNotPassItsHealthGateIsNeverInSync() {
        DesiredState d = desired("v1.4.0", BASE);
        RunningState pending = new RunningState("v1.4.0-x", "v1.4.0", "pending", d.fingerprint(), d.settings());
        Plan p = Plan.of("acme", d, pending);
        assertThat(p.inSync()).isFalse();
        assertThat(PlanText.exitCode(p)).isEqualTo(2);
        assertThat(p.restarts()).contains("backend", "ingress");
        assertThat(PlanText.human(p)).contains("did not pass its health gate (result: pending)");
    }

    @Test
    void theFingerprintFollowsVersionSettingsAndImagesButNotTagsOrSsh() {
        DesiredState d = desired("v1.4.0", BASE);
        Map<String, Object> retagged = new LinkedHashMap<>(BASE);
        retagged.put("tags", Map.of("ring", 2));
        retagged.put("ssh", Map.of("user", "other"));
        assertThat(desired("v1.4.0", retagged).fingerprint()).isEqualTo(d.fingerprint());
        assertThat(desired("v1.4.1", BASE).fingerprint()).isNotEqualTo(d.fingerprint());
        assertThat(new DesiredState("v1.4.0", "other/itbm", d.settings()).fingerprint()).isNotEqualTo(d.fingerprint());
        Map<String, Object> limits = new LinkedHashMap<>(BASE);
        limits.put("limits", Map.of("users", 251));
        assertThat(desired("v1.4.0", limits).fingerprint()).isNotEqualTo(d.fingerprint());
    }

    @Test
    void secretsAreRecordedAsDigestsOfTheirReference() {
        Map<String, String> s = DesiredState.settings(BASE);
        assertThat(s.get("integrations.smtp.password")).startsWith(DesiredState.SECRET_PREFIX)
                .doesNotContain("smtp_password");
        assertThat(s).containsEntry("integrations.smtp.host", "smtp.acme.example")
                .containsEntry("modules", "[forecasting, reporting]")
                .doesNotContainKeys("ssh.key", "tags.ring", "version", "id");
    }

    static void assertGolden(String name, String actual) {
        Path file = DIR.resolve(name);
        try {
            if (Boolean.getBoolean("golden.update")) {
                Files.createDirectories(DIR);
                Files.writeString(file, actual, StandardCharsets.UTF_8);
            }
            assertThat(actual).as("golden file %s (regenerate with -Dgolden.update=true and review)", name)
                    .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
