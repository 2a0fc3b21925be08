package io.budgetctl.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.event.HostStats;
import io.budgetctl.engine.event.RunListener;
import io.budgetctl.engine.event.Status;
import io.budgetctl.engine.playbook.Play;
import io.budgetctl.engine.playbook.Role;
import io.budgetctl.engine.playbook.Task;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Handlers}: which handler a notification reaches and when it runs. Pinned, each checked against
 * ansible-playbook 2.14.18: a name reaches the handler of the block loaded last that has one (a play's handler over a
 * role's, the newest include_role copy over older ones), within a block the first of that name, and
 * {@code "role : name"} reaches the role's; a listen topic reaches every listener (two of the same name, each
 * include_role copy); a handler runs once per flush for all the hosts that notified it, in list order (roles'
 * handlers before the play's), not in notification order; an unknown name is Ansible's warning; a failing handler
 * fails its host, and with any_errors_fatal (its own, else the play's) ends the play; {@link Handlers#forget} drops
 * what a host had pending. The handler itself runs through the {@link Handlers.Runner} seam, recorded here.
 */
class HandlersTest {
    private static final String PLAYBOOK = """
            - hosts: all
              gather_facts: false
              %s
              roles: [svc]
              handlers:
                - name: restart
                  debug: msg=play-restart
                - name: reload
                  debug: msg=reload
                  listen: config changed
                - name: audit
                  debug: msg=audit
                  listen: config changed
                - name: last
                  debug: msg=last
            """;
    private static final Map<String, String> ROLES = Map.of(
            "roles/svc/tasks/main.yml", "- debug: msg=svc\n",
            "roles/svc/handlers/main.yml", """
                    - name: restart
                      debug: msg=svc-restart
                    - name: svc listener
                      debug: msg=svc-listener
                      listen: config changed
                    """,
            "roles/inc/handlers/main.yml", "- name: inc handler\n  debug: msg=inc\n");

    @TempDir
    Path dir;

    private final List<String> warnings = new ArrayList<>();
    private final RunListener events = new RunListener() {
        @Override
        public void warning(String message) {
            warnings.add(message);
        }
    };
    private final Stats stats = new Stats();
    private final Set<String> failedHosts = new LinkedHashSet<>();
    /** Each handler run: the handler and the hosts it ran on, in order. */
    private final List<Map.Entry<Task, List<String>>> runs = new ArrayList<>();
    /** Handler display name -> hosts it fails on. */
    private final Map<String, Set<String>> failing = new LinkedHashMap<>();
    /** Handler display name -> handler it notifies (on the same hosts) when it runs. */
    private final Map<String, String> chained = new LinkedHashMap<>();

    private Handlers handlers;
    private PlayCtx pc;

    @BeforeEach
    void loadPlay() throws IOException {
        start(PLAYBOOK.formatted(""), ROLES);
    }

    private void start(String playbook, Map<String, String> files) throws IOException {
        Play play = ExecFixtures.play(dir, playbook, files);
        handlers = new Handlers(play.handlerBlocks(), events, stats, failedHosts, (p, handler, scope, hosts) -> {
            runs.add(Map.entry(handler, List.copyOf(hosts)));
            Map<String, HostOutcome> out = new LinkedHashMap<>();
            for (String h : hosts) {
                boolean fails = failing.getOrDefault(handler.displayName(), Set.of()).contains(h);
                out.put(h, ExecFixtures.outcome(h, fails ? Status.FAILED : Status.CHANGED));
                if (!fails && chained.containsKey(handler.displayName())) {
                    handlers.notifyBy(ExecFixtures.notifier(chained.get(handler.displayName())), h);
                }
            }
            return out;
        });
        pc = ExecFixtures.playCtx(play, List.of("h1", "h2", "h3"), handlers);
    }

    @Test
    void aNameReachesThePlaysHandlerOverTheRolesOfTheSameNameAndRoleColonNameTheRoles() {
        // given
        handlers.notifyBy(ExecFixtures.notifier("restart"), "h1");
        handlers.notifyBy(ExecFixtures.notifier("svc : restart"), "h2");

        // when
        handlers.flush(pc, List.of("h1", "h2", "h3"));

        // then the role's handlers come first in the list, so svc : restart runs before the play's restart
        assertThat(ran()).containsExactly("svc : restart [h2]", "restart [h1]");
        assertThat(warnings).isEmpty();
    }

    @Test
    void ofTwoHandlersOfTheSameNameInOneBlockTheFirstIsNotifiedAndOfTwoBlocksTheLaterOnes() throws IOException {
        // given the same names within one list, in a block and in another role's file, as checked against
        // ansible-core 2.14.18: its lookup searches the blocks from the last loaded, each from its first handler
        start("""
                - hosts: all
                  gather_facts: false
                  roles: [dup]
                  handlers:
                    - {name: h, debug: msg=play-h-first}
                    - {name: h, debug: msg=play-h-second}
                    - block:
                        - {name: k, debug: msg=block-k}
                        - {name: d, debug: msg=block-d}
                    - {name: k, debug: msg=play-k-after-block}
                """, Map.of("roles/dup/tasks/main.yml", "- debug: msg=dup\n",
                "roles/dup/handlers/main.yml", """
                        - {name: d, debug: msg=role-d}
                        - {name: r, debug: msg=role-r-first}
                        - {name: r, debug: msg=role-r-second}
                        """));

        // when
        handlers.notifyBy(ExecFixtures.notifier(List.of("h", "k", "d", "dup : r")), "h1");
        handlers.flush(pc, List.of("h1"));

        // then as ansible-core 2.14.18 gives: RUNNING HANDLER [dup : r] role-r-first, [h] play-h-first,
        // [d] block-d, [k] play-k-after-block
        assertThat(runs).extracting(r -> r.getKey().args().get("msg"))
                .containsExactly("role-r-first", "play-h-first", "block-d", "play-k-after-block");
    }

    @Test
    void aTopicReachesEveryListenerAndTheyRunInListOrderNotNotificationOrder() {
        // given
        handlers.notifyBy(ExecFixtures.notifier(List.of("last", "config changed")), "h1");

        // when
        handlers.flush(pc, List.of("h1"));

        // then
        assertThat(ran()).containsExactly("svc : svc listener [h1]", "reload [h1]", "audit [h1]", "last [h1]");
    }

    @Test
    void aHandlerRunsOnceForAllTheHostsThatNotifiedItHoweverOften() {
        // given restart notified twice on h1 (once by name, once among others) and once on h3
        handlers.notifyBy(ExecFixtures.notifier("restart"), "h1");
        handlers.notifyBy(ExecFixtures.notifier(List.of("reload", "restart")), "h1");
        handlers.notifyBy(ExecFixtures.notifier("restart"), "h3");

        // when flushed twice
        handlers.flush(pc, List.of("h1", "h2", "h3"));
        handlers.flush(pc, List.of("h1", "h2", "h3"));

        // then the second flush has nothing left to run
        assertThat(ran()).containsExactly("restart [h1, h3]", "reload [h1]");
    }

    @Test
    void everyListenerRunsThoseOfTheSameNameAndEachIncludeRoleCopyToo() throws IOException {
        // given two play handlers named l listening to topic, and include_role lis loaded with n=1, n=2 and n=1 again
        start("""
                - hosts: all
                  gather_facts: false
                  handlers:
                    - {name: l, debug: msg=l-first, listen: topic}
                    - {name: l, debug: msg=l-second, listen: topic}
                """, Map.of("roles/lis/handlers/main.yml", "- {name: lh, debug: msg=lis, listen: topic}\n"));
        Role one = ExecFixtures.includeRole(dir, "lis", Map.of("n", 1));
        Role two = ExecFixtures.includeRole(dir, "lis", Map.of("n", 2));
        handlers.addIncluded(List.of("lis", 1), one.handlerBlocks());
        handlers.addIncluded(List.of("lis", 2), two.handlerBlocks());
        handlers.addIncluded(List.of("lis", 1), ExecFixtures.includeRole(dir, "lis", Map.of("n", 1)).handlerBlocks());

        // when
        handlers.notifyBy(ExecFixtures.notifier("topic"), "h1");
        handlers.flush(pc, List.of("h1"));

        // then as ansible-core 2.14.18 gives: RUNNING HANDLER [l] twice (l-first, l-second), [lis : lh] once per
        // distinct include (the repeated one is Ansible's cached role: no copy of its own)
        assertThat(runs).extracting(r -> r.getKey()).usingElementComparator((a, b) -> a == b ? 0 : 1)
                .containsExactly(pc.play.handlers().get(0), pc.play.handlers().get(1), one.handlers().get(0),
                        two.handlers().get(0));
    }

    @Test
    void theNewestIncludeRoleCopyOfAHandlerIsTheOneNotified() {
        // given include_role inc loaded twice (with other parameters), each adding its copy of the handlers
        Role first = ExecFixtures.includeRole(dir, "inc", Map.of("n", 1));
        Role second = ExecFixtures.includeRole(dir, "inc", Map.of("n", 2));
        handlers.addIncluded(List.of("inc", 1), first.handlerBlocks());
        handlers.addIncluded(List.of("inc", 2), second.handlerBlocks());

        // when
        handlers.notifyBy(ExecFixtures.notifier("inc handler"), "h1");
        handlers.flush(pc, List.of("h1"));

        // then
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).getKey()).isSameAs(second.handlers().get(0));
    }

    @Test
    void anUnknownNameIsAnsiblesWarningAndRunsNothing() {
        // given
        Task task = ExecFixtures.notifier("nope");

        // when
        handlers.notifyBy(task, "h1");
        handlers.flush(pc, List.of("h1"));

        // then
        assertThat(warnings).containsExactly("The requested handler 'nope' was not found in either the main handlers "
                + "list nor in the listening handlers list (notified by " + task.location() + ")");
        assertThat(runs).isEmpty();
    }

    @Test
    void aFlushRunsOnlyForItsActiveHostsAndTheOthersKeepWhatIsPending() {
        // given restart pending on h1, h2 and h3; h2 has failed meanwhile
        for (String h : List.of("h1", "h2", "h3")) {
            handlers.notifyBy(ExecFixtures.notifier("restart"), h);
        }
        pc.active.remove("h2");

        // when a flush for h1 and h2 (meta: flush_handlers on those), then one for all
        handlers.flush(pc, List.of("h1", "h2"));
        handlers.flush(pc, List.of("h1", "h2", "h3"));

        // then
        assertThat(ran()).containsExactly("restart [h1]", "restart [h3]");
    }

    @Test
    void aForgottenHostHasNothingPending() {
        // given
        handlers.notifyBy(ExecFixtures.notifier("restart"), "h1");
        handlers.notifyBy(ExecFixtures.notifier("restart"), "h2");

        // when h1 starts another batch of the play
        handlers.forget("h1");
        handlers.flush(pc, List.of("h1", "h2"));

        // then
        assertThat(ran()).containsExactly("restart [h2]");
    }

    @Test
    void aHandlerNotifiedByARunningHandlerRunsInTheSameFlushOnlyWhenItComesLater() {
        // given reload notifies last (later in the list) and svc : restart (earlier)
        chained.put("reload", "last");
        chained.put("audit", "svc : restart");
        handlers.notifyBy(ExecFixtures.notifier("config changed"), "h1");

        // when
        handlers.flush(pc, List.of("h1"));
        List<String> firstFlush = ran();
        runs.clear();
        handlers.flush(pc, List.of("h1"));

        // then
        assertThat(firstFlush).containsExactly("svc : svc listener [h1]", "reload [h1]", "audit [h1]", "last [h1]");
        assertThat(ran()).containsExactly("svc : restart [h1]");
    }

    @Test
    void aFailingHandlerFailsItsHostWhileTheOthersGoOn() {
        // given
        failing.put("reload", Set.of("h1"));
        handlers.notifyBy(ExecFixtures.notifier(List.of("reload", "last")), "h1");
        handlers.notifyBy(ExecFixtures.notifier(List.of("reload", "last")), "h2");

        // when
        handlers.flush(pc, List.of("h1", "h2"));

        // then
        assertThat(ran()).containsExactly("reload [h1, h2]", "last [h2]");
        assertThat(failedHosts).containsExactly("h1");
        assertThat(pc.active).containsExactly("h2", "h3");
        assertThat(pc.breakPlay).isFalse();
        assertThat(stats.snapshot(List.of("h1", "h2"))).containsExactly(
                Map.entry("h1", new HostStats(0, 0, 0, 1, 0, 0, 0)));
    }

    @Test
    void withAnyErrorsFatalAFailingHandlerEndsThePlayForEveryHost() throws IOException {
        // given
        start(PLAYBOOK.formatted("any_errors_fatal: true"), ROLES);
        failing.put("reload", Set.of("h1"));
        handlers.notifyBy(ExecFixtures.notifier(List.of("reload", "last")), "h1");
        handlers.notifyBy(ExecFixtures.notifier(List.of("reload", "last")), "h2");

        // when
        handlers.flush(pc, List.of("h1", "h2"));

        // then
        assertThat(ran()).containsExactly("reload [h1, h2]");
        assertThat(failedHosts).containsExactly("h1", "h2", "h3");
        assertThat(pc.active).isEmpty();
        assertThat(pc.breakPlay).isTrue();
    }

    @Test
    void aHandlersOwnAnyErrorsFatalDecidesOverThePlays() throws IOException {
        // given a play without any_errors_fatal whose handler has it, and one with it whose handler says false
        String playbook = """
                - hosts: all
                  gather_facts: false
                  %s
                  handlers:
                    - {name: fatal, debug: msg=f, any_errors_fatal: true}
                    - {name: lenient, debug: msg=l, any_errors_fatal: false}
                    - {name: last, debug: msg=last}
                """;
        failing.put("fatal", Set.of("h1"));
        failing.put("lenient", Set.of("h1"));

        // when
        start(playbook.formatted(""), Map.of());
        handlers.notifyBy(ExecFixtures.notifier(List.of("fatal", "last")), "h2");
        handlers.notifyBy(ExecFixtures.notifier(List.of("fatal", "last")), "h1");
        handlers.flush(pc, List.of("h1", "h2"));
        boolean fatalBroke = pc.breakPlay;
        List<String> fatalRan = ran();
        runs.clear();
        start(playbook.formatted("any_errors_fatal: true"), Map.of());
        handlers.notifyBy(ExecFixtures.notifier(List.of("lenient", "last")), "h1");
        handlers.notifyBy(ExecFixtures.notifier(List.of("lenient", "last")), "h2");
        handlers.flush(pc, List.of("h1", "h2"));

        // then as ansible-core 2.14.18 gives: the fatal handler failing on one host ends the play (NO MORE HOSTS
        // LEFT, the next play does not run); the lenient one fails its host only and the other goes on
        assertThat(fatalBroke).isTrue();
        assertThat(fatalRan).containsExactly("fatal [h1, h2]");
        assertThat(pc.breakPlay).isFalse();
        assertThat(ran()).containsExactly("lenient [h1, h2]", "last [h2]");
    }

    /** The recorded runs as "display name [hosts]". */
    private List<String> ran() {
        return runs.stream().map(r -> r.getKey().displayName() + " " + r.getValue()).toList();
    }
}
