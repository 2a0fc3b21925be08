package io.budgetctl.engine.playbook;

import io.budgetctl.engine.api.SourceLocation;
import java.util.List;
import java.util.Map;

/**
 * One task or handler: its action (module name, {@code include_tasks}, {@code include_role}, {@code meta}), the
 * module arguments as written (a {@code key=value} string already split; free-form text in {@code _raw_params}) and
 * the other keywords in {@code kw}. Nothing is templated yet.
 */
public record Task(SourceLocation location, String name, String action, Map<String, Object> args,
                   Map<String, Object> kw, Role role, boolean handler) implements Node {

    public Task {
        args = args == null ? Map.of() : args;
        kw = kw == null ? Map.of() : kw;
    }

    /** What {@code TASK [...]} shows: "role : name", the action when unnamed. */
    public String displayName() {
        String n = name == null || name.isBlank() ? action : name;
        return role == null ? n : role.name() + " : " + n;
    }

    /** The variable the task's result is registered as ({@code register:}), or null. */
    public String register() {
        Object r = kw.get("register");
        return r == null ? null : String.valueOf(r);
    }

    /** Handler names and listen topics this handler answers to. */
    public List<String> listen() {
        return Keywords.stringList(kw.get("listen"));
    }
}
