package io.budgetctl.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineTest {
    @TempDir
    Path dir;

    @Test
    void runsTasksInOrderAndCountsLikeAnsible() throws IOException {
        // given
        EngineHarness e = new EngineHarness(dir);
        // when
        int code = e.run("""
                - hosts: localhost
                  gather_facts: false
                  vars:
                    target: "@DIR@/a.txt"
                  tasks:
                    - name: create
                      touch: path={{ target }}
                    - name: again
                      touch:
                        path: "{{ target }}"
                    - name: skipped
                      touch: path=@DIR@/never
                      when: false
                    - shell: echo hello
                      register: out
                    - lineadd:
                        path: "@DIR@/log"
                        line: "{{ out.stdout }}"
                """);
        // then
        assertThat(code).isZero();
        assertThat(e.file("a.txt")).isEmpty();
        assertThat(e.file("never")).isNull();
        assertThat(e.file("log")).isEqualTo("hello\n");
        assertThat(e.recap("localhost")).isEqualTo("ok=4 changed=3 unreachable=0 failed=0 skipped=1 rescued=0 ignored=0");
    }
}
