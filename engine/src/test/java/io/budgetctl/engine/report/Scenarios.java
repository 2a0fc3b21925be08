package io.budgetctl.engine.report;

import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.event.HostResultEvent;
import io.budgetctl.engine.event.HostStats;
import io.budgetctl.engine.event.PlayEvent;
import io.budgetctl.engine.event.RunListener;
import io.budgetctl.engine.event.Status;
import io.budgetctl.engine.event.TaskEvent;
import io.budgetctl.engine.module.Result;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Event sequences equivalent to the playbooks in src/test/resources/report/ansible: what our executor emits for
 * basic.yml, verbose.yml and diff.yml, with the result dicts Ansible's modules return. Replayed into a listener,
 * the console output must equal what ansible-playbook printed for the same playbook.
 */
final class Scenarios {
    private final RunListener l;
    private TaskEvent task;
    private int line = 1;
    private long millis = 10;

    private Scenarios(RunListener listener) {
        this.l = listener;
    }

    static final String DIR = "/tmp/budgetctl-ansible-capture";
    static final String APP_CONF = "a=1\nb=2\nc=3\nd=4\ne=5\nf=6\ng=7\nh=8\ni=9\nj=10\n";

    /** basic.yml with inventory.ini: localhost runs, db1 is unreachable. */
    static void basic(RunListener l) {
        Scenarios s = new Scenarios(l);
        l.playbookStart("basic.yml");
        l.playStart(new PlayEvent("Deploy IT Budget Manager", "app", List.of("localhost", "db1"), false,
                new SourceLocation("basic.yml", 1, 3)));
        s.task("render config", "debug", "web", TaskEvent.Kind.TASK);
        s.result("localhost", Status.CHANGED, null, null, data("msg", "rendering", "changed", true, "failed", false));
        s.result("db1", Status.CHANGED, null, null, data("msg", "rendering", "changed", true, "failed", false));
        s.task("reach host", "ping", null, TaskEvent.Kind.TASK);
        s.result("localhost", Status.OK, null, null, data("ping", "pong", "changed", false));
        s.result("db1", Status.UNREACHABLE, null, "Failed to connect to the host via ssh: ssh: connect to host "
                + "127.0.0.1 port 1: Connection refused", data());
        s.task("show version", "debug", null, TaskEvent.Kind.TASK);
        s.result("localhost", Status.OK, null, null, data("msg", "version 1.2.3", "changed", false));
        s.task("write marker", "set_fact", null, TaskEvent.Kind.TASK);
        s.result("localhost", Status.CHANGED, null, null, data("ansible_facts", data("marker", "done"),
                "changed", true));
        s.task("only on debian 9", "debug", null, TaskEvent.Kind.TASK);
        s.result("localhost", Status.SKIPPED, null, null, skipped());
        s.task("install packages", "ansible.builtin.debug", null, TaskEvent.Kind.TASK);
        for (String item : List.of("docker", "compose")) {
            s.result("localhost", Status.CHANGED, item, null, data("msg", "installing " + item, "changed", true,
                    "item", item, "ansible_loop_var", "item"));
        }
        s.result("localhost", Status.CHANGED, null, null, data("changed", true, "results", List.of()));
        s.task("copy optional files", "debug", null, TaskEvent.Kind.TASK);
        s.result("localhost", Status.OK, "a", null, data("msg", "a", "item", "a", "ansible_loop_var", "item"));
        s.result("localhost", Status.SKIPPED, "b", null, itemSkipped("b"));
        s.result("localhost", Status.OK, null, null, data("changed", false, "results", List.of()));
        s.task("nothing to copy", "debug", null, TaskEvent.Kind.TASK);
        s.result("localhost", Status.SKIPPED, "x", null, itemSkipped("x"));
        s.result("localhost", Status.SKIPPED, "y", null, itemSkipped("y"));
        s.result("localhost", Status.SKIPPED, null, "All items skipped", data("changed", false, "skipped", true,
                "results", List.of()));
        s.task("probe optional service", "fail", null, TaskEvent.Kind.TASK);
        s.ignoredFailure("localhost", null, "service not found", data("changed", false, "failed", true));
        s.task("probe ports", "fail", null, TaskEvent.Kind.TASK);
        s.result("localhost", Status.SKIPPED, "80", null, itemSkipped(80));
        s.result("localhost", Status.FAILED, "443", "port 443 closed", data("ansible_loop_var", "item",
                "changed", false, "failed", true, "item", 443));
        s.ignoredFailure("localhost", null, "One or more items failed", data("changed", false, "results", List.of()));
        s.task("check disk", "assert", null, TaskEvent.Kind.TASK);
        s.result("localhost", Status.OK, null, "All assertions passed", data("changed", false));
        s.task("debug a variable", "debug", null, TaskEvent.Kind.TASK);
        s.result("localhost", Status.OK, null, null, data("marker", "done", "changed", false, "failed", false));
        s.task("web : reload web", "debug", "web", TaskEvent.Kind.HANDLER);
        s.result("localhost", Status.OK, null, null, data("msg", "reloaded", "changed", false));
        l.playStart(new PlayEvent("", "localhost", List.of("localhost"), false, new SourceLocation("basic.yml", 56,
                3)));
        s.task("", "debug", null, TaskEvent.Kind.TASK);
        s.result("localhost", Status.OK, null, null, data("msg", "unnamed play and task", "changed", false));
        s.task("migrate database", "fail", null, TaskEvent.Kind.TASK);
        s.result("localhost", Status.FAILED, null, "migration 42 failed", data("changed", false, "failed", true));
        Map<String, HostStats> recap = new LinkedHashMap<>();
        recap.put("localhost", new HostStats(12, 3, 0, 1, 2, 0, 2));
        recap.put("db1", new HostStats(1, 1, 1, 0, 0, 0, 0));
        l.recap(recap);
        l.playbookEnd(4);
    }

