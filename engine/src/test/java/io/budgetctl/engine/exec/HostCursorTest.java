package io.budgetctl.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.playbook.Block;
import io.budgetctl.engine.playbook.Play;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link HostCursor}: where one host is in block/rescue/always, as ansible-core 2.14's PlayIterator moves it. Pinned:
 * a failure skips the rest of its block and goes to rescue, else always, and a rescued block is not a failure; a
 * failure in rescue or always fails the host after always (the rest of always is skipped when always fails); an inner
 * block without rescue passes its failure to the outer block after its own always; {@code fail()} answers whether a
 * block around the task rescues (the recap's rescued instead of failed); included blocks run right after the include;
 * positions order tasks as they run (the linear strategy runs the lowest position first); {@code end()} stops a host
 * without failing it.
 */
class HostCursorTest {
    private static final String BLOCK_RESCUE_ALWAYS = """
            - {name: before, debug: msg=x}
            - block:
                - {name: b1, debug: msg=x}
                - {name: b2, debug: msg=x}
              rescue:
                - {name: r1, debug: msg=x}
                - {name: r2, debug: msg=x}
              always:
                - {name: a1, debug: msg=x}
                - {name: a2, debug: msg=x}
            - {name: after, debug: msg=x}
            """;
    private static final String BLOCK_ALWAYS = """
            - block:
                - {name: b1, debug: msg=x}
                - {name: b2, debug: msg=x}
              always:
                - {name: a1, debug: msg=x}
            - {name: after, debug: msg=x}
            """;
    private static final String NESTED = """
            - block:
                - block:
                    - {name: inner1, debug: msg=x}
                    - {name: inner2, debug: msg=x}
                  always:
                    - {name: inner always, debug: msg=x}
                - {name: outer2, debug: msg=x}
              rescue:
                - {name: outer rescue, debug: msg=x}
              always:
                - {name: outer always, debug: msg=x}
            - {name: after, debug: msg=x}
            """;

    @TempDir
    Path dir;

    /** Task name -> what {@code fail()} answered, for the tasks a walk failed. */
    private final Map<String, Boolean> rescuing = new LinkedHashMap<>();

    @Test
    void withoutAFailureTheBlockAndItsAlwaysRunAndRescueDoesNot() throws IOException {
        // given
        HostCursor c = cursor(BLOCK_RESCUE_ALWAYS);

        // when
        List<String> ran = walk(c, Set.of());

        // then
        assertThat(ran).containsExactly("before", "b1", "b2", "a1", "a2", "after");
        assertThat(c.hostFailed()).isFalse();
    }

    @Test
    void aFailureInTheBlockGoesToRescueThenAlwaysAndIsRescued() throws IOException {
        // given
        HostCursor c = cursor(BLOCK_RESCUE_ALWAYS);

        // when
        List<String> ran = walk(c, Set.of("b1"));

        // then
        assertThat(ran).containsExactly("before", "b1", "r1", "r2", "a1", "a2", "after");
        assertThat(rescuing).containsExactly(Map.entry("b1", true));
        assertThat(c.hostFailed()).isFalse();
    }

    @Test
    void aFailureWithoutRescueRunsAlwaysThenFailsTheHost() throws IOException {
        // given
        HostCursor c = cursor(BLOCK_ALWAYS);

        // when
        List<String> ran = walk(c, Set.of("b1"));

        // then
        assertThat(ran).containsExactly("b1", "a1");
        assertThat(rescuing).containsExactly(Map.entry("b1", false));
        assertThat(c.hostFailed()).isTrue();
    }

    @Test
    void aFailureInRescueRunsAlwaysThenFailsTheHost() throws IOException {
        // given
        HostCursor c = cursor(BLOCK_RESCUE_ALWAYS);

        // when
        List<String> ran = walk(c, Set.of("b2", "r1"));

        // then
        assertThat(ran).containsExactly("before", "b1", "b2", "r1", "a1", "a2");
        assertThat(rescuing).containsExactly(Map.entry("b2", true), Map.entry("r1", false));
        assertThat(c.hostFailed()).isTrue();
    }

    @Test
    void aFailureInAlwaysSkipsTheRestOfItAndFailsTheHostEvenAfterARescue() throws IOException {
        // given
        HostCursor c = cursor(BLOCK_RESCUE_ALWAYS);

        // when
        List<String> ran = walk(c, Set.of("b1", "a1"));

        // then
        assertThat(ran).containsExactly("before", "b1", "r1", "r2", "a1");
        assertThat(c.hostFailed()).isTrue();
    }

    @Test
    void anInnerBlockWithoutRescuePassesItsFailureOutAfterItsAlways() throws IOException {
        // given
        HostCursor c = cursor(NESTED);

        // when
        List<String> ran = walk(c, Set.of("inner1"));

        // then the outer block's rescue counts the failure as rescued
        assertThat(ran).containsExactly("inner1", "inner always", "outer rescue", "outer always", "after");
        assertThat(rescuing).containsExactly(Map.entry("inner1", true));
        assertThat(c.hostFailed()).isFalse();
    }

    @Test
    void positionsOrderTasksAsTheyRunWithIncludedBlocksRightAfterTheirInclude() throws IOException {
        // given a cursor in section 1 (roles and tasks), and "before" including the post_tasks as two blocks
        Play play = ExecFixtures.play(dir, """
                - hosts: all
                  gather_facts: false
                  tasks:
                %s
                  post_tasks:
                    - {name: included, debug: msg=x}
                """.formatted(BLOCK_RESCUE_ALWAYS.indent(4)));
        HostCursor c = ExecFixtures.mainSection(play);
        Block included = new Block(play.location(), null, play.postTasks(), null, null, Map.of(), null, true);
        Scope scope = Scope.play(play.kw());

        // when
        List<TaskRef> refs = new ArrayList<>();
        for (TaskRef r = c.advance(); r != null; r = c.advance()) {
            refs.add(r);
            if (r.task().name().equals("before")) {
                c.include(List.of(included, included), List.of(scope, scope));
            }
            if (r.task().name().equals("b1")) {
                c.fail();
            }
        }

        // then each position is section, then (phase, index) per level: block 0, rescue 1, always 2
        assertThat(refs).extracting(r -> r.task().name() + " " + r.position()).containsExactly(
                "before [1, 0, 0]", "included [1, 0, 0, 0, 0, 0]", "included [1, 0, 0, 1, 0, 0]",
                "b1 [1, 0, 1, 0, 0]", "r1 [1, 0, 1, 1, 0]", "r2 [1, 0, 1, 1, 1]", "a1 [1, 0, 1, 2, 0]",
                "a2 [1, 0, 1, 2, 1]", "after [1, 0, 2]");
        assertThat(refs).isSorted();
    }

    @Test
    void anEndedHostRunsNothingMoreAndHasNotFailed() throws IOException {
        // given
        HostCursor c = cursor(BLOCK_RESCUE_ALWAYS);
        c.advance();

        // when
        c.end();

        // then
        assertThat(c.peek()).isNull();
        assertThat(c.hostFailed()).isFalse();
    }

    private HostCursor cursor(String tasks) throws IOException {
        Play play = ExecFixtures.play(dir, """
                - hosts: all
                  gather_facts: false
                  tasks:
                %s""".formatted(tasks.indent(4)));
        return ExecFixtures.mainSection(play);
    }

    /** Runs the cursor to its end, failing the tasks named in {@code failing}; the names in the order they ran. */
    private List<String> walk(HostCursor c, Set<String> failing) {
        List<String> ran = new ArrayList<>();
        for (TaskRef r = c.advance(); r != null; r = c.advance()) {
            ran.add(r.task().name());
            if (failing.contains(r.task().name())) {
                rescuing.put(r.task().name(), c.fail());
            }
        }
        return ran;
    }
}
