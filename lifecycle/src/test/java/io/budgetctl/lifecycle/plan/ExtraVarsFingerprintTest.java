package io.budgetctl.lifecycle.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.lifecycle.repo.DeploymentsRepository;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The operator's -e values are configuration: they change the fingerprint, as digests, and repeat to the same one. */
class ExtraVarsFingerprintTest {
    final DeploymentsRepository repo = DeploymentsRepository.open(DesiredVersionTest.EXAMPLE);

    @Test
    void anOverrideChangesTheFingerprintAndTheSameOverrideGivesTheSameOne() {
        // given
        DesiredState plain = DesiredState.of(repo, "beta", "v1.4.0", "");
        Map<String, Object> e = Map.of("itbm_env_overrides", Map.of("REDIS_URL", "redis://nowhere:6379"));
        // when
        DesiredState once = plain.withExtraVars(e);
        DesiredState twice = DesiredState.of(repo, "beta", "v1.4.0", "").withExtraVars(Map.of(
                "itbm_env_overrides", Map.of("REDIS_URL", "redis://nowhere:6379")));
        DesiredState other = plain.withExtraVars(Map.of("itbm_env_overrides", Map.of("REDIS_URL", "redis://r:6379")));
        // then
        assertThat(once.fingerprint()).isNotEqualTo(plain.fingerprint()).isEqualTo(twice.fingerprint())
                .isNotEqualTo(other.fingerprint());
        assertThat(plain.withExtraVars(Map.of()).fingerprint()).isEqualTo(plain.fingerprint());
    }

    @Test
    void howTheHostIsReachedAndHowLongTheDeployWaitsAreNotConfiguration() {
        // given: what a fleet run passes to every deploy (the operator's key and known hosts, a shorter candidate
        // check), which a later run without them must find up to date
        DesiredState plain = DesiredState.of(repo, "beta", "v1.4.0", "");
        Map<String, Object> access = Map.of("ansible_ssh_private_key_file", "/home/ivan/.ssh/customers",
                "budgetctl_known_hosts", "/home/ivan/known_hosts", "itbm_candidate_timeout", 60,
                "itbm_health_timeout", "600", "itbm_keep_releases", 2);
        // when
        DesiredState withAccess = plain.withExtraVars(access);
        Map<String, Object> mixed = new java.util.HashMap<>(access);
        mixed.put("itbm_env_overrides", Map.of("REDIS_URL", "redis://nowhere:6379"));
        // then
        assertThat(withAccess.fingerprint()).isEqualTo(plain.fingerprint());
        assertThat(withAccess.settings()).doesNotContainKeys("extra_vars.ansible_ssh_private_key_file",
                "extra_vars.itbm_candidate_timeout");
        assertThat(plain.withExtraVars(mixed).fingerprint()).isNotEqualTo(plain.fingerprint())
                .isEqualTo(plain.withExtraVars(Map.of("itbm_env_overrides",
                        Map.of("REDIS_URL", "redis://nowhere:6379"))).fingerprint());
    }

    @Test
    void anOverrideIsRecordedAsADigestNeverItsValue() {
        DesiredState s = DesiredState.of(repo, "beta", "v1.4.0", "")
                .withExtraVars(Map.of("smtp_password", "hunter2-very-secret", "hosts", List.of("a", "b")));
        assertThat(s.settings()).containsKeys("extra_vars.smtp_password", "extra_vars.hosts");
        assertThat(s.settings().get("extra_vars.smtp_password")).startsWith("sha256:").hasSize(7 + 64);
        assertThat(s.settings().toString()).doesNotContain("hunter2");
    }
}
