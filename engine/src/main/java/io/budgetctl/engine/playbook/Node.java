package io.budgetctl.engine.playbook;

import io.budgetctl.engine.api.SourceLocation;
import java.util.Map;

/**
 * An entry of a task list: a {@link Task} or a {@link Block}. {@code kw} holds the keywords written on the node
 * (when, tags, vars, become, ...) as loaded, untemplated; children inherit them the way Ansible's parent chain does.
 * {@code role} is the role the node belongs to, or null.
 */
public sealed interface Node permits Task, Block {
    SourceLocation location();

    Map<String, Object> kw();

    Role role();
}
