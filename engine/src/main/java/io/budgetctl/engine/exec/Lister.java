package io.budgetctl.engine.exec;

import io.budgetctl.engine.event.RunListener;
import io.budgetctl.engine.playbook.Block;
import io.budgetctl.engine.playbook.Keywords;
import io.budgetctl.engine.playbook.Node;
import io.budgetctl.engine.playbook.Play;
import io.budgetctl.engine.playbook.Playbook;
import io.budgetctl.engine.playbook.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** --list-hosts and --list-tasks, in ansible-playbook's layout, through {@link RunListener#listing}. */
public final class Lister {
    private final Executor executor;
    private final RunListener out;

    public Lister(Executor executor, RunListener out) {
        this.executor = executor;
        this.out = out;
    }

    public void listHosts(Playbook pb, String name) {
        out.listing("");
        out.listing("playbook: " + name);
        int i = 1;
        for (Play play : pb.plays()) {
            List<String> hosts = executor.playHosts(play);
            out.listing("");
            out.listing("  play #" + i++ + " (" + play.hosts() + "): " + play.displayName() + "\tTAGS: "
                    + tags(Keywords.tags(play.kw().get("tags"))));
            out.listing("    pattern: " + patternList(play.hosts()));
            out.listing("    hosts (" + hosts.size() + "):");
            for (String h : hosts) {
                out.listing("      " + h);
            }
        }
    }

    public void listTasks(Playbook pb, String name) {
        out.listing("");
        out.listing("playbook: " + name);
        int i = 1;
        for (Play play : pb.plays()) {
            out.listing("");
            out.listing("  play #" + i++ + " (" + play.hosts() + "): " + play.displayName() + "\tTAGS: "
                    + tags(Keywords.tags(play.kw().get("tags"))));
            out.listing("    tasks:");
            Scope root = Scope.play(play.kw());
            List<Node> all = new ArrayList<>(play.preTasks());
            all.addAll(play.roles());
            all.addAll(play.tasks());
            all.addAll(play.postTasks());
            for (Node n : all) {
                walk(n, root);
            }
        }
    }

    private void walk(Node n, Scope scope) {
        if (n instanceof Block b) {
            Scope s = scope.block(b);
            for (List<Node> part : List.of(b.block(), b.rescue(), b.always())) {
                for (Node c : part) {
                    walk(c, s);
                }
            }
            return;
        }
        Task t = (Task) n;
        if (t.action().equals("meta")) {
            return;
        }
        Set<String> tags = scope.tags(t);
        if (executor.selection().tagsAllow(tags)) {
            out.listing("      " + t.displayName() + "\tTAGS: " + tags(new ArrayList<>(tags)));
        }
    }

    private static String tags(List<String> tags) {
        return "[" + String.join(", ", new TreeSet<>(tags)) + "]";
    }

    private static String patternList(String pattern) {
        List<String> parts = new ArrayList<>();
        for (String p : pattern.split(",")) {
            parts.add("'" + p.strip() + "'");
        }
        return "[" + String.join(", ", parts) + "]";
    }

    static Map<String, Object> none() {
        return Map.of();
    }
}
