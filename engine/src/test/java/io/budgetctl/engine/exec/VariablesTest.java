package io.budgetctl.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.api.Unsafe;
import io.budgetctl.engine.playbook.Play;
import io.budgetctl.engine.template.JinjavaTemplater;
import io.budgetctl.engine.template.LazyVars;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Variables}: what a task on a host sees. Pinned: the whole precedence ladder of docs/playbooks.md (which is
 * ansible-core 2.14's VariableManager.get_vars order, role defaults up to extra vars), that the magic variables Ansible
 * sets last beat even extra vars, what the magic variables hold, that host data (a registered result, facts) is never
 * rendered as a template, and that {@code hostvars[h]} has the host-level variables only (no play, role or vars_files
 * levels, as 2.14's HostVars). These are the rules every playbook depends on and EngineTest only reaches one at a time.
 * Other hosts' variables come from a {@link HostVarsSource} (the executor's in a run), faked here.
 */
class VariablesTest {
    /** The precedence levels, lowest first: level i defines v(i)..v(last), so v(i) must come from level i. */
    private static final List<String> LEVELS = List.of("other role defaults", "dependency defaults", "role defaults",
            "inventory", "facts", "play vars", "vars_files", "other role vars", "dependency vars", "role vars",
            "block vars", "task vars", "include_vars", "set_fact", "role params", "include params", "extra vars");
    private static final String WEB1 = "web1.example.com";
    private static final String OMIT = "__omit_place_holder__test";

    @TempDir
    Path dir;

    private HostInventory inventory;
    private final FakeHosts otherHosts = new FakeHosts();
    private Variables variables;
    private PlayCtx pc;
    private HostState web1;
    private final Set<String> failed = new LinkedHashSet<>();
    private final Set<String> unreachable = new LinkedHashSet<>();

    @BeforeEach
    void loadPlay() throws IOException {
        Play play = ExecFixtures.play(dir, """
                - hosts: all
                  gather_facts: false
                  vars: %s
                  roles:
                    - {role: r, %s}
                    - other
                  tasks:
                    - name: plain
                      debug: msg=plain
                      vars: {computed: "{{ 'ren' ~ 'dered' }}", shown: "{{ out.stdout }}"}
                """.formatted(yaml(level("play vars")), entries(level("role params"))), Map.of(
                "roles/r/meta/main.yml", "dependencies: [dep]\n",
                "roles/r/defaults/main.yml", yaml(level("role defaults")),
                "roles/r/vars/main.yml", yaml(level("role vars")),
                "roles/r/tasks/main.yml", """
                        - block:
                            - name: probe
                              debug: msg=probe
                              vars: %s
                          vars: %s
                        """.formatted(yaml(level("task vars")), yaml(level("block vars"))),
                "roles/dep/defaults/main.yml", yaml(level("dependency defaults")),
                "roles/dep/vars/main.yml", yaml(level("dependency vars")),
                "roles/other/defaults/main.yml", yaml(level("other role defaults")),
                "roles/other/vars/main.yml", yaml(level("other role vars"))));
        Map<String, Map<String, Object>> hosts = new LinkedHashMap<>();
        hosts.put(WEB1, level("inventory"));
        hosts.put("web2", Map.of("where", "web2's inventory"));
        hosts.put("db1", Map.of());
        inventory = ExecFixtures.inventory(hosts,
                Map.of("web", List.of(WEB1, "web2"), "db", List.of(WEB1, "db1")));
        ExecOptions options = ExecFixtures.options(level("extra vars"));
        variables = new Variables(otherHosts, inventory, new JinjavaTemplater(), options, OMIT, failed, unreachable);
        pc = ExecFixtures.playCtx(play, List.of(WEB1, "web2", "db1"), null);
        web1 = new HostState(WEB1);
        web1.facts.putAll(level("facts"));
        web1.varsFiles.putAll(level("vars_files"));
        web1.includeVars.putAll(level("include_vars"));
        web1.setFacts.putAll(level("set_fact"));
    }

    @Test
    void eachPrecedenceLevelBeatsEveryLevelBelowIt() {
        // given the role task "probe" (role r, which depends on dep; other is a later play role) run from an include
        TaskRef probe = ExecFixtures.ref(pc.play, "probe");
        Scope included = probe.scope().include(level("include params"), null, Map.of());

        // when
        Map<String, Object> vars = variables.forTask(web1, pc, included, probe.task());

        // then v(i) is what level i says: each level overrides all the levels below it
        Map<String, Object> winners = new LinkedHashMap<>();
        Map<String, Object> expected = new LinkedHashMap<>();
        for (int i = 0; i < LEVELS.size(); i++) {
            winners.put(v(i), vars.get(v(i)));
            expected.put(v(i), LEVELS.get(i));
        }
        assertThat(winners).isEqualTo(expected);
    }

    @Test
    void theMagicVariablesAnsibleSetsLastBeatExtraVars() {
        // given extra vars that try to replace magic variables
        ExecOptions options = ExecFixtures.options(Map.of("groups", "X", "omit", "X", "ansible_play_hosts", "X",
                "role_name", "X", "playbook_dir", "X"));
        Variables withExtra = new Variables(otherHosts, inventory, new JinjavaTemplater(), options, OMIT, failed,
                unreachable);
        TaskRef probe = ExecFixtures.ref(pc.play, "probe");

        // when
        Map<String, Object> vars = withExtra.forTask(web1, pc, probe.scope(), probe.task());

        // then
        assertThat(vars.get("groups")).isInstanceOf(Map.class);
        assertThat(vars).containsEntry("omit", OMIT).containsEntry("ansible_play_hosts", List.of(WEB1, "web2", "db1"))
                .containsEntry("role_name", "r").containsEntry("playbook_dir", abs(dir).toString());
    }

    @Test
    void magicVariablesDescribeTheHostThePlayAndTheRun() {
        // given db1 failed and web2 became unreachable earlier in this play
        failed.add("db1");
        unreachable.add("web2");
        TaskRef plain = ExecFixtures.ref(pc.play, "plain");

        // when
        Map<String, Object> vars = variables.forTask(web1, pc, plain.scope(), plain.task());

        // then
        assertThat(vars).containsEntry("inventory_hostname", WEB1).containsEntry("inventory_hostname_short", "web1")
                .containsEntry("group_names", List.of("db", "web"))
                .containsEntry("ansible_play_hosts_all", List.of(WEB1, "web2", "db1"))
                .containsEntry("ansible_play_hosts", List.of(WEB1)).containsEntry("ansible_play_batch", List.of(WEB1))
                .containsEntry("play_hosts", List.of(WEB1)).containsEntry("ansible_play_name", "all")
                .containsEntry("ansible_run_tags", List.of("all")).containsEntry("ansible_skip_tags", List.of())
                .containsEntry("ansible_check_mode", false).containsEntry("omit", OMIT)
                .doesNotContainKey("role_name").doesNotContainKey("role_path");
        assertThat(((Map<?, ?>) vars.get("groups")).get("web")).isEqualTo(List.of(WEB1, "web2"));
    }

    @Test
    void theShortNameIsTheNameUpToItsFirstDotButAnAddressIsKeptWhole() {
        // given hosts named as ansible-core 2.14.18 was run with, and the inventory_hostname_short it gives each
        Map<String, String> shortNames = new LinkedHashMap<>();
        shortNames.put("10.0.0.5", "10.0.0.5");
        shortNames.put("255.255.255.255", "255.255.255.255");
        shortNames.put("10.0.0.05", "10.0.0.05");
        shortNames.put("::1", "::1");
        shortNames.put("2001:db8::1", "2001:db8::1");
        shortNames.put("FE80::A", "FE80::A");
        shortNames.put("::ffff:10.0.0.5", "::ffff:10.0.0.5");
        shortNames.put("fe80::1.example.com", "fe80::1.example.com");
        shortNames.put("256.1.1.1", "256");
        shortNames.put("10.0.0.5x", "10");
        shortNames.put("1.2.3", "1");
        shortNames.put("host.", "host");
        shortNames.put("plain", "plain");
        Map<String, Map<String, Object>> hosts = new LinkedHashMap<>();
        shortNames.keySet().forEach(h -> hosts.put(h, Map.of()));
        HostInventory named = ExecFixtures.inventory(hosts, Map.of());
        Variables vs = new Variables(otherHosts, named, new JinjavaTemplater(), ExecFixtures.options(Map.of()), OMIT,
                failed, unreachable);
        PlayCtx play = ExecFixtures.playCtx(pc.play, List.copyOf(hosts.keySet()), null);

        // when
        Map<String, Object> shown = new LinkedHashMap<>();
        for (String h : hosts.keySet()) {
            shown.put(h, vs.forTask(new HostState(h), play, Scope.play(play.play.kw()), null)
                    .get("inventory_hostname_short"));
        }

        // then
        assertThat(shown).isEqualTo(shortNames);
        assertThat(named.hostVars("10.0.0.5")).containsEntry("inventory_hostname_short", "10.0.0.5");
    }

    @Test
    void roleNamesAreTheRolesThePlayNamesInAnsiblesOrderWithoutDependencies() throws IOException {
        // given roles: entries (a twice alike, once with a parameter; b and a have dependencies, q imports g) and
        // import_role in pre_tasks, tasks and post_tasks, and an include_role
        Map<String, String> roles = new LinkedHashMap<>();
        for (String r : List.of("a", "b", "c", "d", "f", "g", "q", "x", "y", "z")) {
            roles.put("roles/" + r + "/tasks/main.yml", r.equals("q") ? "- import_role: {name: g}\n" : "- debug:\n");
        }
        roles.put("roles/a/meta/main.yml", "dependencies: [c]\n");
        roles.put("roles/b/meta/main.yml", "dependencies: [d]\n");
        Play play = ExecFixtures.play(dir.resolve("names"), """
                - hosts: all
                  gather_facts: false
                  pre_tasks:
                    - import_role: {name: x}
                  roles: [b, a, {role: a, x: 1}, a, q]
                  tasks:
                    - import_role: {name: y}
                    - include_role: {name: f}
                  post_tasks:
                    - import_role: {name: z}
                """, roles);

        // when
        Map<String, Object> vars = variables.forTask(web1, ExecFixtures.playCtx(play, List.of(WEB1), null),
                Scope.play(play.kw()), null);

        // then as ansible-core 2.14.18 gives: ['b', 'a', 'a', 'a', 'q', 'g', 'x', 'z', 'y']
        assertThat(vars.get("role_names")).isEqualTo(List.of("b", "a", "a", "a", "q", "g", "x", "z", "y"));
        assertThat(variables.forTask(web1, pc, Scope.play(pc.play.kw()), null).get("role_names"))
                .isEqualTo(List.of("r", "other"));
    }

    @Test
    void aRoleTaskKnowsItsRole() {
        // given
        TaskRef probe = ExecFixtures.ref(pc.play, "probe");

        // when
        Map<String, Object> vars = variables.forTask(web1, pc, probe.scope(), probe.task());

        // then
        assertThat(vars).containsEntry("role_name", "r").containsEntry("ansible_role_name", "r")
                .containsEntry("role_path", abs(dir.resolve("roles/r")).toString());
    }

    @Test
    void aRegisteredResultIsDataNotATemplateAndSoIsWhatIsComputedFromIt() {
        // given a host that answered with template text, registered as the executor registers it (Unsafe); the
        // task's vars: shown: "{{ out.stdout }}" reads it, computed: "{{ 'ren' ~ 'dered' }}" is a template
        web1.setFacts.put("out", Unsafe.of(Map.of("stdout", "{{ lookup('pipe', 'id') }}")));
        TaskRef plain = ExecFixtures.ref(pc.play, "plain");

        // when
        Map<String, Object> vars = variables.forTask(web1, pc, plain.scope(), plain.task());

        // then the template is rendered, the host's text is not, neither directly nor through the var that reads it
        assertThat(vars.get("computed")).isEqualTo("rendered");
        assertThat(vars.get("out")).isEqualTo(Map.of("stdout", "{{ lookup('pipe', 'id') }}"));
        assertThat(vars.get("shown")).isEqualTo("{{ lookup('pipe', 'id') }}");
    }

    @Test
    void factsAreAlsoGivenAsAnsibleFactsWithoutPrefixAndAsData() {
        // given facts as the host reported them, one holding template text
        web1.facts.put("ansible_hostname", "{{ undefined_on_purpose }}");
        web1.facts.put("ansible_distribution", "Debian");

        // when
        Map<String, Object> vars = variables.forTask(web1, pc, Scope.play(pc.play.kw()), null);

        // then
        assertThat(vars.get("ansible_facts")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("hostname", "{{ undefined_on_purpose }}").containsEntry("distribution", "Debian");
        assertThat(LazyVars.raw(vars).get("ansible_facts")).isInstanceOf(Unsafe.class);
    }

    @Test
    void hostvarsOfAHostHaveOnlyTheHostLevels() {
        // given web1's state as in the precedence test

        // when
        Map<String, Object> vars = variables.forHost(web1, pc);

        // then inventory, facts, include_vars, set_fact and extra vars, each winning as in a task; nothing of the
        // play, its roles or vars_files, and no hostvars of its own (so printing hostvars does not recurse)
        Map<String, Object> winners = IntStream.range(0, LEVELS.size()).boxed()
                .filter(i -> vars.containsKey(v(i)))
                .collect(Collectors.toMap(VariablesTest::v, i -> vars.get(v(i)), (a, b) -> a, LinkedHashMap::new));
        assertThat(winners).containsExactly(Map.entry(v(3), "inventory"), Map.entry(v(4), "facts"),
                Map.entry(v(5), "facts"), Map.entry(v(6), "facts"), Map.entry(v(7), "facts"),
                Map.entry(v(8), "facts"), Map.entry(v(9), "facts"), Map.entry(v(10), "facts"),
                Map.entry(v(11), "facts"), Map.entry(v(12), "include_vars"), Map.entry(v(13), "set_fact"),
                Map.entry(v(14), "set_fact"), Map.entry(v(15), "set_fact"), Map.entry(v(16), "extra vars"));
        assertThat(vars).containsEntry("inventory_hostname", WEB1).doesNotContainKey("hostvars");
    }

    @Test
    void hostvarsShowWhatTheRunSaysOfEachHostAskedOnceWhenFirstRead() {
        // given a run that knows the play's hosts and one more (added while it ran), each with its own variables
        otherHosts.vars.put(WEB1, Map.of("where", "web1 as the run has it"));
        otherHosts.vars.put("web2", Map.of("where", "web2 as the run has it"));
        otherHosts.vars.put("db1", Map.of());
        otherHosts.vars.put("added", Map.of("where", "added as the run has it"));
        TaskRef plain = ExecFixtures.ref(pc.play, "plain");

        // when
        @SuppressWarnings("unchecked")
        Map<String, Object> hostvars = (Map<String, Object>) variables.forTask(web1, pc, plain.scope(), plain.task())
                .get("hostvars");

        // then no host's variables are computed until a template reads them, then once for the task
        assertThat(otherHosts.asked).isEmpty();
        assertThat(hostvars.get("web2")).isEqualTo(Map.of("where", "web2 as the run has it"));
        assertThat(hostvars.get("web2")).isSameAs(hostvars.get("web2"));
        assertThat(otherHosts.asked).containsExactly("web2");
        // a host the run knows outside the play is there too, one it does not know is not (and nobody is asked)
        assertThat(hostvars.get("added")).isEqualTo(Map.of("where", "added as the run has it"));
        assertThat(hostvars.containsKey("nowhere")).isFalse();
        assertThat(hostvars.get("nowhere")).isNull();
        assertThat(otherHosts.asked).containsExactly("web2", "added");
        assertThat(hostvars.keySet()).containsExactly(WEB1, "web2", "db1", "added");
    }

    /** The run's hosts as hostvars sees them: canned variables per host, and which hosts were asked for, in order. */
    private static final class FakeHosts implements HostVarsSource {
        final Map<String, Map<String, Object>> vars = new LinkedHashMap<>();
        final List<String> asked = new ArrayList<>();

        @Override
        public List<String> hostNames() {
            return List.copyOf(vars.keySet());
        }

        @Override
        public boolean knows(String host) {
            return vars.containsKey(host);
        }

        @Override
        public Map<String, Object> hostLevelVars(String host, PlayCtx pc) {
            asked.add(host);
            return vars.get(host);
        }
    }

    private static Path abs(Path p) {
        return p.toAbsolutePath().normalize();
    }

    private static String v(int i) {
        return "v%02d".formatted(i);
    }

    /** What level {@code name} defines: v(i) for its own index i and every higher one, each set to its name. */
    private static Map<String, Object> level(String name) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = LEVELS.indexOf(name); i < LEVELS.size(); i++) {
            m.put(v(i), name);
        }
        return m;
    }

    private static String entries(Map<String, Object> m) {
        return m.entrySet().stream().map(e -> e.getKey() + ": '" + e.getValue() + "'")
                .collect(Collectors.joining(", "));
    }

    private static String yaml(Map<String, Object> m) {
        return "{" + entries(m) + "}";
    }
}
