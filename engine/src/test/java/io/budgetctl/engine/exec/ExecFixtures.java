package io.budgetctl.engine.exec;

import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.event.Status;
import io.budgetctl.engine.inventory.Inventory;
import io.budgetctl.engine.playbook.Block;
import io.budgetctl.engine.playbook.LoadOptions;
import io.budgetctl.engine.playbook.Node;
import io.budgetctl.engine.playbook.Play;
import io.budgetctl.engine.playbook.PlaybookLoader;
import io.budgetctl.engine.playbook.Role;
import io.budgetctl.engine.playbook.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Shared builders for the exec package's unit tests. Plays are written as YAML and read by the real loader with
 * {@link TestModules} (as the engine tests' harness does), inventories are the real in-memory {@link Inventory}, and
 * the run state a part under test reads (a play in progress, a task's position and scope, an outcome) is built the
 * way {@link Executor} builds it, so the tests exercise the contracts the executor relies on rather than fakes.
 */
final class ExecFixtures {
    private ExecFixtures() {
    }

    /** Writes {@code files} (relative path -> text) and {@code playbook} as site.yml in {@code dir}; its first play. */
    static Play play(Path dir, String playbook, Map<String, String> files) throws IOException {
        for (Map.Entry<String, String> f : files.entrySet()) {
            write(dir, f.getKey(), f.getValue());
        }
        Path site = write(dir, "site.yml", playbook);
        return PlaybookLoader.load(site, new LoadOptions(TestModules.registry(), List.of())).plays().get(0);
    }

    static Play play(Path dir, String playbook) throws IOException {
        return play(dir, playbook, Map.of());
    }

    /** Loads role {@code name} from {@code dir}/roles as include_role does at run time: a new copy each call. */
    static Role includeRole(Path dir, String name, Map<String, Object> params) {
        PlaybookLoader loader = new PlaybookLoader(new LoadOptions(TestModules.registry(), List.of()), dir);
        return loader.expandRole(name, params, Map.of(), Map.of(), SourceLocation.of("site.yml"),
                new PlaybookLoader.RoleCall(name, null, null, null, null), null, new HashSet<>(), false).role();
    }

    private static Path write(Path dir, String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, text);
    }

    /** The real inventory built in memory: hosts (in order) with their variables, and each group's hosts. */
    static HostInventory inventory(Map<String, Map<String, Object>> hostVars, Map<String, List<String>> groups) {
        Inventory inv = Inventory.of(hostVars, groups, Map.of(), Map.of());
        return new HostInventory() {
            @Override
            public List<String> hostNames() {
                return inv.hostNames();
            }

            @Override
            public List<String> select(String pattern) {
                return inv.select(pattern);
            }

            @Override
            public Map<String, Object> hostVars(String host) {
                return inv.hostVars(host);
            }

            @Override
            public Map<String, List<String>> groups() {
                return inv.groups();
            }

            @Override
            public List<String> groupNamesOf(String host) {
                return inv.groupNamesOf(host);
            }
        };
    }

    /** A run's options with no --check, --diff, tags or limit, and these extra vars. */
    static ExecOptions options(Map<String, Object> extraVars) {
        return new ExecOptions(false, false, List.of(), List.of(), 1, null, null, extraVars, 0);
    }

    /** {@code play} in progress on {@code hosts} (all matched, all in the one batch, all active). */
    static PlayCtx playCtx(Play play, List<String> hosts, Handlers handlers) {
        PlayCtx pc = new PlayCtx(play, List.copyOf(hosts), new ArrayList<>(hosts), handlers);
        pc.batch = List.copyOf(hosts);
        pc.active.addAll(hosts);
        return pc;
    }

    /** A play section's tasks as the executor walks them: one implicit root block at section {@code s}. */
    static HostCursor cursor(List<Node> section, Play play, int s) {
        Block root = new Block(play.location(), null, section, null, null, Map.of(), null, true);
        return new HostCursor(root, Scope.play(play.kw()), List.of(s));
    }

    /** The roles and tasks section of {@code play} (section 1), as the executor builds it. */
    static HostCursor mainSection(Play play) {
        List<Node> main = new ArrayList<>(play.roles());
        main.addAll(play.tasks());
        return cursor(main, play, 1);
    }

    /** The task named {@code name} in the roles and tasks of {@code play}, with its scope and position. */
    static TaskRef ref(Play play, String name) {
        HostCursor c = mainSection(play);
        for (TaskRef r = c.advance(); r != null; r = c.advance()) {
            if (name.equals(r.task().name())) {
                return r;
            }
        }
        throw new IllegalArgumentException("no task named " + name);
    }

    /** A task (not a handler) that notifies {@code notify} (a name or a list), as written in a playbook. */
    static Task notifier(Object notify) {
        return new Task(SourceLocation.of("site.yml"), "notifier", "command", Map.of(), Map.of("notify", notify),
                null, false);
    }

    /** What a task did on a host, as the runner reports it: only the status and the result's changed flag. */
    static HostOutcome outcome(String host, Status status) {
        return new HostOutcome(host, status, Map.of("changed", status == Status.CHANGED), List.of(), List.of(), null,
                false, Map.of(), Map.of(), List.of(), null, false, Duration.ZERO, Set.of(), List.of());
    }
}
