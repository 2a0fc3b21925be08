package io.budgetctl.engine.exec;

import io.budgetctl.engine.api.Secret;
import io.budgetctl.engine.playbook.Actions;
import io.budgetctl.engine.playbook.Task;
import io.budgetctl.engine.template.SecretFlow;
import io.budgetctl.engine.template.Templater;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A task's name as the run shows it: the {@code TASK [...]} header and {@code ansible_failed_task.name}, both rendered
 * (when the name is a template) in one host's variables with secrets kept secret, and the role the task belongs to.
 * The variables come from a supplier so that they are only built for a name that is a template.
 */
final class TaskNames {
    private final Templater templater;
    private final SecretLedger secretLedger;

    TaskNames(Templater templater, SecretLedger secretLedger) {
        this.templater = templater;
        this.secretLedger = secretLedger;
    }

    /**
     * The {@code TASK [...]} header: "role : name" rendered with {@code vars} (secrets masked), or as written when
     * it cannot be rendered; an unnamed include_role shows the role it includes.
     */
    String header(Task task, Supplier<Map<String, Object>> vars) {
        String n = task.displayName();
        if (task.name() == null && task.action().equals(Actions.INCLUDE_ROLE)) {
            n = "include_role : " + task.args().get("name");
        }
        if (task.name() != null && task.name().contains("{{")) {
            Object r = rendered(task, vars);
            // like Ansible, keep the untemplated name when it needs per-host or loop values (r is null)
            if (r != null) {
                String text = r instanceof Secret s ? Masking.display(s, secretLedger.maskValues())
                        : Masking.text(String.valueOf(r), secretLedger.maskValues());
                n = task.role() == null ? text : task.role().name() + " : " + text;
            }
        }
        return n;
    }

    /**
     * {@code ansible_failed_task.name}: as Ansible, the name rendered in the failed host's scope (without the role
     * prefix); a secret in it stays a secret, and a name that cannot be rendered is kept as written.
     */
    Object failed(Task task, Supplier<Map<String, Object>> vars) {
        if (task.name() == null || !task.name().contains("{{")) {
            return task.name() == null ? "" : task.name();
        }
        Object r = rendered(task, vars);
        return r == null ? task.name() : r;
    }

    /** The task's name rendered with {@code vars} (a secret stays a secret), or null when it cannot be. */
    private Object rendered(Task task, Supplier<Map<String, Object>> vars) {
        try {
            return SecretFlow.into(secretLedger, () -> templater.render(task.name(), vars.get(), task.location()));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The name of the task's role, null outside a role (what task events carry). */
    static String roleName(Task task) {
        return task.role() == null ? null : task.role().name();
    }
}
