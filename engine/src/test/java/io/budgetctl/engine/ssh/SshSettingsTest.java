package io.budgetctl.engine.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SshSettingsTest {
    private static final Path HOME = Path.of("/home/ops");

    private static SshSettings resolve(Map<String, Object> vars) {
        return SshSettings.resolve("web1", vars, HOME, "ops");
    }

    @Test
    void defaults_are_the_inventory_name_port_22_the_local_user_and_strict_checking() {
        // when
        SshSettings s = resolve(Map.of());

        // then
        assertThat(s.hostname()).isEqualTo("web1");
        assertThat(s.port()).isEqualTo(22);
        assertThat(s.user()).isEqualTo("ops");
        assertThat(s.hostKeyPolicy()).isEqualTo(HostKeyPolicy.STRICT);
        assertThat(s.policyExplicit()).isFalse();
        assertThat(s.knownHostsFiles()).containsExactly(Path.of("/home/ops/.ssh/known_hosts"),
                Path.of("/etc/ssh/ssh_known_hosts"));
        assertThat(s.jumps()).isEmpty();
        assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void ansible_variables_and_ssh_args_are_combined_with_ansible_variables_winning() {
        // given
        Map<String, Object> vars = new HashMap<>();
        vars.put("ansible_host", "10.0.0.5");
        vars.put("ansible_port", 2222);
        vars.put("ansible_user", "deploy");
        vars.put("ansible_ssh_private_key_file", "~/.ssh/customer_a");
        vars.put("ansible_ssh_common_args", "-o Port=1 -o UserKnownHostsFile=~/kh -o StrictHostKeyChecking=accept-new"
                + " -o ProxyJump=ops@bastion:2200,jump2 -o ConnectTimeout=4");
        vars.put("budgetctl_known_hosts", "/repo/known_hosts");
        vars.put("ansible_password", Secret.of("pw"));

        // when
        SshSettings s = resolve(vars);

        // then
        assertThat(s.target()).isEqualTo("deploy@10.0.0.5:2222");
        assertThat(s.identityFiles()).containsExactly(Path.of("/home/ops/.ssh/customer_a"));
        assertThat(s.knownHostsFiles()).containsExactly(Path.of("/home/ops/kh"), Path.of("/repo/known_hosts"),
                Path.of("/etc/ssh/ssh_known_hosts"));
        assertThat(s.hostKeyPolicy()).isEqualTo(HostKeyPolicy.ACCEPT_NEW);
        assertThat(s.jumps()).containsExactly(new Jump("ops", "bastion", 2200), new Jump(null, "jump2", 22));
        assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(s.password().reveal()).isEqualTo("pw");
        assertThat(s.forHop(s.jumps().get(1)).target()).isEqualTo("deploy@jump2:22");
    }

    @Test
    void host_key_checking_off_must_be_explicit() {
        // when
        SshSettings s = resolve(Map.of("ansible_ssh_extra_args", "-o StrictHostKeyChecking=no"));
        SshSettings legacy = resolve(Map.of("ansible_host_key_checking", false));

        // then
        assertThat(s.hostKeyPolicy()).isEqualTo(HostKeyPolicy.OFF);
        assertThat(s.policyExplicit()).isTrue();
        assertThat(legacy.hostKeyPolicy()).isEqualTo(HostKeyPolicy.OFF);
    }

    @Test
    void malformed_variables_are_engine_errors_naming_the_host_and_variable() {
        assertThatThrownBy(() -> resolve(Map.of("ansible_port", "ssh")))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("ansible_port 'ssh' is not a number")
                .satisfies(e -> assertThat(((EngineException) e).oneLine()).startsWith("inventory host web1: "));
        assertThatThrownBy(() -> resolve(Map.of("ansible_ssh_common_args", "-o StrictHostKeyChecking=maybe")))
                .isInstanceOf(EngineException.class).hasMessageContaining("'maybe' is not one of");
        assertThatThrownBy(() -> resolve(Map.of("ansible_ssh_common_args", "-o ProxyCommand='ssh -W %h:%p b'")))
                .isInstanceOf(EngineException.class).hasMessageContaining("ProxyCommand is not supported")
                .satisfies(e -> assertThat(((EngineException) e).hint()).contains("ProxyJump"));
    }

    @Test
    void the_agent_named_by_ssh_auth_sock_is_used_unless_identities_only_or_turned_off() {
        // when
        SshSettings byDefault = resolve(Map.of());
        SshSettings identitiesOnly = resolve(Map.of("ansible_ssh_common_args", "-o IdentitiesOnly=yes"));
        SshSettings identitiesToo = resolve(Map.of("ansible_ssh_common_args", "-o IdentitiesOnly=no"));
        SshSettings off = resolve(Map.of("budgetctl_ssh_agent", false));
        SshSettings offAsText = resolve(Map.of("budgetctl_ssh_agent", "no"));
        SshSettings none = resolve(Map.of("ansible_ssh_extra_args", "-oIdentityAgent=none"));
        SshSettings other = resolve(Map.of("ansible_ssh_extra_args", "-o IdentityAgent=~/.gnupg/S.gpg-agent.ssh"));

        // then
        assertThat(byDefault.identityAgent()).isEqualTo("SSH_AUTH_SOCK");
        assertThat(identitiesOnly.useAgent()).isFalse();
        assertThat(identitiesToo.identityAgent()).isEqualTo("SSH_AUTH_SOCK");
        assertThat(off.useAgent()).isFalse();
        assertThat(offAsText.useAgent()).isFalse();
        assertThat(none.useAgent()).isFalse();
        assertThat(other.identityAgent()).isEqualTo("/home/ops/.gnupg/S.gpg-agent.ssh");
        assertThat(byDefault.forHop(new Jump(null, "b", 22)).identityAgent()).isEqualTo("SSH_AUTH_SOCK");
    }

    @Test
    void malformed_agent_switches_are_engine_errors() {
        assertThatThrownBy(() -> resolve(Map.of("ansible_ssh_common_args", "-o IdentitiesOnly=maybe")))
                .isInstanceOf(EngineException.class).hasMessageContaining("IdentitiesOnly 'maybe' is not yes or no");
        assertThatThrownBy(() -> resolve(Map.of("budgetctl_ssh_agent", "sometimes")))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("budgetctl_ssh_agent 'sometimes' is not true or false");
    }

    @Test
    void every_proxy_jump_hop_keeps_its_own_user_and_port() {
        // given: -J user1@bastion1:2222,user2@bastion2 and a hop without a user, for target deploy@db1:22
        SshSettings target = resolve(Map.of("ansible_host", "db1", "ansible_user", "deploy",
                "ansible_ssh_common_args", "-J user1@bastion1:2222,user2@bastion2,bastion3:2200"));

        // when: the hop the target connects through, and the hop that one connects through, and so on
        SshSettings last = SshConnectionFactory.lastHop(target.jumps(), target);
        SshSettings middle = SshConnectionFactory.lastHop(last.jumps(), last);
        SshSettings first = SshConnectionFactory.lastHop(middle.jumps(), middle);

        // then
        assertThat(last.target()).isEqualTo("deploy@bastion3:2200");
        assertThat(last.jumps()).containsExactly(new Jump("user1", "bastion1", 2222),
                new Jump("user2", "bastion2", 22));
        assertThat(middle.target()).isEqualTo("user2@bastion2:22");
        assertThat(middle.jumps()).containsExactly(new Jump("user1", "bastion1", 2222));
        assertThat(first.target()).isEqualTo("user1@bastion1:2222");
        assertThat(first.jumps()).isEmpty();
        assertThat(List.of(last, middle, first)).allSatisfy(h -> {
            assertThat(h.password()).isNull();
            assertThat(h.identityAgent()).isEqualTo("SSH_AUTH_SOCK");
        });
    }

    private static final String PIN = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICHVk/qMBe3WhaOHMIGICSkejkZmiNZ7JX6J4PgQ14Wq";

    @Test
    void the_repository_key_and_pin_are_read_from_their_variables_and_named_for_messages() {
        // given what RepositoryInventory sets for a customer with ssh.key and ssh.host_key
        Secret key = Secret.lazy(() -> {
            throw new AssertionError("resolving the settings must not resolve the key");
        });
        Map<String, Object> vars = new HashMap<>(Map.of("client_id", "acme", "budgetctl_ssh_key", key,
                "budgetctl_ssh_key_ref", "sops:secrets/acme.sops.yaml#ssh_key", "budgetctl_ssh_host_key", PIN,
                "ansible_ssh_private_key_file", "~/.ssh/other"));

        // when
        SshSettings s = resolve(vars);

        // then
        assertThat(s.privateKey()).isSameAs(key);
        assertThat(s.privateKeySource()).isEqualTo("ssh.key of customer acme (sops:secrets/acme.sops.yaml#ssh_key)");
        assertThat(s.pinnedHostKey().fingerprint()).startsWith("SHA256:");
        assertThat(s.pinSource()).isEqualTo("the pinned ssh.host_key of customer acme");
        assertThat(s.toString()).doesNotContain("BEGIN");
    }

    @Test
    void without_the_variables_there_is_no_repository_key_and_no_pin() {
        // when
        SshSettings s = resolve(Map.of());

        // then
        assertThat(s.privateKey()).isNull();
        assertThat(s.pinnedHostKey()).isNull();
    }

    @Test
    void a_bastion_hop_uses_the_repository_key_but_not_the_targets_pin() {
        // given
        SshSettings target = resolve(Map.of("budgetctl_ssh_key", Secret.of("k"), "budgetctl_ssh_host_key", PIN,
                "ansible_ssh_common_args", "-o ProxyJump=jump@bastion"));

        // when
        SshSettings hop = SshConnectionFactory.lastHop(target.jumps(), target);

        // then
        assertThat(hop.privateKey()).isSameAs(target.privateKey());
        assertThat(hop.pinnedHostKey()).isNull();
        assertThat(target.pinnedHostKey()).isNotNull();
    }

    @Test
    void a_pin_that_is_no_public_key_is_refused_naming_the_variable_and_the_customer() {
        // given
        Map<String, Object> vars = Map.of("client_id", "acme", "budgetctl_ssh_host_key",
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleKeyExampleKeyExampleKeyExampleKey0");

        // when / then
        assertThatThrownBy(() -> resolve(vars)).isInstanceOfSatisfying(EngineException.class, e -> {
            assertThat(e.oneLine()).startsWith("inventory host web1: budgetctl_ssh_host_key (ssh.host_key of"
                    + " customer acme) is not a usable public host key: the ssh-ed25519 key");
            assertThat(e.hint()).contains("ssh-keyscan");
        });
    }
}