    /** verbose.yml run with -v. */
    static void verbose(RunListener l) {
        Scenarios s = new Scenarios(l);
        l.playbookStart("verbose.yml");
        l.playStart(new PlayEvent("Verbose results", "localhost", List.of("localhost"), false,
                new SourceLocation("verbose.yml", 1, 3)));
        s.task("ping it", "ping", null, TaskEvent.Kind.TASK);
        s.result("localhost", Status.OK, null, null, data("changed", false, "ping", "pong"));
        s.task("set a fact", "set_fact", null, TaskEvent.Kind.TASK);
        s.result("localhost", Status.OK, null, null, data("ansible_facts", data("release", "1.2.3",
                "components", List.of("backend", "worker")), "changed", false));
        s.task("skipped with reason", "ping", null, TaskEvent.Kind.TASK);
        s.result("localhost", Status.SKIPPED, null, null, skipped());
        s.task("items", "set_fact", null, TaskEvent.Kind.TASK);
        for (String item : List.of("one", "two")) {
            s.result("localhost", Status.OK, item, null, data("ansible_facts", data("last", item),
                    "ansible_loop_var", "item", "changed", false, "item", item));
        }
        s.result("localhost", Status.OK, null, null, data("changed", false, "results", List.of()));
        s.task("skip some items", "ping", null, TaskEvent.Kind.TASK);
        s.result("localhost", Status.OK, "x", null, data("ansible_loop_var", "item", "changed", false, "item", "x",
                "ping", "pong"));
        s.result("localhost", Status.SKIPPED, "y", null, itemSkipped("y"));
        s.result("localhost", Status.OK, null, null, data("changed", false, "results", List.of()));
        s.task("show nested", "debug", null, TaskEvent.Kind.TASK);
        s.result("localhost", Status.OK, null, null, data("components", List.of("backend", "worker"),
                "changed", false, "failed", false));
        s.task("stop here", "fail", null, TaskEvent.Kind.TASK);
        s.result("localhost", Status.FAILED, null, "unicode ✓ and \"quotes\"", data("changed", false));
        l.recap(Map.of("localhost", new HostStats(5, 0, 0, 1, 1, 0, 0)));
        l.playbookEnd(2);
    }

    /** diff.yml run with --diff: lineinfile on files in /tmp/budgetctl-ansible-capture. */
    static void diff(RunListener l) {
        Scenarios s = new Scenarios(l);
        l.playbookStart("diff.yml");
        l.playStart(new PlayEvent("Diff output", "localhost", List.of("localhost"), false,
                new SourceLocation("diff.yml", 2, 3)));
        String changedConf = APP_CONF.replace("c=3\n", "c=30\n");
        s.task("change a line", "lineinfile", null, TaskEvent.Kind.TASK);
        s.changed("localhost", "line replaced", new Result.Diff(DIR + "/app.conf (content)", APP_CONF, changedConf));
        s.task("append a line", "lineinfile", null, TaskEvent.Kind.TASK);
        s.changed("localhost", "line added", new Result.Diff(DIR + "/app.conf (content)", changedConf,
                changedConf + "k=11\n"));
        s.task("unchanged line", "lineinfile", null, TaskEvent.Kind.TASK);
        s.result("localhost", Status.OK, null, "", data("changed", false, "backup", ""));
        s.task("create a file", "lineinfile", null, TaskEvent.Kind.TASK);
        s.changed("localhost", "line added", new Result.Diff(DIR + "/new.conf (content)", "", "hello\n"));
        s.task("file without final newline", "lineinfile", null, TaskEvent.Kind.TASK);
        s.changed("localhost", "line added", new Result.Diff(DIR + "/nonl.conf (content)", "x=1", "x=1\ny=2\n"));
        l.recap(Map.of("localhost", new HostStats(5, 4, 0, 0, 0, 0, 0)));
        l.playbookEnd(0);
    }

    private void task(String name, String action, String role, TaskEvent.Kind kind) {
        task = new TaskEvent(name, action, role, kind, new SourceLocation("play.yml", line++, 7));
        l.taskStart(task);
    }

    private void result(String host, Status status, String item, String msg, Map<String, Object> data) {
        l.hostResult(new HostResultEvent(host, task, status, item, msg, data, List.of(), false, null,
                Duration.ofMillis(millis++)));
    }

    private void changed(String host, String msg, Result.Diff diff) {
        l.hostResult(new HostResultEvent(host, task, Status.CHANGED, null, msg, data("changed", true, "backup", "",
                "diff", List.of(data("before", diff.before(), "after", diff.after()))), List.of(diff), false, null,
                Duration.ofMillis(millis++)));
    }

    private void ignoredFailure(String host, String item, String msg, Map<String, Object> data) {
        l.hostResult(new HostResultEvent(host, task, Status.FAILED, item, msg, data, List.of(), true, null,
                Duration.ofMillis(millis++)));
    }

    private static Map<String, Object> skipped() {
        return data("changed", false, "skipped", true, "skip_reason", "Conditional result was False");
    }

    private static Map<String, Object> itemSkipped(Object item) {
        return data("ansible_loop_var", "item", "changed", false, "item", item, "skip_reason",
                "Conditional result was False", "skipped", true);
    }

    static Map<String, Object> data(Object... kv) {
        return Result.data(kv);
    }
}
