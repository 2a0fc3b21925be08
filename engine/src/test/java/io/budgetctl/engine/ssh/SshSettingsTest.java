package io.budgetctl.engine.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
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
}
