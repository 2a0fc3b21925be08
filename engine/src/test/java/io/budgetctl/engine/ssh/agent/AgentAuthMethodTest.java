package io.budgetctl.engine.ssh.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AgentAuthMethodTest {

    @Test
    void rsa_sha2_algorithms_ask_the_agent_for_their_hash_and_others_for_the_default() {
        assertThat(AgentAuthMethod.flagsFor("rsa-sha2-512")).isEqualTo(4);
        assertThat(AgentAuthMethod.flagsFor("rsa-sha2-256")).isEqualTo(2);
        assertThat(AgentAuthMethod.flagsFor("rsa-sha2-512-cert-v01@openssh.com")).isEqualTo(4);
        assertThat(AgentAuthMethod.flagsFor("ssh-rsa")).isZero();
        assertThat(AgentAuthMethod.flagsFor("ssh-ed25519")).isZero();
        assertThat(AgentAuthMethod.flagsFor("ecdsa-sha2-nistp256")).isZero();
    }

    @Test
    void a_certificate_algorithm_signs_as_its_plain_key_algorithm() {
        assertThat(AgentAuthMethod.signatureAlgorithmFor("rsa-sha2-256-cert-v01@openssh.com"))
                .isEqualTo("rsa-sha2-256");
        assertThat(AgentAuthMethod.signatureAlgorithmFor("ssh-ed25519-cert-v01@openssh.com"))
                .isEqualTo("ssh-ed25519");
        assertThat(AgentAuthMethod.signatureAlgorithmFor("ecdsa-sha2-nistp256")).isEqualTo("ecdsa-sha2-nistp256");
    }
}
