package io.budgetctl.cli.differential;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RecapTest {
    @Test
    void parses_the_last_play_recap_with_colours_and_ansible_spacing() {
        // given output with an earlier recap-like line and ANSI colours in the real recap
        String out = "TASK [x] ***\nok: [web1]\n"
                + "PLAY RECAP *********\n"
                + "\u001B[0;33mweb1\u001B[0m                       : \u001B[0;32mok=4   \u001B[0m changed=2    unreachable=0"
                + "    failed=0    skipped=1    rescued=0    ignored=0   \n"
                + "db1                        : ok=1    changed=0    unreachable=0    failed=1    skipped=0    rescued=0"
                + "    ignored=3   \n\n";

        // when
        Map<String, String> recap = Recap.parse(out);

        // then
        assertThat(recap).containsExactly(
                Map.entry("web1", "ok=4 changed=2 unreachable=0 failed=0 skipped=1 rescued=0 ignored=0"),
                Map.entry("db1", "ok=1 changed=0 unreachable=0 failed=1 skipped=0 rescued=0 ignored=3"));
        assertThat(Recap.changedHosts(recap)).containsExactly("web1");
    }

    @Test
    void output_without_a_recap_gives_no_hosts() {
        // given / when / then
        assertThat(Recap.parse("ERROR! the playbook could not be loaded\n")).isEmpty();
    }
}
