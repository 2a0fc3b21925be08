package io.budgetctl.engine.exec;

import io.budgetctl.engine.api.Secret;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.api.Unsafe;
import io.budgetctl.engine.template.ConditionTemplates;
import io.budgetctl.engine.template.LazyVars;
import io.budgetctl.engine.template.Taint;
import io.budgetctl.engine.template.Templater;
import io.budgetctl.engine.template.Truth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A task's conditions as Ansible evaluates them: {@code when:} (the blocks' and the task's, all must hold),
 * {@code until:}, and {@code changed_when}/{@code failed_when} applied to a result. A condition is a bare expression;
 * one written with {{ }} is rendered first, and text it renders to is evaluated again (with lookups disabled when it
 * read host data), after Ansible's warning that a condition should not hold {{ }} (given to {@code warnings} each
 * time such a condition is evaluated; how often it is printed is the caller's). Apart from the runner so that these
 * rules can be pinned without running a task.
 */
final class Conditions {
    /** ansible-core 2.14's warning (playbook/conditional.py), followed by the condition as written. */
    static final String DELIMITERS_WARNING = ConditionTemplates.DELIMITERS_WARNING;

    private final Templater templater;
    private final SourceLocation at;
    private final Consumer<String> warnings;

    Conditions(Templater templater, SourceLocation at, Consumer<String> warnings) {
        this.templater = templater;
        this.at = at;
        this.warnings = warnings;
    }

    /** The blocks' conditions ({@code scopeWhens}, outermost first) and then the task's own {@code when} hold. */
    boolean when(List<Object> scopeWhens, Object taskWhen, Map<String, Object> vars) {
        List<Object> conds = new ArrayList<>(scopeWhens);
        Scope.addWhen(conds, taskWhen);
        return all(conds, vars);
    }

    /** Every condition holds; evaluation stops at the first that does not. */
    boolean all(List<Object> conds, Map<String, Object> vars) {
        for (Object c : conds) {
            if (!holds(c, vars)) {
                return false;
            }
        }
        return true;
    }

    /**
     * One condition: a YAML bool or number as it is, null false, text an expression. Text that Ansible takes for a
     * template ({@link #isTemplate}) is warned about first, as written, even when it then fails to evaluate.
     */
    boolean holds(Object c, Map<String, Object> vars) {
        if (c instanceof String text && isTemplate(text)) {
            warnings.accept(DELIMITERS_WARNING + text);
        }
        if (c == null) {
            return false;
        }
        if (c instanceof Boolean b) {
            return b;
        }
        if (c instanceof Number n) {
            return Truth.of(n);
        }
        String s = String.valueOf(c).strip();
        if (s.contains("{{") || s.contains("{%")) {
            Taint.Tracked<Object> rendered = Taint.track(() -> templater.render(s, vars, at));
            Object v = rendered.value();
            if (v instanceof Secret secret) {
                v = secret.reveal(); // a condition's text, not shown
            }
            if (v instanceof String str) {
                String t = str.strip();
                if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("yes")) {
                    return true;
                }
                if (t.equalsIgnoreCase("false") || t.equalsIgnoreCase("no") || t.isEmpty()) {
                    return false;
                }
                if (rendered.tainted()) {
                    // text from a host or a lookup: Ansible evaluates it with lookups disabled; so do we
                    return Taint.withoutLookups(() -> templater.isTrue(t, vars, at));
                }
                return templater.isTrue(t, vars, at);
            }
            return Truth.of(v);
        }
        return templater.isTrue(s, vars, at);
    }

    /** {@link ConditionTemplates#isTemplate}: whether Ansible warns of this condition. */
    static boolean isTemplate(String s) {
        return ConditionTemplates.isTemplate(s);
    }

    /**
     * The task's {@code changed_when} and {@code failed_when} (from its keywords {@code kw}) decide changed and
     * failed of {@code dict}, unless the result was skipped. They see the result's keys, and the result under the
     * {@code register} name when there is one; failed_when also records failed_when_result.
     */
    void applyResultConditions(Map<String, Object> dict, Map<String, Object> kw, String register,
                               Map<String, Object> vars) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (register != null) {
            data.put(register, Registered.of(dict));
        }
        dict.forEach((k, v) -> data.put(k, Unsafe.of(v)));
        Map<String, Object> cv = LazyVars.with(vars, data);
        List<Object> cw = new ArrayList<>();
        Scope.addWhen(cw, kw.get("changed_when"));
        if (kw.containsKey("changed_when") && !Truth.of(dict.get("skipped"))) {
            dict.put("changed", all(cw, cv));
        }
        List<Object> fw = new ArrayList<>();
        Scope.addWhen(fw, kw.get("failed_when"));
        if (kw.containsKey("failed_when") && !Truth.of(dict.get("skipped"))) {
            boolean f = all(fw, cv);
            dict.put("failed_when_result", f);
            dict.put("failed", f);
        }
    }
}
