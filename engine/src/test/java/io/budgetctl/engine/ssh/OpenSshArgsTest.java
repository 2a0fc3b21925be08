package io.budgetctl.engine.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class OpenSshArgsTest {

    @Test
    void understands_the_three_spellings_of_dash_o() {
        // when
        OpenSshArgs a = OpenSshArgs.parse("-o UserKnownHostsFile=/a/kh -oStrictHostKeyChecking=accept-new"
                + " -o 'ConnectTimeout 7'");

        // then
        assertThat(a.get("UserKnownHostsFile")).isEqualTo("/a/kh");
        assertThat(a.get("stricthostkeychecking")).isEqualTo("accept-new");
        assertThat(a.get("ConnectTimeout")).isEqualTo("7");
    }

    @Test
    void dash_j_i_p_l_map_to_their_options_and_value_flags_are_skipped() {
        // when
        OpenSshArgs a = OpenSshArgs.parse("-q -C -F /dev/null -J ops@bastion:2222 -i ~/.ssh/k -p 2200 -l admin");

        // then
        assertThat(a.get("proxyjump")).isEqualTo("ops@bastion:2222");
        assertThat(a.get("identityfile")).isEqualTo("~/.ssh/k");
        assertThat(a.get("port")).isEqualTo("2200");
        assertThat(a.get("user")).isEqualTo("admin");
    }

    @Test
    void the_first_value_wins_as_in_openssh_and_common_args_come_before_extra_args() {
        // when
        OpenSshArgs a = OpenSshArgs.parse("-o ProxyJump=first", "-o ProxyJump=second -J third");

        // then
        assertThat(a.get("proxyjump")).isEqualTo("first");
    }

    @Test
    void options_budgetctl_does_not_use_are_reported_as_ignored() {
        // when
        OpenSshArgs a = OpenSshArgs.parse("-o ControlMaster=auto -o ControlPersist=60s -o ServerAliveInterval=5");

        // then
        assertThat(a.ignored()).containsExactly("ControlMaster", "ControlPersist");
        assertThat(a.get("serveraliveinterval")).isEqualTo("5");
    }

    @Test
    void quoted_values_keep_their_spaces() {
        // when
        OpenSshArgs a = OpenSshArgs.parse("-o \"UserKnownHostsFile=/my dir/kh /other\"");

        // then
        assertThat(a.get("userknownhostsfile")).isEqualTo("/my dir/kh /other");
        assertThat(OpenSshArgs.words("a 'b c' \"d \\\"e\\\"\" f\\ g")).containsExactly("a", "b c", "d \"e\"", "f g");
    }

    @Test
    void a_stray_word_or_a_missing_value_is_an_error() {
        assertThatThrownBy(() -> OpenSshArgs.parse("ProxyJump=x")).hasMessageContaining("unexpected argument");
        assertThatThrownBy(() -> OpenSshArgs.parse("-o")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> OpenSshArgs.parse("-o 'unbalanced")).hasMessageContaining("unbalanced");
        assertThatThrownBy(() -> OpenSshArgs.parse("-o StrictHostKeyChecking")).hasMessageContaining("no value");
    }

    @Test
    void proxy_jump_chains_parse_users_ports_and_brackets() {
        // when
        List<Jump> hops = Jump.parseChain("ops@bastion.example.com:2222, jump2,[fe80::1]:22,ssh://u@h");

        // then
        assertThat(hops).containsExactly(new Jump("ops", "bastion.example.com", 2222), new Jump(null, "jump2", 22),
                new Jump(null, "fe80::1", 22), new Jump("u", "h", 22));
        assertThat(Jump.parseChain("none")).isEmpty();
        assertThatThrownBy(() -> Jump.parse("host:99999")).hasMessageContaining("bad port '99999'");
    }
}
