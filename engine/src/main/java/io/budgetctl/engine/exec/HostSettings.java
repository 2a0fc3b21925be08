package io.budgetctl.engine.exec;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.Secret;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.connection.Become;
import io.budgetctl.engine.playbook.Task;
import io.budgetctl.engine.template.PyText;
import io.budgetctl.engine.template.Templater;
import io.budgetctl.engine.template.Truth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a task reaches its host, from its keywords (its own, else the nearest block's) templated in the host's
 * variables: become (else the ansible_become* variables), the environment (every block's and the task's, the inner
 * ones win) and delegate_to. Apart from the runner because these only read keywords and variables; opening the
 * connection stays the runner's.
 */
final class HostSettings {
    private final Scope scope;
    private final Task task;
    private final Templater templater;
    private final SourceLocation at;

    HostSettings(Scope scope, Task task, Templater templater) {
        this.scope = scope;
        this.task = task;
        this.templater = templater;
        this.at = task.location();
    }

    /** Keyword {@code k} rendered with {@code vars}; null when neither the task nor a block sets it. */
    Object keyword(String k, Map<String, Object> vars) {
        Object v = scope.keyword(task, k);
        return v == null ? null : templater.render(v, vars, at);
    }

    Become become(Map<String, Object> vars) {
        Object b = keyword("become", vars);
        if (b == null) {
            b = vars.get("ansible_become");
        }
        if (!Truth.of(b)) {
            return Become.NONE;
        }
        Object user = keyword("become_user", vars);
        if (user == null) {
            user = vars.get("ansible_become_user");
        }
        Object method = keyword("become_method", vars);
        if (method == null) {
            method = vars.get("ansible_become_method");
        }
        Object pw = vars.containsKey("ansible_become_password") ? vars.get("ansible_become_password")
                : vars.get("ansible_become_pass");
        Secret password = pw == null ? null : pw instanceof Secret s ? s : Secret.of(String.valueOf(pw));
        try {
            return new Become(true, method == null ? null : String.valueOf(method), user == null ? null
                    : String.valueOf(user), password);
        } catch (IllegalArgumentException e) {
            throw new EngineException(at, e.getMessage(), "use become_method: sudo or su");
        }
    }

    /** The task's environment: NAME -> value as text (a secret revealed: it goes to the host). */
    Map<String, String> environment(Map<String, Object> vars) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Object e : scope.environments(task)) {
            Object v = templater.render(e, vars, at);
            List<Object> parts = v instanceof List<?> l ? new ArrayList<>(l) : java.util.Collections.singletonList(v);
            for (Object p : parts) {
                if (!(p instanceof Map<?, ?> m)) {
                    throw new EngineException(at, "environment must be a mapping of NAME: value, got " + PyText.str(p),
                            "environment: {PATH: /usr/local/bin:/usr/bin} or a variable holding such a mapping");
                }
                m.forEach((k, val) -> env.put(String.valueOf(k), val instanceof Secret s ? s.reveal()
                        : PyText.str(val)));
            }
        }
        return env;
    }

    /** The host delegate_to names, or null when the task runs on {@code host} itself. */
    String delegateTo(String host, Map<String, Object> vars) {
        Object d = keyword("delegate_to", vars);
        return d != null && !String.valueOf(d).equals(host) ? String.valueOf(d) : null;
    }
}
