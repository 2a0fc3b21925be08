package io.budgetctl.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.playbook.Play;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Scope}: what a task inherits from the play and the blocks and includes around it, as Ansible's parent
 * attributes work. Pinned: the nearest value of a keyword wins (the task's own first); {@code when} conditions of
 * blocks add up outer first; tags add up from the play down; block vars merge outer to inner without the play's vars
 * (a level of their own); include parameters merge outer to inner; environments are kept outer to inner with the
 * task's last (so the task's wins when they are applied).
 */
class ScopeTest {
    @TempDir
    Path dir;

    private Play play;

    @BeforeEach
    void loadPlay() throws IOException {
        play = ExecFixtures.play(dir, """
                - hosts: all
                  gather_facts: false
                  become: false
                  tags: [play]
                  vars: {where: play, play_only: 1}
                  environment: {LEVEL: play}
                  tasks:
                    - block:
                        - block:
                            - name: inner task
                              debug: msg=x
                              become: true
                              tags: task
                              when: c3
                              environment: {LEVEL: task}
                            - name: plain task
                              debug: msg=x
                          when: c2
                          tags: [inner]
                          vars: {where: inner, inner_only: 1}
                          become_user: inner
                      when: [c0, c1]
                      tags: outer
                      vars: {where: outer, outer_only: 1}
                      become_user: outer
                      environment: {LEVEL: outer}
                """);
    }

    @Test
    void theNearestValueOfAKeywordWins() {
        // given
        TaskRef inner = ExecFixtures.ref(play, "inner task");
        TaskRef plain = ExecFixtures.ref(play, "plain task");

        // when / then
        assertThat(inner.scope().keyword(inner.task(), "become")).isEqualTo(true);
        assertThat(plain.scope().keyword(plain.task(), "become")).isEqualTo(false);
        assertThat(plain.scope().keyword(plain.task(), "become_user")).isEqualTo("inner");
        assertThat(plain.scope().keyword(plain.task(), "check_mode")).isNull();
    }

    @Test
    void conditionsOfTheBlocksAddUpOuterFirstWithoutTheTasksOwn() {
        // given
        TaskRef inner = ExecFixtures.ref(play, "inner task");

        // when
        List<Object> whens = inner.scope().whens();

        // then
        assertThat(whens).containsExactly("c0", "c1", "c2");
    }

    @Test
    void tagsAddUpFromThePlayDownToTheTask() {
        // given
        TaskRef inner = ExecFixtures.ref(play, "inner task");

        // when / then
        assertThat(inner.scope().tags(inner.task())).containsExactly("play", "outer", "inner", "task");
    }

    @Test
    void blockVarsMergeOuterToInnerWithoutThePlaysVars() {
        // given
        TaskRef plain = ExecFixtures.ref(play, "plain task");

        // when / then
        assertThat(plain.scope().blockVars()).isEqualTo(Map.of("where", "inner", "inner_only", 1, "outer_only", 1));
    }

    @Test
    void includeParametersMergeOuterToInner() {
        // given an include inside an include, both with parameters
        TaskRef plain = ExecFixtures.ref(play, "plain task");
        Scope outer = plain.scope().include(Map.of("p", "outer", "outer_only", 1), null, Map.of());
        Scope inner = outer.include(Map.of("p", "inner"), null, Map.of());

        // when / then
        assertThat(inner.includeParams()).isEqualTo(Map.of("p", "inner", "outer_only", 1));
        assertThat(plain.scope().includeParams()).isEmpty();
    }

    @Test
    void environmentsAreKeptOuterToInnerWithTheTasksLast() {
        // given
        TaskRef inner = ExecFixtures.ref(play, "inner task");

        // when / then
        assertThat(inner.scope().environments(inner.task())).containsExactly(Map.of("LEVEL", "play"),
                Map.of("LEVEL", "outer"), Map.of("LEVEL", "task"));
    }
}
