package io.budgetctl.engine.event;

import io.budgetctl.engine.api.SourceLocation;

/**
 * A task starts. {@code name} is what Ansible prints in {@code TASK [...]}: "role : task name" inside a role, the
 * action name when the task has no name. {@code kind} is TASK, HANDLER (RUNNING HANDLER) or META. {@code register}
 * is the variable the task's result is registered as ({@code register:}), or null: what a caller that wants a
 * playbook's result reads it by, instead of the task's name.
 */
public record TaskEvent(String name, String action, String role, Kind kind, SourceLocation location, String register) {
    public enum Kind { TASK, HANDLER, META }

    /** A task that registers nothing. */
    public TaskEvent(String name, String action, String role, Kind kind, SourceLocation location) {
        this(name, action, role, kind, location, null);
    }
}
