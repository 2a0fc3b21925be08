package io.budgetctl.engine.exec;

import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.api.Unsafe;
import io.budgetctl.engine.inventory.HostNames;
import io.budgetctl.engine.playbook.Play;
import io.budgetctl.engine.playbook.PlaybookLoader;
import io.budgetctl.engine.playbook.Role;
import io.budgetctl.engine.playbook.Task;
import io.budgetctl.engine.template.LazyVars;
import io.budgetctl.engine.template.Templater;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Variable precedence: what a task on a host sees, merged from role defaults up to extra vars in Ansible's order,
 * plus the magic variables (inventory_hostname, groups, hostvars, ansible_play_hosts, ...), handed out lazily
 * templated ({@link LazyVars}). The executor's run state (failed and unreachable hosts) is read, never changed;
 * other hosts' variables (hostvars) come from a {@link HostVarsSource}.
 */
final class Variables {
    private final HostVarsSource otherHosts;
    private final HostInventory inventory;
    private final Templater templater;
    private final ExecOptions options;
    private final String omit;
    private final Set<String> failedHosts;
    private final Set<String> unreachableHosts;

    Variables(HostVarsSource otherHosts, HostInventory inventory, Templater templater, ExecOptions options,
              String omit, Set<String> failedHosts, Set<String> unreachableHosts) {
        this.otherHosts = otherHosts;
        this.inventory = inventory;
        this.templater = templater;
        this.options = options;
        this.omit = omit;
        this.failedHosts = failedHosts;
        this.unreachableHosts = unreachableHosts;
    }

    /** The play's own {@code vars:}, untemplated. */
    static Map<String, Object> playVarsRaw(Play play) {
        return play.kw().get("vars") instanceof Map<?, ?> m ? PlaybookLoader.asMap(m) : Map.of();
    }

    /**
     * All variables for {@code task} on host {@code hs}, merged in Ansible's precedence order (lowest first) and
     * templated. See docs/playbooks.md "Variable precedence".
     */
    Map<String, Object> forTask(HostState hs, PlayCtx pc, Scope scope, Task task) {
        return vars(hs, pc, scope, task, true);
    }

    /** Host-level variables (no play, role or task context), as hostvars[...] shows them. */
    Map<String, Object> forHost(HostState hs, PlayCtx pc) {
        return vars(hs, pc, null, null, false);
    }

    private Map<String, Object> vars(HostState hs, PlayCtx pc, Scope scope, Task task, boolean withPlay) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (!withPlay) {
            // hostvars[h] as Ansible 2.14 (get_vars without a play): inventory vars, facts, include_vars,
            // set_fact/register and extra vars; no role defaults/vars, play vars or vars_files
            m.putAll(inventory.hostVars(hs.name));
            m.putAll(hs.facts);
            putAnsibleFacts(hs, m);
            m.putAll(hs.includeVars);
            m.putAll(hs.setFacts);
            m.putAll(options.extraVars());
            magic(m, hs, pc, null);
            // as Ansible's get_vars(include_hostvars=False): hostvars[h] has no 'hostvars' of its own, so printing
            // hostvars (debug: var=hostvars) ends instead of recursing until the stack overflows
            m.remove("hostvars");
            return resolve(m, pc.play.location());
        }
        Role role = task != null && task.role() != null ? task.role() : scope == null ? null : scope.role;
        for (Role r : pc.roles) {
            m.putAll(r.defaults());
        }
        if (role != null) {
            roleChain(role, true, m);
        }
        m.putAll(inventory.hostVars(hs.name));
        m.putAll(hs.facts);
        putAnsibleFacts(hs, m);
        m.putAll(playVarsRaw(pc.play));
        m.putAll(hs.varsFiles);
        for (Role r : pc.roles) {
            m.putAll(r.vars());
        }
        if (role != null) {
            roleChain(role, false, m);
        }
        if (scope != null) {
            m.putAll(scope.blockVars());
        }
        if (task != null && task.kw().get("vars") instanceof Map<?, ?> tv) {
            tv.forEach((k, v) -> m.put(String.valueOf(k), v));
        }
        m.putAll(hs.includeVars);
        m.putAll(hs.setFacts);
        if (role != null) {
            m.putAll(role.params());
        }
        if (scope != null) {
            m.putAll(scope.includeParams());
        }
        m.putAll(options.extraVars());
        magic(m, hs, pc, role);
        return resolve(m, task == null ? pc.play.location() : task.location());
    }

    private static void putAnsibleFacts(HostState hs, Map<String, Object> m) {
        if (!hs.facts.isEmpty()) {
            Map<String, Object> af = new LinkedHashMap<>();
            hs.facts.forEach((k, v) -> af.put(k.startsWith("ansible_") ? k.substring(8) : k, Unsafe.unwrap(v)));
            m.put("ansible_facts", Unsafe.of(af)); // gathered from the host: data
        }
    }

    private static void roleChain(Role role, boolean defaults, Map<String, Object> m) {
        for (Role d : role.dependencies()) {
            roleChain(d, defaults, m);
        }
        m.putAll(defaults ? role.defaults() : role.vars());
    }

    private void magic(Map<String, Object> m, HostState hs, PlayCtx pc, Role role) {
        m.put("inventory_hostname", hs.name);
        m.put("inventory_hostname_short", HostNames.shortName(hs.name));
        List<String> gn = new ArrayList<>(inventory.groupNamesOf(hs.name));
        gn.removeIf(g -> g.equals("all"));
        java.util.Collections.sort(gn);
        m.put("group_names", gn);
        m.put("groups", inventory.groups());
        m.put("hostvars", new HostVars(otherHosts, pc));
        m.put("playbook_dir", pc.play.baseDir().toString());
        m.put("ansible_play_name", pc.play.displayName());
        // Ansible: the hosts the play matched, ignoring the restriction to hosts that have not failed
        m.put("ansible_play_hosts_all", pc.matchedHosts);
        List<String> playHosts = new ArrayList<>(pc.allHosts);
        playHosts.removeIf(h -> failedHosts.contains(h) || unreachableHosts.contains(h));
        m.put("ansible_play_hosts", playHosts);
        List<String> batch = new ArrayList<>(pc.batch);
        batch.removeIf(h -> failedHosts.contains(h) || unreachableHosts.contains(h));
        m.put("ansible_play_batch", batch);
        m.put("play_hosts", batch);
        m.put("ansible_check_mode", options.check());
        m.put("ansible_diff_mode", options.diff());
        m.put("ansible_run_tags", options.tags().isEmpty() ? List.of("all") : options.tags());
        m.put("ansible_skip_tags", options.skipTags());
        m.put("ansible_version", Map.of("full", "2.14.0", "major", 2, "minor", 14, "revision", 0,
                "string", "2.14.0"));
        m.put("role_names", pc.play.roleNames());
        m.put("omit", omit);
        if (role != null) {
            m.put("role_name", role.name());
            m.put("role_path", role.path().toString());
            m.put("ansible_role_name", role.name());
        }
    }

    /**
     * The variables as a template sees them: a value holding template text is rendered when read, once, never
     * again; host data ({@link Unsafe}) is never rendered (docs/security.md). Nothing is rendered here.
     */
    private Map<String, Object> resolve(Map<String, Object> m, SourceLocation at) {
        return new LazyVars(templater, m, at);
    }
}
