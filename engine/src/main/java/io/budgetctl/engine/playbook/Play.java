package io.budgetctl.engine.playbook;

import io.budgetctl.engine.api.SourceLocation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One play after static expansion: {@code roles} are implicit blocks (one per role entry, dependencies first),
 * {@code handlerBlocks} are the roles' handlers then the play's own, in definition order, grouped as Ansible groups
 * them into blocks ({@link PlaybookLoader#handlerBlocks}). {@code kw} holds the other play keywords as written (vars,
 * vars_files, serial, become, gather_facts, ...). {@code hosts} is the pattern. {@code playRoles} are every role
 * loaded (dependencies too), {@code roleNames} the {@code role_names} magic variable: the roles the play names itself,
 * as ansible-core 2.14 lists them (each roles: entry, then each import_role, no dependencies).
 */
public record Play(SourceLocation location, String name, String hosts, Map<String, Object> kw, List<Node> preTasks,
                   List<Node> roles, List<Node> tasks, List<Node> postTasks, List<List<Task>> handlerBlocks,
                   List<Role> playRoles, List<String> roleNames, Path baseDir) {

    /** Every handler of the play, in definition order (the roles' first). */
    public List<Task> handlers() {
        return flatten(handlerBlocks);
    }

    static List<Task> flatten(List<List<Task>> blocks) {
        List<Task> out = new ArrayList<>();
        blocks.forEach(out::addAll);
        return out;
    }

    /** What {@code PLAY [...]} shows: the name, else the hosts pattern. */
    public String displayName() {
        return name == null || name.isBlank() ? hosts : name;
    }
}
