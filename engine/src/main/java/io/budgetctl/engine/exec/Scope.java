package io.budgetctl.engine.exec;

import io.budgetctl.engine.playbook.Block;
import io.budgetctl.engine.playbook.Keywords;
import io.budgetctl.engine.playbook.Role;
import io.budgetctl.engine.playbook.Task;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parent chain of a task at run time — play, role entries, blocks, imports, includes — from which it inherits
 * keywords the way Ansible's parent attributes work: the nearest value of a keyword wins; {@code when} conditions
 * and {@code tags} accumulate; {@code vars} and {@code environment} merge outer to inner. An include adds a level
 * that carries only include parameters (its own when/tags are not inherited, as in Ansible).
 */
final class Scope {
    final Scope parent;
    final Map<String, Object> kw;
    final Role role;
    final Map<String, Object> includeParams;
    final boolean play;

    private Scope(Scope parent, Map<String, Object> kw, Role role, Map<String, Object> includeParams, boolean play) {
        this.parent = parent;
        this.kw = kw == null ? Map.of() : kw;
        this.role = role;
        this.includeParams = includeParams == null ? Map.of() : includeParams;
        this.play = play;
    }

    static Scope play(Map<String, Object> playKw) {
        return new Scope(null, playKw, null, null, true);
    }

    Scope block(Block b) {
        return new Scope(this, b.kw(), b.role() != null ? b.role() : role, null, false);
    }

    Scope include(Map<String, Object> params, Role r, Map<String, Object> applyKw) {
        return new Scope(this, applyKw, r != null ? r : role, params, false);
    }

    /** The value of keyword {@code k} for task {@code t}: the task's own, else the nearest parent's. */
    Object keyword(Task t, String k) {
        if (t != null && t.kw().containsKey(k)) {
            return t.kw().get(k);
        }
        for (Scope s = this; s != null; s = s.parent) {
            if (s.kw.containsKey(k)) {
                return s.kw.get(k);
            }
        }
        return null;
    }

    /** Conditions of parents, outermost first (the task's own are added by the caller). */
    List<Object> whens() {
        List<Object> out = new ArrayList<>();
        for (Scope s : chain()) {
            if (!s.play) {
                addWhen(out, s.kw.get("when"));
            }
        }
        return out;
    }

    static void addWhen(List<Object> out, Object w) {
        if (w == null) {
            return;
        }
        if (w instanceof Collection<?> c) {
            out.addAll(c);
        } else {
            out.add(w);
        }
    }

    Set<String> tags(Task t) {
        Set<String> tags = new LinkedHashSet<>();
        for (Scope s : chain()) {
            tags.addAll(Keywords.tags(s.kw.get("tags")));
        }
        if (t != null) {
            tags.addAll(Keywords.tags(t.kw().get("tags")));
        }
        return tags;
    }

    /** Block/role-entry/import vars, outer to inner (play vars are a separate level). */
    Map<String, Object> blockVars() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Scope s : chain()) {
            if (!s.play && s.kw.get("vars") instanceof Map<?, ?> m) {
                m.forEach((k, v) -> out.put(String.valueOf(k), v));
            }
        }
        return out;
    }

    Map<String, Object> includeParams() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Scope s : chain()) {
            out.putAll(s.includeParams);
        }
        return out;
    }

    /** environment: values, outer to inner (each a mapping or list of mappings; still to be templated). */
    List<Object> environments(Task t) {
        List<Object> out = new ArrayList<>();
        for (Scope s : chain()) {
            if (s.kw.get("environment") != null) {
                out.add(s.kw.get("environment"));
            }
        }
        if (t != null && t.kw().get("environment") != null) {
            out.add(t.kw().get("environment"));
        }
        return out;
    }

    private List<Scope> chain() {
        List<Scope> c = new ArrayList<>();
        for (Scope s = this; s != null; s = s.parent) {
            c.add(0, s);
        }
        return c;
    }
}
