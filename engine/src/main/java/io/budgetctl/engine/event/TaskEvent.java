package io.budgetctl.engine.event;

import io.budgetctl.engine.api.SourceLocation;

/**
 * A task starts. {@code name} is what Ansible prints in {@code TASK [...]}: "role : task name" inside a role, the
 * action name when the task has no name. {@code kind} is TASK, HANDLER (RUNNING HANDLER) or META.
 */
public record TaskEvent(String name, String action, String role, Kind kind, SourceLocation location) {
    public enum Kind { TASK, HANDLER, META }
}
