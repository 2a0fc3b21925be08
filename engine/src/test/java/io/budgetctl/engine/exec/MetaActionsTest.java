package io.budgetctl.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.budgetctl.engine.event.RunListener;
import io.budgetctl.engine.event.Status;
import io.budgetctl.engine.event.TaskEvent;
import io.budgetctl.engine.playbook.Play;
import io.budgetctl.engine.template.JinjavaTemplater;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link MetaActions}: what a {@code meta:} task does to the play. Pinned: it applies to the hosts whose when: holds
 * (the task's and its block's, each host in its own variables); end_host ends those hosts' cursors and takes them out
 * of the play, end_play and end_batch end it when at least one host is selected, flush_handlers runs what those hosts
 * (not the others) were notified of, noop changes nothing; each shows one META header, whatever the hosts, and
 * under it one warning for a condition written with {{ }}.
 */
class MetaActionsTest {
    private static final String PLAYBOOK = """
            - hosts: all
              gather_facts: false
              tasks:
                - {name: stop web, meta: end_host, when: "role == 'web'"}
                - {name: end if db, meta: end_play, when: "role == 'db'"}
                - {name: end if cache, meta: end_play, when: "role == 'cache'"}
                - {name: end batch, meta: end_batch}
                - {name: end if templated, meta: end_play, when: "{{ role == 'db' }}"}
                - {name: end if templated web text, meta: end_play, when: "{{ 'false' if role == 'web' else 'no' }}"}
                - {name: nothing, meta: noop}
                - block:
                    - {name: flush web, meta: flush_handlers, when: "'h2' != inventory_hostname"}
                  when: "role == 'web'"
              handlers:
                - {name: restart, debug: msg=restart}
            """;
    private static final List<String> HOSTS = List.of("h1", "h2", "h3");
    /** Each host's variables: h1 and h2 are web hosts, h3 the database. */
    private static final Map<String, Map<String, Object>> VARS = Map.of(
            "h1", Map.of("inventory_hostname", "h1", "role", "web"),
            "h2", Map.of("inventory_hostname", "h2", "role", "web"),
            "h3", Map.of("inventory_hostname", "h3", "role", "db"));

    @TempDir
    Path dir;

    private final List<TaskEvent> headers = new ArrayList<>();
    private final List<String> handlerRuns = new ArrayList<>();
    /** The headers' names and the warnings, in the order they were shown. */
    private final List<String> shown = new ArrayList<>();
    private final MetaActions meta = new MetaActions(new JinjavaTemplater(), new RunListener() {
        @Override
        public void taskStart(TaskEvent task) {
            headers.add(task);
            shown.add(task.name());
        }
    }, w -> shown.add("[WARNING]: " + w));
    private Play play;
    private Handlers handlers;
    private PlayCtx pc;
    private final Map<String, HostCursor> cursors = new LinkedHashMap<>();

    @BeforeEach
    void startPlay() throws IOException {
        play = ExecFixtures.play(dir, PLAYBOOK);
        handlers = new Handlers(play.handlerBlocks(), new RunListener() {
        }, new Stats(), new LinkedHashSet<>(), (p, handler, scope, hosts) -> {
            Map<String, HostOutcome> out = new LinkedHashMap<>();
            for (String h : hosts) {
                handlerRuns.add(handler.name() + " on " + h);
                out.put(h, ExecFixtures.outcome(h, Status.OK));
            }
            return out;
        });
        pc = ExecFixtures.playCtx(play, HOSTS, handlers);
        for (String h : HOSTS) {
            cursors.put(h, ExecFixtures.mainSection(play));
        }
    }

    private void run(String task) {
        meta.run(pc, ExecFixtures.ref(play, task), HOSTS, cursors, VARS::get);
    }

    @Test
    void endHostEndsTheHostsWhoseWhenHoldsAndTakesThemOutOfThePlay() {
        // when
        run("stop web");

        // then
        assertThat(pc.active).containsExactly("h3");
        assertThat(cursors.get("h1").peek()).isNull();
        assertThat(cursors.get("h2").peek()).isNull();
        assertThat(cursors.get("h3").peek()).isNotNull();
        assertThat(pc.endPlay).isFalse();
        assertThat(headers).containsExactly(new TaskEvent("stop web", "meta", null, TaskEvent.Kind.META,
                ExecFixtures.ref(play, "stop web").task().location()));
    }

    @Test
    void endPlayEndsThePlayOnlyWhenAHostIsSelected() {
        // when no host is a cache
        run("end if cache");

        // then
        assertThat(pc.endPlay).isFalse();
        assertThat(headers).extracting(TaskEvent::name).containsExactly("end if cache");

        // when one is the database
        run("end if db");

        // then
        assertThat(pc.endPlay).isTrue();
        assertThat(pc.endBatch).isFalse();
        assertThat(pc.active).containsExactlyElementsOf(HOSTS);
    }

    @Test
    void aConditionWrittenWithBracesFollowsTheSameRulesAsAnyTasks() {
        // when: rendered text "false"/"no" for every host
        run("end if templated web text");
        // then
        assertThat(pc.endPlay).isFalse();

        // when: "{{ role == 'db' }}" renders True for h3
        run("end if templated");
        // then
        assertThat(pc.endPlay).isTrue();
    }

    @Test
    void aConditionWrittenWithBracesIsWarnedAboutOnceUnderTheHeaderWhateverTheHosts() {
        // when every host evaluates it
        run("end if templated");

        // then as ansible-playbook prints it from its controller (the run's warning, not a host's)
        assertThat(shown).containsExactly("end if templated", "[WARNING]: " + Conditions.DELIMITERS_WARNING
                + "{{ role == 'db' }}");

        // and a plain condition is no warning
        run("end if cache");
        assertThat(shown).hasSize(3).last().isEqualTo("end if cache");
    }

    @Test
    void endBatchEndsTheBatchNotThePlay() {
        run("end batch");

        assertThat(pc.endBatch).isTrue();
        assertThat(pc.endPlay).isFalse();
    }

    @Test
    void flushHandlersRunsWhatTheSelectedHostsWereNotifiedOfAndTheBlocksWhenCounts() {
        // given restart pending everywhere; the block selects the web hosts, the task all but h2: h1 only
        for (String h : HOSTS) {
            handlers.notifyBy(ExecFixtures.notifier("restart"), h);
        }

        // when
        run("flush web");

        // then
        assertThat(handlerRuns).containsExactly("restart on h1");

        // and h2 and h3 still have it pending
        handlers.flush(pc, HOSTS);
        assertThat(handlerRuns).containsExactly("restart on h1", "restart on h2", "restart on h3");
    }

    @Test
    void noopOnlyShowsItsHeader() {
        run("nothing");

        assertThat(headers).extracting(TaskEvent::name, TaskEvent::kind)
                .containsExactly(tuple("nothing", TaskEvent.Kind.META));
        assertThat(pc.active).containsExactlyElementsOf(HOSTS);
        assertThat(pc.endPlay || pc.endBatch).isFalse();
        assertThat(cursors.values()).allSatisfy(c -> assertThat(c.peek()).isNotNull());
    }
}
